"""The sound-test helper itself: a recording that dropped out must count as
"not found here" (rho 0), never as NaN, which made a whole ear's median NaN
and failed test_each_ear_gets_its_message_and_nothing_of_the_other once in an
idle fresh-clone run."""

import doctest

import numpy as np

import audio_chunks
from audio_chunks import chunks_of, median_rho


def test_the_examples_in_the_module_hold():
    result = doctest.testmod(audio_chunks)
    assert result.attempted >= 3 and result.failed == 0


def test_a_dropout_lowers_the_median_only_as_much_as_its_length():
    rng = np.random.default_rng(1)
    reference = rng.standard_normal(48000 * 4).astype(np.float32)
    recorded = reference.copy()
    recorded[48000:48000 + 24000] = 0.0  # half a second lost by the recorder
    chunks = chunks_of(recorded, reference, 48000, start=0)
    rhos = [c.rho for c in chunks]
    assert not np.isnan(rhos).any()
    assert min(rhos) < 0.5 and median_rho(chunks) > 0.99
    # the wrong message in this ear is still found wrong: the check can fail
    other = rng.standard_normal(len(reference)).astype(np.float32)
    assert median_rho(chunks_of(other, reference, 48000, start=0)) < 0.2
