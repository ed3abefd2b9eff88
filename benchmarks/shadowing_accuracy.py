"""Accuracy and speed of the automatic shadowing scoring, offline.

Builds an attended passage of espeak-ng words (male voice) at known onsets
and PARTICIPANTS synthetic shadowers (flite's "slt" voice; espeak-ng's voices
are barely recognised by PocketSphinx): each says a random 70 % of the words
LAG seconds late, and some also say three unattended words in place of missed
ones. Each recording is scored with the true onsets (as built-in passages get
them from the synthesiser) and the figures printed: share shadowed found vs
true, median lag found, intrusions found, seconds of scoring per second of
recording. No virtual microphone here (tests/shadowing does that); it prints
figures, it does not pass or fail.

Then the same on human speech (when ../shared/data/speech is there): each
shared recording is the attended message and, played LAG later with 100 %,
75 % or 50 % of its words kept, a perfect human shadower
(:mod:`attentionlab.speech.shadowing_check`); the unattended passage is the
next recording's text, and at 50 % two of its words are said in silenced
slots (real intrusions). Printed per recording and condition: share said and
found, lag, intrusions found (false ones marked), the message's confidence.

    .venv/bin/python benchmarks/shadowing_accuracy.py [--participants 6] [--lag 1.3] [--recordings N]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from attentionlab.speech import shadowing
from attentionlab.stimuli import dichotic_texts
from attentionlab.stimuli.dichotic_mix import resample
from attentionlab.stimuli.speech import synthesize

RATE = 16000
INTRUDERS = ("marsh", "tide", "covers")


def word_sound(word, voice, folder: Path):
    if voice == "flite":
        out = folder / f"{word}.wav"
        if not out.exists():
            subprocess.run(["flite", "-voice", "slt", "-t", word, "-o", str(out)], check=True)
        y, r = soundfile.read(out, dtype="float32")
    else:
        y, r = synthesize(word, lang="en", voice=voice)
    y = resample(y[:, None], r, RATE)[:, 0]
    loud = np.flatnonzero(np.abs(y) > 0.01 * np.abs(y).max())
    return y[loud[0]:loud[-1] + 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=6)
    parser.add_argument("--lag", type=float, default=1.3, help="true lag, s")
    parser.add_argument("--recordings", type=int, default=None, metavar="N",
                        help="score the first N human-speech recordings (default: all)")
    args = parser.parse_args(argv)
    if not shutil.which("flite") or not shutil.which("espeak-ng"):
        print("needs flite and espeak-ng (make test installs them as root)", file=sys.stderr)
        return 2
    passages = dichotic_texts.PASSAGES["short"]
    attended_text = " ".join(passages[k].text for k in ("A1", "A2", "A3"))
    unattended_text = " ".join(passages[k].text for k in ("U1", "U2", "U3"))
    words = shadowing.words_of(attended_text)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        onsets, t = [], 0.3
        for w in words:
            onsets.append(t)
            t += len(word_sound(w, "male", folder)) / RATE + 0.12
        lead = 0.5
        print(f"{len(words)} attended words, true lag {args.lag:.2f} s")
        print(f"{'#':>3} {'true':>6} {'found':>6} {'diff':>6} {'lag s':>6} "
              f"{'intrusions (said)':>24} {'s per s':>8}")
        diffs = []
        for k in range(args.participants):
            rng = np.random.default_rng(100 + k)
            keep = rng.random(len(words)) >= 0.3
            said = np.zeros(int((t + args.lag + lead + 2) * RATE), np.float32)
            for w, onset, yes in zip(words, onsets, keep):
                if yes:
                    y = word_sound(w, "flite", folder)
                    i = int((onset + args.lag + lead) * RATE)
                    said[i:i + len(y)] += y
            intruders = INTRUDERS if k % 2 else ()
            for w, slot in zip(intruders, np.flatnonzero(~keep)[1::3]):
                y = word_sound(w, "flite", folder)
                i = int((onsets[slot] + args.lag + lead) * RATE)
                said[i:i + len(y)] += y
            started = time.perf_counter()
            result = shadowing.score_recording(said, RATE, lead * 1000,
                                               list(zip(words, onsets)), unattended_text)
            took = time.perf_counter() - started
            diff = result.proportion_shadowed - keep.mean()
            diffs.append(diff)
            print(f"{k + 1:>3} {keep.mean():6.3f} {result.proportion_shadowed:6.3f} "
                  f"{diff:+6.3f} {result.median_lag_s:6.3f} "
                  f"{';'.join(result.intrusions) or '-':>17} ({len(intruders)}) "
                  f"{took / (len(said) / RATE):8.2f}")
        diffs = np.array(diffs)
        print(f"share found - true: mean {diffs.mean():+.3f}, range {diffs.min():+.3f} to "
              f"{diffs.max():+.3f} (goal: within 0.10)")
    human(args.lag, args.recordings)
    return 0


def human(lag: float, limit: int | None = None) -> None:
    """The human-speech figures (see the module doc)."""
    from attentionlab.speech.shadowing_check import (keep_share, make_shadower, read_timed,
                                                       speech_folder)

    folder = speech_folder()
    if folder is None:
        print("\nhuman speech: ../shared/data/speech is not there; skipped")
        return
    recordings = [(p.stem, read_timed(p)) for p in sorted(folder.glob("*.wav"))]
    print(f"\nhuman speech ({folder}), true lag {lag:.2f} s")
    print(f"{'recording':>34} {'said':>5} {'found':>6} {'diff':>6} {'lag s':>6} "
          f"{'conf':>5}  intrusions found (said)")
    diffs, false, seconds = [], 0, 0.0
    # The unattended passage still comes from the next recording of the whole set.
    for i, (name, message) in enumerate(recordings[:limit]):
        other = recordings[(i + 1) % len(recordings)][1]
        attended = [(w.word, w.start_s) for w in message.words]
        for share, n_intrusions in ((1.0, 0), (0.75, 0), (0.5, 2)):
            keep = keep_share(len(message.words), share, seed=i)
            said = make_shadower(message, keep, lag, intruder=other, n_intrusions=n_intrusions)
            r = shadowing.score_recording(said.samples, said.rate, said.offset_ms, attended,
                                          other.text)
            wrong = [w for w in r.intrusions if w not in said.intrusions]
            false += len(wrong)
            seconds += len(said.samples) / said.rate
            diffs.append(r.proportion_shadowed - said.share)
            found = ";".join(w + ("(false)" if w in wrong else "") for w in r.intrusions)
            lag_found = float("nan") if r.median_lag_s is None else r.median_lag_s
            print(f"{name:>34} {said.share:5.3f} {r.proportion_shadowed:6.3f} "
                  f"{diffs[-1]:+6.3f} {lag_found:6.3f} {r.confidence or 0:5.2f}  "
                  f"{found or '-'} ({';'.join(said.intrusions) or '-'})")
    diffs = np.array(diffs)
    print(f"share found - true: mean {diffs.mean():+.3f}, range {diffs.min():+.3f} to "
          f"{diffs.max():+.3f} (goal: within 0.05); false intrusions {false} in "
          f"{seconds / 60:.1f} min of recording (goal: at most 1 per 5 min)")


if __name__ == "__main__":
    sys.exit(main())
