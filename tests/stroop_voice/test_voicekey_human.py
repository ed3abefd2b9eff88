"""The voice key and the recogniser on human speech (issue 18).

The shared recordings (../shared/data/speech) carry word times from
PocketSphinx's forced alignment (good to a few tens of ms, the README says).
Measured: single words cut out of the recordings at their aligned start,
after 0.5 s of silence (with a -80 dBFS noise floor), scored like a vocal
Stroop trial; and the first word of each whole recording (its own room noise
before it).
"""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pocketsphinx")

from attentionlab.speech import vocal_response  # noqa: E402
from attentionlab.speech.shadowing_check import read_timed  # noqa: E402
from attentionlab.speech.voicekey import detect_onset  # noqa: E402

SPEECH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "speech"
pytestmark = pytest.mark.skipif(not SPEECH.is_dir(), reason=f"needs the shared human "
                                f"recordings in {SPEECH} (not there)")
LEAD_S = 0.5


@pytest.fixture(scope="module")
def recordings():
    return [read_timed(p) for p in sorted(SPEECH.glob("*.wav"))]


def test_single_words_onset_within_20_ms_and_mostly_recognised(recordings):
    rng = np.random.default_rng(0)
    errors, right, n = [], 0, 0
    from attentionlab.speech.recogniser import decoder

    dec = decoder()  # one for all words: making one takes a moment
    for rec in recordings:
        vocabulary = sorted({w.word for w in rec.words})
        for w in rec.words:
            a, b = int(w.start_s * rec.rate), int((w.start_s + w.duration_s) * rec.rate)
            clip = np.concatenate([np.zeros(int(LEAD_S * rec.rate), np.float32),
                                   rec.samples[a:b], np.zeros(int(0.3 * rec.rate), np.float32)])
            clip += 1e-4 * rng.standard_normal(clip.size).astype(np.float32)
            result = vocal_response.score_recording(clip, rec.rate, stimulus_ms=0.0,
                                                    vocabulary=vocabulary, decoder=dec)
            errors.append(result.rt_ms - LEAD_S * 1000)
            right += result.word == w.word
            n += 1
    print(f"single words: onset error max {np.max(np.abs(errors)):.1f} ms, "
          f"recognised {right} of {n}")
    assert np.max(np.abs(errors)) <= 20
    assert right >= 0.7 * n  # closed vocabulary of the sentence's words


@pytest.mark.xfail(strict=True, reason="measured 29, 56 and 11 ms late: the soft start of "
                   "'and', 'he' (aspiration) stays under the threshold in the recording's "
                   "own room noise")
def test_first_word_of_a_recording_within_20_ms(recordings):
    late = [detect_onset(r.samples, r.rate).onset_s - r.words[0].start_s for r in recordings]
    print("first-word onset errors, ms:", [round(e * 1000, 1) for e in late])
    assert max(abs(e) for e in late) <= 0.020
