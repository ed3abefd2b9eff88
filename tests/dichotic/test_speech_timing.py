"""Word onsets reported by espeak-ng's library (used to score shadowing of the
built-in passages) against where each word's sound starts."""

import shutil

import numpy as np
import pytest

from attentionlab.speech.shadowing import word_spans
from attentionlab.stimuli import speech
from attentionlab.stimuli.speech_timing import word_onsets

pytestmark = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")

TEXT = "Tower. Keeper. Evening. Baker. Lighthouse. Dough."


@pytest.mark.parametrize("text", [TEXT, "the tower, the keeper and the evening lamp"])
@pytest.mark.parametrize("voice", speech.GENDERS)
def test_onsets_are_where_the_words_start(voice, text):
    events, rate = word_onsets(text, lang="en", voice=voice)
    samples, file_rate = speech.synthesize(text, lang="en", voice=voice)
    assert rate == file_rate
    assert [i for i, _ in events] == [i for i, _ in word_spans(text)]
    loud = np.abs(samples) > 0.01 * np.abs(samples).max()  # -40 dB re the peak
    for (_, word), (_, onset) in zip(word_spans(text), events):
        # the word's sound starts at the event, or within a stop consonant's
        # silent closure (about 55 ms) after it
        i = int(round(onset * rate))
        after = np.flatnonzero(loud[i:i + int(0.3 * rate)])
        assert after.size and after[0] / rate < 0.07, (word, after[:1] / rate)


def test_onsets_follow_the_text_with_punctuation_and_apostrophes():
    text = "The keeper's lamp, at dusk; the tide."
    events, _ = word_onsets(text, lang="en", voice="male")
    assert [i for i, _ in events] == [i for i, _ in word_spans(text)]
    times = [t for _, t in events]
    assert times == sorted(times) and times[0] == 0.0


def test_german_text():
    text = "Guten Tag, schöne Welt"
    events, _ = word_onsets(text, lang="de", voice="female")
    assert [i for i, _ in events] == [i for i, _ in word_spans(text)]
