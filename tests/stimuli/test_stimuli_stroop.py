import collections
import itertools
import random
from pathlib import Path

import pytest

from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import stroop
from attentionlab.stimuli.stroop_words import (COLOUR_WORDS, INK_COLOURS, LANGUAGES,
                                               NEUTRAL_WORDS, TEXT, VOICE_TEXT)


def _trials(seed=1, **overrides):
    params = apply_overrides(stroop.StroopParams(), overrides)
    return params, stroop.make_trials(params, random.Random(seed))


def test_default_design_is_balanced_per_block_condition_and_ink():
    params, trials = _trials()
    assert len(trials) == 144
    cells = collections.Counter((t.block, t.congruency, t.ink) for t in trials)
    assert set(cells.values()) == {4}  # 3 blocks x 3 conditions x 4 inks, 4 each
    assert len(cells) == 3 * 3 * 4


def test_words_match_their_condition():
    _, trials = _trials()
    words = COLOUR_WORDS["en"]
    for t in trials:
        if t.congruency == "congruent":
            assert t.word == words[t.ink] and t.word_colour == t.ink
        elif t.congruency == "incongruent":
            assert t.word == words[t.word_colour] and t.word_colour != t.ink
        else:
            assert t.word in NEUTRAL_WORDS["en"] and t.word_colour == ""


@pytest.mark.parametrize("seed", range(20))
def test_no_more_than_three_of_a_condition_in_a_row(seed):
    _, trials = _trials(seed)
    for _, block in itertools.groupby(trials, key=lambda t: t.block):
        runs = [len(list(g)) for _, g in itertools.groupby(t.congruency for t in block)]
        assert max(runs) <= 3


def test_same_seed_same_order_and_different_seed_different_order():
    assert _trials(7)[1] == _trials(7)[1]
    assert _trials(7)[1] != _trials(8)[1]


def test_trial_count_rounds_up_to_a_balanced_design():
    params, trials = _trials(trials=10, blocks=2)
    assert len(trials) == 24 == stroop.balanced_trial_count(params, 10)


def test_condition_weights_and_subsets():
    _, trials = _trials(conditions="congruent,incongruent", condition_weights="1,3", trials=32,
                        blocks=1)
    counts = collections.Counter(t.congruency for t in trials)
    assert counts == {"congruent": 8, "incongruent": 24}


def test_impossible_run_limit_is_a_usage_error():
    with pytest.raises(UsageError, match="in a row"):
        _trials(conditions="congruent,incongruent", condition_weights="1,10",
                max_same_condition_run=1, trials=44, blocks=1)


def test_x_string_neutral():
    _, trials = _trials(neutral="xxxx")
    neutral = {t.word for t in trials if t.congruency == "neutral"}
    assert neutral and all(set(w) == {"X"} for w in neutral)


def test_practice_block_has_the_asked_number_of_trials():
    params = stroop.StroopParams()
    practice = stroop.make_trials(params, random.Random(1), phase="practice")
    assert len(practice) == 12 and {t.phase for t in practice} == {"practice"}
    assert collections.Counter(t.congruency for t in practice) == {
        "congruent": 4, "incongruent": 4, "neutral": 4}


def test_counterbalancing_rotates_colours_over_keys_across_participants():
    params = stroop.StroopParams()
    mappings = [stroop.colour_to_key(params, f"P{n:02d}") for n in range(1, 5)]
    for colour in INK_COLOURS:
        assert sorted(m[colour] for m in mappings) == ["d", "f", "j", "k"]
    # The documented rule: digits of the label, modulo 4.
    assert stroop.colour_to_key(params, "P05") == stroop.colour_to_key(params, "S1")
    assert stroop.counterbalance_index("abc", 4) == stroop.counterbalance_index("abc", 4)


def test_explicit_key_mapping_overrides_counterbalancing():
    params = apply_overrides(stroop.StroopParams(), {"key_mapping": "blue,red,yellow,green"})
    assert stroop.colour_to_key(params, "P01") == {"blue": "d", "red": "f", "yellow": "j",
                                                   "green": "k"}


def test_correct_key_follows_the_mapping():
    params = stroop.StroopParams()
    mapping = stroop.colour_to_key(params, "P03")
    for t in stroop.make_trials(params, random.Random(2), mapping=mapping):
        assert t.correct_key == mapping[t.ink]


def test_every_language_has_all_words_and_texts():
    assert set(LANGUAGES) >= {"en", "de", "fr", "es", "nl"}
    for lang in LANGUAGES:
        assert set(COLOUR_WORDS[lang]) == set(INK_COLOURS)
        assert set(TEXT[lang]) == set(TEXT["en"])
        assert set(TEXT[lang]["colour_names"]) == set(INK_COLOURS)
        _, trials = _trials(lang=lang, trials=12, blocks=1)
        assert {t.lang for t in trials} == {lang}


def test_every_character_we_show_exists_in_the_font():
    """Accents and umlauts render as letters, not as empty boxes."""
    fontTools = pytest.importorskip("fontTools.ttLib")
    psychopy = pytest.importorskip("psychopy")
    font_path = Path(psychopy.__file__).parent / "assets" / "fonts" / "NotoSans-Regular.ttf"
    cmap = fontTools.TTFont(font_path).getBestCmap()
    shown = []
    for lang in LANGUAGES:
        shown += list(COLOUR_WORDS[lang].values()) + list(NEUTRAL_WORDS[lang])
        shown += [v for v in TEXT[lang].values() if isinstance(v, str)]
        shown += list(TEXT[lang]["colour_names"].values())
    for texts in VOICE_TEXT.values():
        shown += [v for v in texts.values() if isinstance(v, str)]
    missing = {ch for text in shown for ch in text if ch not in "\n" and ord(ch) not in cmap}
    assert not missing
    assert any(ch in "".join(shown) for ch in "ÜÂÉÓ")  # the test would see accents


def test_voice_texts_cover_the_inks_and_the_screens():
    """Vocal mode: a spoken word per ink, and every text the presenter asks for."""
    from attentionlab.stimuli.stroop import VOICE_LANGS

    for lang in VOICE_LANGS:
        texts = VOICE_TEXT[lang]
        assert set(texts["vocabulary"]) == set(INK_COLOURS)
        assert {"welcome", "mic_check", "not_understood"} <= set(texts)
        assert "{legend}" not in texts["welcome"] and "{sentence}" in texts["mic_check"]

