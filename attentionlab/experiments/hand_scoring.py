"""``attentionlab score shadowing DATA_DIR``: score shadowing by hand.

For when automatic recognition is unsuitable (accents, noise, another
language): a person listens to each recorded message and clicks the words
of the attended passage that the participant repeated. The scores go into
the session's hand-score file (:mod:`attentionlab.speech.hand_scores`),
which the analysis prefers to the automatic scores.

This module finds what to score and saves it; the window is
:mod:`attentionlab.experiments.hand_scoring_screen`. Only test messages
with a recording are offered (practice messages are not analysed), and
messages already hand-scored are skipped unless ``--rescore``.

>>> parse_plan("0,2,5/a,3/escape")
[['0', '2', '5'], ['a', '3'], ['escape']]
"""

import csv
import datetime
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from attentionlab.core.errors import UsageError

DATA_GLOB = "*_task-dichotic_run-*_beh.csv"
SCORER_RE = re.compile(r"[A-Za-z0-9 ._-]{0,40}")
PLAN_KEYS = ("a", "n", "space", "left", "right", "pagedown", "pageup", "wait", "escape")

HELP = """Play each recorded shadowing message next to the attended passage's words and
mark the words the participant repeated (click a word to toggle it). Keys: space
play/pause, left/right seek 3 s, A all said, N none said, PageUp/PageDown other page,
Enter save and go on, Escape quit (the current message is not saved). Scores are
appended to <session>_shadowing-hand.csv next to each data file; the analysis uses
them instead of the automatic scores."""


@dataclass(frozen=True)
class Message:
    """One recorded test message to score; ``words`` as ``words_of`` gives
    them, ``shown`` the same words as written in the text (case, punctuation)."""

    data_csv: Path
    trial_index: int
    message: int
    attended_passage: str
    attended_ear: str
    wav: Path
    offset_ms: float
    words: tuple[str, ...]
    shown: tuple[str, ...]
    auto_said: tuple[bool, ...] = ()  # the automatic score per word: the boxes' start
    flagged: bool = False  # the automatic score is unsure: offered first


def register(subparsers) -> None:
    """Add ``score shadowing`` to the CLI's argparse subparsers."""
    score = subparsers.add_parser("score", help="score recordings by hand "
                                  "(shadowing in the dichotic task)")
    kinds = score.add_subparsers(dest="kind", metavar="KIND", parser_class=type(score))
    kinds.required = True
    shadowing = kinds.add_parser("shadowing", help="mark the words each participant "
                                 "repeated, listening to the recordings", description=HELP)
    shadowing.add_argument("data_dir", metavar="DATA_DIR",
                           help="folder searched (recursively) for dichotic data files")
    shadowing.add_argument("--scorer", default="", metavar="NAME",
                           help="who scores (written into every row; letters, digits, "
                                "spaces, . _ -; at most 40 characters)")
    shadowing.add_argument("--windowed", action="store_true",
                           help="a 1024x768 window instead of full screen")
    shadowing.add_argument("--rescore", action="store_true",
                           help="offer messages already scored too (new rows are appended; "
                                "the latest scoring counts)")
    shadowing.add_argument("--blank", action="store_true",
                           help="boxes start as 'not said' and messages come in file order, "
                                "blind to the automatic scores (by default flagged messages "
                                "come first and boxes start as the automatic scoring found)")
    shadowing.add_argument("--audio-device", default="", metavar="DEVICE",
                           help="sound output for playback: number or part of the name from "
                                "'python -m sounddevice' (default: the system's)")
    shadowing.add_argument("--autopilot", metavar="PLAN",
                           help="for testing: act through XTest instead of a person; PLAN "
                                "lists per message ('/' between messages) word numbers to "
                                "click and keys (a, n, space, left, right, pagedown, pageup, "
                                "wait, escape), e.g. '0,2,5/a,3/escape'; Enter after each")
    shadowing.set_defaults(func=run_command)


