"""Shadowing scores for the message rows of dichotic sessions.

For each message row with a ``recording_file``, the recording is scored
(:func:`shadowing.score_recording`) against the attended passage's words and
their onsets in the message:

* built-in passages (synthesised by espeak-ng; their folder has
  ``build.json``): onsets reported by the synthesiser
  (:mod:`attentionlab.stimuli.speech_timing`), exact;
* your own recordings: onsets found by recognising the passage's own sound
  with its text (:func:`shadowing.passage_onsets`).

The message starts at the passage's first sample after its leading silence
was trimmed (:func:`dichotic_mix.trim_silence`), so that much is taken off.

Hand scores (``attentionlab score shadowing``) take precedence: for a message
scored by hand, the share of words shadowed, the words counted and the
breakdown come from the hand scores; the lag and the intrusions still come
from the recogniser (a person marking words does not time them).

A message whose recording is missing (data shared without the audio)
counts with its hand scores if it has them and is otherwise left out; a
session whose sidecar or stimulus set cannot be found is not scored; both
with a note on stderr, the rest of the analysis goes on. A built-in set's
folder that is gone (data copied from another computer) is replaced by the
same set built on this one.

Automatic scores are cached (``$ATTENTIONLAB_CACHE/shadowing``, keyed by the
recording's and the passage's content and :data:`SCORER_VERSION`): decoding a
50 s message takes about 10 s, a second analysis of the same data none.
"""

import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.speech import shadowing
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.extras import require_speech

SCORER_VERSION = 3  # bump when the scoring changes: cached scores are then redone
AUTO, HAND = "auto", "hand"

COLUMNS: tuple[Column, ...] = (
    Column("shadow_scored_by", "str", "auto (speech recognition) or hand (attentionlab "
           "score shadowing; takes precedence); empty when the message was not recorded"),
    Column("shadow_words", "int", "attended words that could be scored"),
    Column("shadow_shadowed", "int", "of these, words the participant repeated"),
    Column("shadow_proportion", "float", "shadow_shadowed / shadow_words"),
    Column("shadow_mean_lag_s", "float", "mean time from a word's onset in the message to "
           "its repetition, in seconds (recognised words only)"),
    Column("shadow_median_lag_s", "float", "median of the same lags"),
    Column("shadow_intrusions", "int", "recognised words that occur only in the unattended "
           "passage (not matched to an attended word)"),
    Column("shadow_intrusion_words", "str", "those words, separated by ';'"),
    Column("shadow_breakdown_s", "float", "onset (s from the message start) of the first "
           "attended word of the first run of 5 missed words; empty if none"),
    Column("shadow_confidence", "float", "automatic score: share of attended words on which "
           "two independent decodings agree (said or not), 0-1"),
    Column("shadow_flagged", "int", "1 if the automatic score is unsure (confidence below "
           "0.9, or nothing recognised) and the message is not scored by hand: check it"),
)
NAMES = tuple(c.name for c in COLUMNS)


def score_messages(test: pd.DataFrame, sessions: pd.DataFrame, *, file_column: str,
                   progress=None) -> pd.DataFrame:
    """``test`` with the :data:`COLUMNS` added (filled on message rows that
    have a recording). ``sessions``: the reader's table (``file_column``, the
    file index both tables share, and ``file``, its path)."""
    FILE = file_column
    out = test.copy()
    for name in NAMES:
        out[name] = "" if name in ("shadow_scored_by", "shadow_intrusion_words") else math.nan
    if "recording_file" not in out or FILE not in out:
        return out
    todo = out.index[(out["item"] == "message") & (out["recording_file"].fillna("") != "")]
    if not len(todo):
        return out
    # Refused rather than skipped: results must not depend silently on what is installed.
    require_speech("scoring the shadowing recordings of dichotic sessions")
    files = dict(zip(sessions[FILE], sessions["file"]))
    progress = progress or _Progress(len(todo))
    for file_id, rows in out.loc[todo].groupby(FILE, sort=False):
        data_csv = Path(files[file_id])
        try:
            context = SessionContext(data_csv)
        except UsageError as exc:  # the rest of the analysis does not need it
            _note(f"shadowing in {data_csv.name} not scored: {exc}")
            continue
        for index, row in rows.iterrows():
            for name, value in context.score_row(row).items():
                if name in NAMES:
                    out.at[index, name] = value
            progress()
    return out


