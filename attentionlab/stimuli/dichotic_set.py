"""Stimulus sets of the dichotic task: a folder of recordings and a CSV describing them.

A set is a folder holding ``stimuli.csv`` and the sound files it names. The
built-in sets (``standard``, ``short``) are synthesised from
:mod:`~attentionlab.stimuli.dichotic_texts` by ``attentionlab stimuli build``
into the user's cache; a lab's own recordings use the same format, so the
task treats both alike.

``stimuli.csv`` columns (one row per recording):

========== ==========================================================================
``file``       sound file, relative to the folder (WAV or FLAC, mono or stereo, any rate)
``id``         passage id (e.g. ``A1``); for words the word itself
``role``       attended | unattended | german | practice_attended | practice_unattended | word
``lang``       en | de
``voice``      male | female
``text``       what is said (the transcript; for words the word)
``test_words`` attended passages only: words that occur in the passage, separated by ``;``
========== ==========================================================================

Where the cache lives: ``$ATTENTIONLAB_CACHE``, else ``$XDG_CACHE_HOME/attentionlab``,
else ``~/.cache/attentionlab``; the built-in sets go into
``<cache>/dichotic/<set>-<fingerprint>/`` where the fingerprint (12 hex
digits) hashes the texts, voices, speaking rate and espeak-ng version, so a
changed text or synthesiser gives a new folder and an old one is never
silently reused. The standard set takes about 30 MB (FLAC), the short set
under 1 MB.

>>> info = set_info("short")
>>> info.ids("attended")[:2], len(info.word_pool) >= 24
(('A1', 'A2'), True)
"""

import csv
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from attentionlab.core.errors import UsageError
from attentionlab.stimuli import dichotic_texts, speech

BUILTIN_SETS = ("standard", "short")
MANIFEST = "stimuli.csv"
CSV_COLUMNS = ("file", "id", "role", "lang", "voice", "text", "test_words")
PASSAGE_ROLES = ("attended", "unattended", "german", "practice_attended",
                 "practice_unattended")
ROLES = PASSAGE_ROLES + ("word",)
FORMAT_VERSION = 1  # bump when the way sets are built changes