def run_command(args) -> int:
    """Exit status: 0 all offered messages saved, 1 quit with Escape, 2 usage error."""
    from attentionlab.core.extras import require_lab

    require_lab("scoring by hand (it plays the recordings in a PsychoPy window)")
    if not SCORER_RE.fullmatch(args.scorer):
        raise UsageError(f"--scorer {args.scorer!r}: use at most 40 letters, digits, "
                         f"spaces, dots, dashes or underscores")
    plan = parse_plan(args.autopilot) if args.autopilot is not None else None
    messages, skipped = find_messages(args.data_dir, rescore=args.rescore,
                                      automatic=not args.blank)
    if not messages:
        print(f"All {skipped} recorded message(s) under {args.data_dir} are already "
              f"hand-scored; use --rescore to score them again.")
        return 0
    from attentionlab.experiments.devices import check_display

    check_display(command="score shadowing ...")  # unset or unreachable: one line
    note = f" ({skipped} already scored, skipped; --rescore offers them)" if skipped else ""
    print(f"{len(messages)} message(s) to score{note}.", flush=True)

    from attentionlab.experiments.hand_scoring_screen import ScoringScreen

    screen = ScoringScreen(windowed=args.windowed, plan=plan, audio_device=args.audio_device)
    if not screen.playback.available:
        print(f"attentionlab: note: no sound output ({screen.playback.reason}); scoring "
              f"without playback", file=sys.stderr, flush=True)
    saved = 0
    try:
        for k, message in enumerate(messages):
            said = screen.score(message, k + 1, len(messages), args.scorer)
            if said is None:
                break
            save_scores(message, said, args.scorer)
            saved += 1
    finally:
        screen.close()
    print(f"Saved {saved} of {len(messages)} message(s).")
    return 0 if saved == len(messages) else 1


def parse_plan(text: str) -> list[list[str]]:
    """The autopilot's plan: per message, the items to do in order (word
    numbers to click, or key names); see ``--autopilot``."""
    plan = []
    for part in text.split("/"):
        items = [i.strip().lower() for i in part.split(",") if i.strip()]
        for item in items:
            if not (item.isdigit() or item in PLAN_KEYS):
                raise UsageError(f"--autopilot {text!r}: {item!r} is neither a word number "
                                 f"nor one of {', '.join(PLAN_KEYS)}")
        plan.append(items)
    return plan


# -- what to score ---------------------------------------------------------------------------
def find_messages(data_dir, rescore: bool = False,
                  automatic: bool = False) -> tuple[list[Message], int]:
    """Every recorded test message under ``data_dir`` (files in name order,
    messages in trial order) and how many were skipped as already scored.
    ``automatic``: fill in the automatic scores (``auto_said``, ``flagged``)
    and put flagged messages first.
    :class:`UsageError` if the folder is bad or holds no recordings."""
    from attentionlab.speech.hand_scores import read_hand_scores

    folder = Path(data_dir)
    if not folder.is_dir():
        raise UsageError(f"DATA_DIR {str(folder)!r} is not a folder")
    files = sorted(folder.rglob(DATA_GLOB))
    found, skipped = [], 0
    for data_csv in files:
        try:
            messages = _messages_of(data_csv, automatic)
            done = read_hand_scores(data_csv) if messages else None
        except UsageError as exc:
            print(f"attentionlab: warning: {exc}; skipping this file", file=sys.stderr)
            continue
        scored = set() if done is None else set(done["trial_index"])
        for m in messages:
            if m.trial_index in scored and not rescore:
                skipped += 1
            else:
                found.append(m)
    if not found and not skipped:
        raise UsageError(f"no recorded shadowing under {str(folder)!r} "
                         f"({len(files)} dichotic data file(s), none with recordings)")
    found.sort(key=lambda m: not m.flagged)  # stable: flagged first, else in order
    return found, skipped


def _messages_of(data_csv: Path, automatic: bool = False) -> list[Message]:
    import pandas as pd

    data = pd.read_csv(data_csv, dtype=str, keep_default_na=False)
    if "recording_file" not in data.columns:
        return []  # written before recording existed, or with record_voice off
    needed = ("trial_index", "phase", "item", "message", "attended_passage", "attended_ear",
              "recording_offset_ms")
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise UsageError(f"{data_csv}: no column(s) {', '.join(missing)}")
    rows = data[(data["item"] == "message") & (data["phase"] == "test")
                & (data["recording_file"] != "")]
    if rows.empty:
        return []
    texts = _passage_texts(data_csv)
    out = []
    for row in rows.itertuples():
        wav = data_csv.parent / row.recording_file
        if not wav.is_file():
            print(f"attentionlab: warning: {wav} is missing; message {row.message} of "
                  f"{data_csv.name} cannot be scored", file=sys.stderr)
            continue
        text = texts.get(row.attended_passage)
        if text is None:
            raise UsageError(f"{data_csv}: attended passage {row.attended_passage!r} is not "
                             f"in the stimulus set")
        words, shown = display_words(text)
        auto = _automatic(data_csv, row._asdict(), len(words)) if automatic else ((), False)
        if not words:
            print(f"attentionlab: warning: passage {row.attended_passage!r} has no words to "
                  f"score; message {row.message} of {data_csv.name} skipped", file=sys.stderr)
            continue
        out.append(Message(data_csv, int(row.trial_index), int(row.message),
                           row.attended_passage, row.attended_ear, wav,
                           float(row.recording_offset_ms or 0), tuple(words), tuple(shown),
                           *auto))
    return out