class SessionContext:
    """One data file's stimulus set and hand scores."""

    def __init__(self, data_csv: Path):
        from attentionlab.speech.hand_scores import read_hand_scores
        from attentionlab.stimuli import dichotic_set

        self.data_csv = data_csv
        facts = dichotic_set.session_stimulus_set(data_csv)
        if not facts.get("folder"):
            raise UsageError(f"{data_csv.with_suffix('.json')}: stimulus_set has no folder")
        folder = Path(facts["folder"])
        if not folder.is_dir() and facts.get("passage_set") in dichotic_set.BUILTIN_SETS:
            # data copied from another computer: the same built-in set, built here
            folder = dichotic_set.resolve_folder(facts["passage_set"])
        self.stimset = dichotic_set.read_set(str(folder))
        self.synthesised = _build_facts(folder)
        self.hand = read_hand_scores(data_csv)

    def score_row(self, row) -> dict:
        """The :data:`COLUMNS` of one message row (empty dict: not scored)."""
        practice = str(row.get("phase", "test")) == "practice"
        a_role = "practice_attended" if practice else "attended"
        u_role = "practice_unattended" if practice else "unattended"
        attended = self.stimset.find(a_role, row["attended_passage"], row["voice"])
        unattended = self.stimset.find(u_role, row["unattended_passage"], row["voice"])
        tokens = attended_onsets(attended, self.synthesised)
        mine = None
        if self.hand is not None and "trial_index" in row:
            # the reader gives numbers as floats (1.0), the hand scores as ints
            mine = self.hand[pd.to_numeric(self.hand["trial_index"], errors="coerce")
                             == float(row["trial_index"])]
        recording = self.data_csv.parent / row["recording_file"]
        result = {}
        if recording.is_file():
            offset_ms = float(row["recording_offset_ms"])
            result = {**_cached_auto_score(recording, offset_ms, tokens, unattended.text),
                      "shadow_scored_by": AUTO}
        elif mine is None or not len(mine):
            _note(f"{self.data_csv.name}: recording {row['recording_file']} (message "
                  f"{row.get('message')}) is missing and not scored by hand: left out")
        if mine is not None and len(mine):
            result.update(_hand_result(mine, tokens))
        return result

    def automatic_score(self, row) -> dict:
        """The automatic score of one message row (the :data:`COLUMNS`, cached,
        plus ``word_said``: per word of the attended passage True, False or
        None when unscorable); {} if its recording is missing."""
        practice = str(row.get("phase", "test")) == "practice"
        attended = self.stimset.find("practice_attended" if practice else "attended",
                                     row["attended_passage"], row["voice"])
        unattended = self.stimset.find("practice_unattended" if practice else "unattended",
                                       row["unattended_passage"], row["voice"])
        recording = self.data_csv.parent / row["recording_file"]
        if not recording.is_file():
            return {}
        tokens = attended_onsets(attended, self.synthesised)
        return _cached_auto_score(recording, float(row["recording_offset_ms"]), tokens,
                                  unattended.text)


def attended_onsets(recording, synthesised: dict | None) -> list[tuple[str, float]]:
    """(word, onset s in the message) for every word of the passage's text
    (:func:`shadowing.words_of`)."""
    from attentionlab.stimuli.dichotic_mix import speech_bounds
    from attentionlab.stimuli.dichotic_sound import load_mono

    x, rate = load_mono(recording.file)
    start_s = speech_bounds(x, rate)[0] / rate
    tokens = shadowing.word_spans(recording.text)
    if synthesised is not None:
        from attentionlab.stimuli.speech_timing import word_onsets

        events, _ = word_onsets(recording.text, lang=recording.lang, voice=recording.voice,
                                rate_wpm=synthesised.get("rate_wpm", 150))
        onsets = _onsets_of_tokens(tokens, events)
        if onsets is not None and max(onsets) < len(x) / rate:
            return [(w, t - start_s) for (_, w), t in zip(tokens, onsets)]
    # own recordings: recognise the passage with its own text
    from attentionlab.stimuli.dichotic_mix import trim_silence

    return shadowing.passage_onsets(trim_silence(x, rate), rate, recording.text)


def _onsets_of_tokens(tokens, events):
    """Each token's onset: the synthesiser's word event at or inside it."""
    if not events:
        return None
    positions = np.array([p for p, _ in events])
    times = [t for _, t in events]
    onsets = []
    for (start, word) in tokens:
        i = int(np.searchsorted(positions, start + len(word), side="left")) - 1
        if i < 0:
            return None
        onsets.append(times[i])
    return onsets


def _build_facts(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cached_auto_score(recording: Path, offset_ms: float, tokens, unattended_text) -> dict:
    from attentionlab.stimuli.dichotic_set import cache_root

    key = hashlib.sha256()
    key.update(recording.read_bytes())
    key.update(json.dumps([SCORER_VERSION, round(offset_ms, 3), tokens, unattended_text])
               .encode())
    cache = cache_root() / "shadowing" / f"{key.hexdigest()}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    from attentionlab.stimuli.dichotic_sound import load_mono

    samples, rate = load_mono(recording)
    scored = shadowing.score_recording(samples, rate, offset_ms, tokens, unattended_text)
    result = scored.row()
    result["shadow_intrusion_words"] = result["shadow_intrusion_words"] or ""
    result["word_said"] = list(scored.word_said)  # hand scoring's starting state
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{time.time_ns()}.tmp")
        tmp.write_text(json.dumps(result), encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass  # a read-only cache only costs time
    return result


def _hand_result(mine: pd.DataFrame, tokens) -> dict:
    mine = mine.sort_values("word_index")
    said = pd.to_numeric(mine["said"], errors="coerce").fillna(0).to_numpy().astype(bool)
    indexes = mine["word_index"].astype(int).to_numpy()
    first = shadowing.breakdown_start(~said)
    word = None if first is None else int(indexes[first])
    breakdown = tokens[word][1] if word is not None and word < len(tokens) else None
    n = len(said)
    return {"shadow_scored_by": HAND, "shadow_flagged": 0,  # a person has checked it
            "shadow_words": n, "shadow_shadowed": int(said.sum()),
            "shadow_proportion": round(float(said.mean()), 4) if n else math.nan,
            "shadow_breakdown_s": None if breakdown is None else round(breakdown, 3)}


def _note(text: str) -> None:
    print(f"attentionlab: note: {text}", file=sys.stderr, flush=True)


class _Progress:
    """A tqdm bar on stderr while recordings are decoded; silent while the
    scores come from the cache (it appears only after 2 s)."""

    def __init__(self, total: int):
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc="scoring shadowing recordings", unit="message",
                        file=sys.stderr, delay=2.0, leave=False)

    def __call__(self):
        self.bar.update(1)
        if self.bar.n >= self.bar.total:
            self.bar.close()