def cache_root() -> Path:
    """The folder for generated stimuli (see the module doc)."""
    if os.environ.get("ATTENTIONLAB_CACHE"):
        return Path(os.environ["ATTENTIONLAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "attentionlab"


def fingerprint(name: str, rate_wpm: int = speech.DEFAULT_RATE_WPM) -> str:
    """12 hex digits identifying what a built-in set is made from."""
    payload = {
        "format": FORMAT_VERSION, "set": name, "rate_wpm": rate_wpm,
        "espeak_ng": speech.espeak_version(), "voices": sorted(speech.VOICES.items()),
        "passages": {k: [p.role, p.lang, p.text, list(p.test_words)]
                     for k, p in sorted(dichotic_texts.PASSAGES[name].items())},
        "words": list(dichotic_texts.WORD_POOL),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def builtin_folder(name: str, root: Path | None = None) -> Path:
    """Where built-in set ``name`` is (or would be) built."""
    return Path(root or cache_root()) / "dichotic" / f"{name}-{fingerprint(name)}"


def build(name: str, root: Path | None = None, *, force: bool = False,
          progress=None) -> Path:
    """Synthesise built-in set ``name`` into the cache; return its folder.

    Every passage in both voices (the voice change needs the other one), and
    every pool word in both voices. Written into a temporary folder and
    renamed at the end, so an interrupted build leaves no half set. An
    existing complete set is kept unless ``force``.
    """
    import soundfile

    if name not in BUILTIN_SETS:
        raise UsageError(f"unknown stimulus set {name!r}; built-in sets: {', '.join(BUILTIN_SETS)}")
    target = builtin_folder(name, root)
    if (target / MANIFEST).exists() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        (work / "audio").mkdir()
        rows = []
        jobs = [(pid, p.role, p.lang, p.text, p.test_words)
                for pid, p in sorted(dichotic_texts.PASSAGES[name].items())]
        jobs += [(w, "word", "en", w, ()) for w in dichotic_texts.WORD_POOL]
        total = len(jobs) * len(speech.GENDERS)
        for pid, role, lang, text, test_words in jobs:
            for voice in speech.GENDERS:
                samples, rate = speech.synthesize(text, lang=lang, voice=voice)
                rel = f"audio/{role}_{pid}_{voice}.flac"
                soundfile.write(work / rel, samples, rate, subtype="PCM_16", format="FLAC")
                rows.append({"file": rel, "id": pid, "role": role, "lang": lang,
                             "voice": voice, "text": text, "test_words": ";".join(test_words)})
                if progress:
                    progress(len(rows), total)
        _write_manifest(work / MANIFEST, rows)
        (work / "build.json").write_text(json.dumps({
            "set": name, "fingerprint": fingerprint(name), "espeak_ng": speech.espeak_version(),
            "voices": {f"{l}/{v}": n for (l, v), n in speech.VOICES.items()},
            "rate_wpm": speech.DEFAULT_RATE_WPM, "format": FORMAT_VERSION}, indent=2) + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _write_manifest(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclass(frozen=True)
class Recording:
    """One row of ``stimuli.csv``, with its file as an absolute path."""

    file: Path | None
    id: str
    role: str
    lang: str
    voice: str
    text: str
    test_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetInfo:
    """What the trial list needs to know about a set (no sound is loaded).

    ``passages`` maps (role, id) to the voices it is recorded in;
    ``test_words`` maps attended passage ids to their test words;
    ``word_pool`` lists all words, ``word_voices`` the voices each is recorded in.
    """

    name: str
    passages: dict = field(default_factory=dict)
    test_words: dict = field(default_factory=dict)
    word_pool: tuple[str, ...] = ()
    word_voices: dict = field(default_factory=dict)

    def ids(self, role: str) -> tuple[str, ...]:
        """Passage ids of ``role``, sorted."""
        return tuple(sorted(pid for r, pid in self.passages if r == role))

    def voices(self, role: str, pid: str) -> tuple[str, ...]:
        return self.passages.get((role, pid), ())


def set_info(passage_set: str) -> SetInfo:
    """The :class:`SetInfo` of a built-in set (from the texts, without
    building it) or of a folder of recordings (from its CSV)."""
    if passage_set in BUILTIN_SETS:
        passages, tests = {}, {}
        for pid, p in dichotic_texts.PASSAGES[passage_set].items():
            passages[(p.role, pid)] = speech.GENDERS
            if p.test_words:
                tests[pid] = p.test_words
        words = dichotic_texts.WORD_POOL
        return SetInfo(passage_set, passages, tests, words, {w: speech.GENDERS for w in words})
    return _info_from_recordings(passage_set, read_set(passage_set).recordings)


def _info_from_recordings(name, recordings):
    passages, tests, words, word_voices = {}, {}, [], {}
    for r in recordings:
        if r.role == "word":
            if r.id not in word_voices:
                words.append(r.id)
                word_voices[r.id] = ()
            if r.file is not None:
                word_voices[r.id] += (r.voice,)
        else:
            passages[(r.role, r.id)] = passages.get((r.role, r.id), ()) + (r.voice,)
            if r.test_words:
                tests[r.id] = r.test_words
    return SetInfo(name, passages, tests, tuple(words), word_voices)


@dataclass(frozen=True)
class StimulusSet:
    """A set's folder and its recordings (sound loaded on demand)."""

    folder: Path
    recordings: tuple[Recording, ...]

    def find(self, role: str, pid: str, voice: str) -> Recording:
        for r in self.recordings:
            if r.role == role and r.id == pid and r.voice == voice and r.file is not None:
                return r
        raise UsageError(f"stimulus set {str(self.folder)!r} has no {voice} recording of "
                         f"{role} {pid!r}; add one to {MANIFEST}")

    def manifest_sha256(self) -> str:
        return hashlib.sha256((self.folder / MANIFEST).read_bytes()).hexdigest()


def resolve_folder(passage_set: str) -> Path:
    """The folder of ``passage_set``: a built-in set's cache folder (which
    must have been built) or the folder given."""
    if passage_set in BUILTIN_SETS:
        folder = builtin_folder(passage_set)
        if not (folder / MANIFEST).exists():
            raise UsageError(
                f"the {passage_set!r} dichotic stimuli are not built yet; run "
                f"'attentionlab stimuli build dichotic' (writes {folder.parent})")
        return folder
    return Path(passage_set)


def session_stimulus_set(data_csv) -> dict:
    """The ``stimulus_set`` entry (``passage_set``, ``folder``, ...) of a
    dichotic session's sidecar, next to its data file ``data_csv``;
    :class:`UsageError` naming the sidecar when it is missing or has none."""
    sidecar = Path(data_csv).with_suffix(".json")
    try:
        entry = json.loads(sidecar.read_text(encoding="utf-8"))["stimulus_set"]
    except (OSError, ValueError, KeyError, TypeError):
        entry = None
    if not isinstance(entry, dict):
        raise UsageError(f"{sidecar}: no readable sidecar with a stimulus_set entry")
    return entry


def read_set(passage_set: str) -> StimulusSet:
    """Read and check a set's ``stimuli.csv``; :class:`UsageError` naming the
    file and line of any problem."""
    folder = resolve_folder(passage_set)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise UsageError(f"stimulus set {str(folder)!r} has no {MANIFEST} "
                         f"(columns: {', '.join(CSV_COLUMNS)}; see docs/tasks/dichotic.md)")
    recordings = []
    with open(manifest, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])
                   and c != "test_words"]
        if missing:
            raise UsageError(f"{manifest}: missing column(s) {', '.join(missing)}; "
                             f"required: {', '.join(CSV_COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            recordings.append(_recording(manifest, line, folder, row))
    if not recordings:
        raise UsageError(f"{manifest}: no recordings listed")
    return StimulusSet(folder, tuple(recordings))


def _recording(manifest, line, folder, row) -> Recording:
    where = f"{manifest}, line {line}"
    role, lang, voice = (row.get(k, "").strip() for k in ("role", "lang", "voice"))
    pid, text = row.get("id", "").strip(), row.get("text", "").strip()
    if role not in ROLES:
        raise UsageError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
    if voice not in speech.GENDERS:
        raise UsageError(f"{where}: voice {voice!r} is not one of {', '.join(speech.GENDERS)}")
    if lang not in ("en", "de"):
        raise UsageError(f"{where}: lang {lang!r} is not en or de")
    if not pid:
        raise UsageError(f"{where}: id is empty")
    name = row.get("file", "").strip()
    path = None
    if name:
        path = (folder / name).resolve()
        if not path.is_file():
            raise UsageError(f"{where}: sound file {name!r} does not exist")
    elif role != "word":
        raise UsageError(f"{where}: a passage needs a sound file")
    tests = tuple(w.strip().lower() for w in (row.get("test_words") or "").split(";")
                  if w.strip())
    return Recording(path, pid, role, lang, voice, text, tests)