def _automatic(data_csv: Path, row: dict, n_words: int) -> tuple[tuple, bool]:
    """(said per word, flagged) from the automatic scoring (cached by
    ``analyze``; decoded here otherwise), or ((), False) when it cannot be
    had (no PocketSphinx, set or recording problems): the boxes then start
    as "not said"."""
    from attentionlab.speech.shadowing_sessions import SessionContext

    try:
        auto = SessionContext(data_csv).automatic_score(row)
    except (UsageError, KeyError, ValueError, OSError, RuntimeError) as exc:
        print(f"attentionlab: note: no automatic score for message {row.get('message')} of "
              f"{data_csv.name} ({exc}); its words start as not said", file=sys.stderr)
        return (), False
    said = auto.get("word_said") or []
    if len(said) != n_words:
        return (), False
    return tuple(bool(s) for s in said), bool(auto.get("shadow_flagged"))


def _passage_texts(data_csv: Path) -> dict:
    """Attended passage id -> text, from the stimulus set named in the sidecar.
    If the set's folder is gone (data copied to another computer), a built-in
    set's texts come from the program itself."""
    from attentionlab.stimuli import dichotic_set, dichotic_texts

    stim = dichotic_set.session_stimulus_set(data_csv)
    folder, name = stim.get("folder") or "", stim.get("passage_set") or ""
    attended = ("attended", "practice_attended")
    if folder and Path(folder).is_dir():
        return {r.id: r.text for r in dichotic_set.read_set(folder).recordings
                if r.role in attended}
    if name in dichotic_set.BUILTIN_SETS:
        print(f"attentionlab: note: stimulus folder {folder!r} not found; using the built-in "
              f"texts of the {name!r} set", file=sys.stderr)
        return {pid: p.text for pid, p in dichotic_texts.PASSAGES[name].items()
                if p.role in attended}
    raise UsageError(f"{data_csv.with_suffix('.json')}: the stimulus set folder {folder!r} "
                     f"does not exist")


def display_words(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` as scored (``words_of``) and as shown: the same
    words with their capitals and the punctuation that follows them.

    >>> display_words("The keeper's lamp, at dusk.")[1]
    ['The', "keeper's", 'lamp,', 'at', 'dusk.']
    """
    from attentionlab.speech.shadowing import words_of

    words = words_of(text)
    shown = [m.group(0) for m in re.finditer(r"[A-Za-z]+(?:'[A-Za-z]+)?[^\sA-Za-z']*", text)]
    if [words_of(s)[:1] for s in shown] != [[w] for w in words]:
        shown = list(words)  # text the two patterns split differently: show the plain words
    return words, shown


# -- saving ----------------------------------------------------------------------------------
def save_scores(message: Message, said, scorer: str, scored_at: str | None = None) -> Path:
    """Append one message's scores (one row per word) to its session's
    hand-score file: created exclusively with its header the first time,
    then appended in one write and fsynced."""
    from attentionlab.speech.hand_scores import HEADER, hand_scores_path

    if len(said) != len(message.words):
        raise ValueError(f"{len(said)} marks for {len(message.words)} words")
    stamp = scored_at or datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    path = hand_scores_path(message.data_csv)
    try:
        fh = open(path, "x", newline="", encoding="utf-8")
    except FileExistsError:
        _check_header(path, HEADER)
        fh = open(path, "a", newline="", encoding="utf-8")
    if fh.tell() == 0:  # new (or left empty by a crash right after its creation)
        writer.writerow(HEADER)
    writer.writerows([message.trial_index, i, w, int(bool(s)), scorer, stamp]
                     for i, (w, s) in enumerate(zip(message.words, said)))
    with fh:
        fh.write(buf.getvalue())  # one write: a crash leaves whole saves or none
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _check_header(path: Path, header) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        first = next(csv.reader(fh), None)
    if first is not None and first != header:
        raise UsageError(f"{path}:1: not a hand-score file (header {first!r}); "
                         f"move it away to score this session")
