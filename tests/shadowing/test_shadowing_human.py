"""The shadowing scorer on human speech (issue 18), offline.

Each of the shared human recordings (../shared/data/speech: read sentences
with word times) is the attended message, and the same recording played
1.3 s later with a known share of its words silenced is a perfect human
"shadower" (attentionlab.speech.shadowing_check). The unattended passage
is the next recording's text; at 50 % the shadower also says two of its
words in silenced slots (real intrusions). The targets of the issue: the
share found within 0.05 of the share said, the lag within 50 ms, no
intrusion that was not said, and the said ones found. These are accuracy
figures of a deterministic decoder, not timings.
"""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pocketsphinx")

from attentionlab.speech import shadowing  # noqa: E402
from attentionlab.speech.shadowing_check import (keep_share, make_shadower,  # noqa: E402
                                                   read_timed)

SPEECH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "speech"
pytestmark = pytest.mark.skipif(not SPEECH.is_dir(), reason=f"needs the shared human "
                                f"recordings in {SPEECH} (not there)")
LAG_S = 1.3
CONDITIONS = ((1.0, 0), (0.75, 0), (0.5, 2))  # (share said, intrusions said)


@pytest.fixture(scope="module")
def scored():
    recordings = [read_timed(p) for p in sorted(SPEECH.glob("*.wav"))]
    assert len(recordings) >= 2
    out = []
    for i, message in enumerate(recordings):
        other = recordings[(i + 1) % len(recordings)]
        attended = [(w.word, w.start_s) for w in message.words]
        for share, n_intrusions in CONDITIONS:
            keep = keep_share(len(message.words), share, seed=i)
            said = make_shadower(message, keep, LAG_S, intruder=other,
                                 n_intrusions=n_intrusions)
            result = shadowing.score_recording(said.samples, said.rate, said.offset_ms,
                                               attended, other.text)
            out.append((i, share, said, result))
    return out


def test_share_shadowed_within_five_points(scored):
    for i, share, said, result in scored:
        print(f"recording {i} said {said.share:.3f} found {result.proportion_shadowed:.3f} "
              f"lag {result.median_lag_s:.3f} intrusions {result.intrusions} "
              f"(said {said.intrusions}) confidence {result.confidence:.2f}")
        assert abs(result.proportion_shadowed - said.share) <= 0.05, (i, share)


def test_lag_within_50_ms(scored):
    for i, share, _, result in scored:
        assert abs(result.median_lag_s - LAG_S) <= 0.05, (i, share)


def test_real_intrusions_are_found(scored):
    for i, share, said, result in scored:
        assert set(said.intrusions) <= set(result.intrusions), (i, share)
    assert sum(len(s.intrusions) for _, _, s, _ in scored) >= 4  # the test really has some


def test_at_most_one_false_intrusion_per_five_minutes(scored):
    false = sum(len(r.intrusions) - len(set(r.intrusions) & set(s.intrusions))
                for _, _, s, r in scored)
    minutes = sum(len(s.samples) / s.rate for _, _, s, _ in scored) / 60
    assert false <= minutes / 5, (false, minutes)


def test_word_scores_and_confidence_are_given(scored):
    for _, _, said, result in scored:
        assert len(result.word_said) == len(said.said)
        assert 0.0 <= result.confidence <= 1.0
        assert result.row()["shadow_flagged"] == int(result.confidence < shadowing.FLAG_BELOW)


def test_lag_vote_ignores_repeated_words():
    # "to be ... to be": the shortest-lag pairing would give 0.2 s
    due = [("to", 0.0), ("be", 0.2), ("to", 1.5), ("be", 1.7), ("ill", 2.0)]
    heard = [shadowing.Word(w, t + 1.3, 0) for w, t in due]
    assert shadowing.estimate_lag(heard, due) == pytest.approx(1.3, abs=0.01)
    assert shadowing.estimate_lag([], due) is None


def test_near_homophones_are_alike():
    dec = shadowing._decoder()
    assert shadowing._alike(shadowing._phones(dec, "an"), shadowing._phones(dec, "and"))
    assert shadowing._alike(shadowing._phones(dec, "is"), shadowing._phones(dec, "his"))
    assert not shadowing._alike(shadowing._phones(dec, "consider"),
                                shadowing._phones(dec, "dashwood"))


def test_silenced_words_are_silent():
    rec = read_timed(sorted(SPEECH.glob("*.wav"))[0])
    keep = np.ones(len(rec.words), bool)
    keep[1] = False
    said = make_shadower(rec, keep, LAG_S)
    w = rec.words[1]
    start = int((0.5 + LAG_S + w.start_s + 0.01) * rec.rate)
    assert not said.samples[start:start + int((w.duration_s - 0.02) * rec.rate)].any()
