"""Automatic scoring of shadowing: what the participant repeated, and how late.

The recording of a message (``recording_file``, with the message's start at
``recording_offset_ms``) is decoded with PocketSphinx (its US English model
ships inside the ``pocketsphinx`` package), constrained to a loop over the
words of the attended and the unattended passage: the recogniser can only
answer with words that were played, so the question is *which* and *when*.
Long recordings are cut at pauses (the voice key's envelope) into
utterances of at most ``MAX_CHUNK_S``, because PocketSphinx's grammar search
slows down sharply on long utterances.

Each attended word (with its onset in the message, :func:`passage_onsets`)
is matched, in order, to the first unused recognised instance of the same
word that starts 0 to ``max_lag_s`` after it. From the matches:

* ``proportion_shadowed``: matched attended words / attended words;
* ``mean_lag_s``, ``median_lag_s``: recognised start minus attended onset;
* ``intrusions``: recognised words that were not matched and occur only in
  the unattended passage;
* ``breakdown_s``: onset of the first attended word of the first run of
  ``BREAKDOWN_RUN`` missed words (None if the shadowing never broke down).

>>> words_of("The keeper's lamp, at dusk.")
['the', "keeper's", 'lamp', 'at', 'dusk']
"""

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np

from attentionlab.analysis.recogniser import (DECODE_RATE, decode, decode_active, decoder,
                                              dictionary_form, known_words, prepare)
from attentionlab.core.errors import UsageError

MAX_CHUNK_S = 3.0  # shadowing: short utterances keep the grammar passes in step
PASSAGE_CHUNK_S = 6.0  # the passage's own clean sound: longer context recognises better
MIN_PAUSE_S = 0.15  # a pause this long may end an utterance
BREAKDOWN_RUN = 5
MIN_INTRUSION_LETTERS = 3
# PocketSphinx's default language weight (6.5) makes leaving an optional
# word out of the grammar cheap: said words went unreported (recall 0.81 on a
# synthetic shadower). At 1.0 the sound decides (recall 0.94, 3% of unsaid
# words reported), measured on tests/shadowing's synthetic participant.
LANGUAGE_WEIGHT = 1.0


def _decoder(loop: bool = False):
    # A free loop over a few hundred words makes the lattice's best-path
    # search explode (a 50 s recording did not finish in 15 minutes); its
    # Viterbi result is enough there. The grammar passes need the lattice
    # (without it no optional word was reported).
    return decoder(lw=LANGUAGE_WEIGHT, bestpath=not loop)


@dataclass(frozen=True)
class Word:
    word: str
    start_s: float  # from the start of the decoded signal
    end_s: float


@dataclass(frozen=True)
class ShadowingScore:
    n_words: int  # attended words that could be scored (in the recogniser's dictionary)
    n_shadowed: int
    proportion_shadowed: float
    mean_lag_s: float | None
    median_lag_s: float | None
    intrusions: tuple[str, ...]
    breakdown_s: float | None
    matches: tuple = field(default=(), repr=False)  # (word, attended onset s, lag s)
    unscorable: tuple[str, ...] = ()  # attended words missing from the dictionary

    def row(self) -> dict:
        return {"shadow_words": self.n_words, "shadow_shadowed": self.n_shadowed,
                "shadow_proportion": round(self.proportion_shadowed, 4),
                "shadow_mean_lag_s": _r(self.mean_lag_s),
                "shadow_median_lag_s": _r(self.median_lag_s),
                "shadow_intrusions": len(self.intrusions),
                "shadow_intrusion_words": ";".join(self.intrusions),
                "shadow_breakdown_s": _r(self.breakdown_s)}


WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def words_of(text: str) -> list[str]:
    """Lower-case words of a transcript (apostrophes kept, punctuation dropped)."""
    return [w for _, w in word_spans(text)]


def word_spans(text: str) -> list[tuple[int, str]]:
    """(index of the first character, lower-case word) of every word in ``text``.

    >>> word_spans("Up, up!")
    [(0, 'up'), (4, 'up')]
    """
    return [(m.start(), m.group().lower()) for m in WORD.finditer(text)]


def _chunks(x: np.ndarray, rate: int, max_chunk_s: float = MAX_CHUNK_S) -> list[tuple[int, int]]:
    """Cut at pauses into pieces of at most MAX_CHUNK_S (sample ranges)."""
    from attentionlab.analysis.voicekey import envelope

    times, db = envelope(x, rate, window_ms=20.0, step_ms=10.0)
    if len(db) == 0:
        return []
    floor = float(np.percentile(db, 10))
    quiet = db < max(floor + 10.0, float(db.max()) - 35.0)
    need = int(round(MIN_PAUSE_S / 0.01))
    limit = int(max_chunk_s * rate)
    cuts, start, run = [], 0, 0
    best_cut = None
    for i, q in enumerate(quiet):
        run = run + 1 if q else 0
        pos = int(times[i] * rate)
        if run >= need:
            best_cut = pos - (run // 2) * int(0.01 * rate)  # the middle of the pause
        if pos - start >= limit:
            cut = best_cut if best_cut and best_cut > start else pos
            cuts.append((start, cut))
            start, best_cut = cut, None
    cuts.append((start, len(x)))
    return [(a, b) for a, b in cuts if b - a > int(0.1 * rate)]


def recognise(samples: np.ndarray, rate: int, vocabulary, expected=None,
              max_lag_s: float = 4.0, max_chunk_s: float = MAX_CHUNK_S) -> list[Word]:
    """Words in ``samples`` (mono), the recogniser limited to ``vocabulary``.

    ``expected``: (word, time s in ``samples``) of the words that should be said
    (the attended passage). Each utterance is then decoded with a grammar
    of the words due in it, in their order, each optional or replaced by a
    ``vocabulary`` word not expected (an intrusion): far more robust than a
    free loop over the words, and still free to leave any word out.
    """
    x = prepare(samples, rate)
    decoder = _decoder(loop=expected is None)
    vocab = sorted(set(known_words(decoder, vocabulary)))
    if not vocab:
        raise UsageError("none of the passage's words is in the recogniser's dictionary")
    if expected is None:
        decoder.add_jsgf_string("shadow", "#JSGF V1.0;\ngrammar shadow;\npublic <s> = ( "
                                + " | ".join(vocab) + " )* ;\n")
        decoder.activate_search("shadow")
    else:
        expected = [(w, t) for w, t in expected if w in vocab]
    words, next_i = [], 0
    for a, b in _chunks(x, DECODE_RATE, max_chunk_s):
        if expected is None:
            said = decode_active(decoder, x[a:b])
        else:
            # words not yet heard, due to be said in this utterance
            due_idx = [i for i in range(next_i, len(expected))
                       if a / DECODE_RATE - max_lag_s <= expected[i][1] <= b / DECODE_RATE]
            if not due_idx:
                continue
            due = [expected[i][0] for i in due_idx]
            said = decode(decoder, x[a:b], " ".join(f"[ {w} ]" for w in due),
                          name=f"chunk{a}")
        k = 0  # position in the due sequence (the grammar keeps its order)
        for w, start, end in said:
            if w not in vocab:
                continue
            if expected is not None:
                while k < len(due) and due[k] != w:
                    k += 1
                if k < len(due):
                    next_i = due_idx[k] + 1
                    k += 1
            words.append(Word(w, a / DECODE_RATE + start, a / DECODE_RATE + end))
    return words


def passage_onsets(samples: np.ndarray, rate: int, text: str) -> list[tuple[str, float]]:
    """Onset (s) of every word of ``text`` (:func:`words_of`) in its own
    recording ``samples``.

    The passage is recognised with its own words only and the result aligned
    with the text; words not found (or not in the dictionary) get onsets
    interpolated between their found neighbours.
    """
    import difflib

    dec = _decoder()
    tokens = words_of(text)
    forms = [dictionary_form(dec, w) for w in tokens]
    found = recognise(samples, rate, [f for f in forms if f], max_chunk_s=PASSAGE_CHUNK_S)
    onsets = [None] * len(tokens)
    matcher = difflib.SequenceMatcher(a=forms, b=[w.word for w in found], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            onsets[block.a + k] = found[block.b + k].start_s
    idx = [i for i, t in enumerate(onsets) if t is not None]
    if not idx:
        raise UsageError("could not find the passage's words in its recording")
    filled = np.interp(np.arange(len(onsets)), idx, [onsets[i] for i in idx])
    return list(zip(tokens, (float(t) for t in filled)))


def score(recognised: list[Word], attended: list[tuple[str, float]], unattended_text: str,
          offset_s: float, max_lag_s: float = 4.0, unscorable=()) -> ShadowingScore:
    """Score recognised words against the attended words' onsets.

    ``offset_s``: where the message starts in the recording (``recording_offset_ms``
    / 1000); ``attended``: (word, onset s from the message start).
    """
    heard = sorted(recognised, key=lambda w: w.start_s)
    n_a, n_h = len(attended), len(heard)

    def lag_of(i, j):
        return heard[j].start_s - (attended[i][1] + offset_s)

    def can(i, j):
        return heard[j].word == attended[i][0] and -0.05 <= lag_of(i, j) <= max_lag_s

    # Order-keeping alignment (dynamic programming): most matches, and among
    # those the smallest total lag (a word is matched to its earliest plausible
    # repetition, not to a later instance of the same word).
    best = [[(0, 0.0)] * (n_h + 1) for _ in range(n_a + 1)]
    for i in range(n_a - 1, -1, -1):
        for j in range(n_h - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if can(i, j):
                c, l = best[i + 1][j + 1]
                options.append((c + 1, l - lag_of(i, j)))
            best[i][j] = max(options)
    used = [False] * n_h
    missed, matches = [], []
    i = j = 0
    while i < n_a:
        if j < n_h and can(i, j):
            c, l = best[i + 1][j + 1]
            if best[i][j] == (c + 1, l - lag_of(i, j)):
                used[j] = True
                matches.append((attended[i][0], attended[i][1], lag_of(i, j)))
                missed.append(False)
                i, j = i + 1, j + 1
                continue
        if j < n_h and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            missed.append(True)
            i += 1
    attended_vocab = {w for w, _ in attended}
    unattended_vocab = set(words_of(unattended_text)) - attended_vocab
    intrusions = tuple(h.word for h, u in zip(heard, used) if not u and h.word in unattended_vocab)
    first = breakdown_start(missed)
    breakdown = None if first is None else attended[first][1]
    lags = np.array([m[2] for m in matches])
    n = len(attended)
    return ShadowingScore(
        n_words=n, n_shadowed=len(matches),
        proportion_shadowed=len(matches) / n if n else float("nan"),
        mean_lag_s=float(lags.mean()) if lags.size else None,
        median_lag_s=float(np.median(lags)) if lags.size else None,
        intrusions=intrusions, breakdown_s=breakdown, matches=tuple(matches),
        unscorable=tuple(unscorable))


def breakdown_start(missed) -> int | None:
    """Index of the first word of the first run of ``BREAKDOWN_RUN`` missed
    words (``missed``: one bool per attended word, in order), or None.

    >>> breakdown_start([False, True, True, True, True, True, False])
    1
    """
    run = 0
    for i, m in enumerate(missed):
        run = run + 1 if m else 0
        if run == BREAKDOWN_RUN:
            return i - BREAKDOWN_RUN + 1
    return None


def verify_words(samples: np.ndarray, rate: int, expected, lag_s: float,
                 vocabulary, intruders=()) -> list[Word]:
    """Second pass: was each expected word said about ``lag_s`` after it was due?

    For word i the stretch from the previous word's expected time to the
    next one's (shifted by ``lag_s``) is decoded with the grammar
    ``[w(i-1)] [w(i)] [w(i+1)]``: the neighbours absorb their own sound, so
    word i is only reported if it was there. ``expected``: (word, due time s).
    ``intruders``: unattended words heard (:class:`Word`); one heard in the
    stretch competes with word i, so it is not taken for it.
    """
    x = prepare(samples, rate)
    decoder = _decoder()
    vocab = set(known_words(decoder, vocabulary))
    expected = [(w, t) for w, t in expected if w in vocab]
    found = []
    for i, (w, t) in enumerate(expected):
        lo = (expected[i - 1][1] if i > 0 else t - 0.6) + lag_s - 0.2
        hi = (expected[i + 1][1] if i + 1 < len(expected) else t + 0.6) + lag_s + 0.6
        a, b = max(int(lo * DECODE_RATE), 0), min(int(hi * DECODE_RATE), len(x))
        if b - a < int(0.1 * DECODE_RATE):
            continue
        # slots in order: the previous word, this word or an unattended
        # word said in its place (so an intrusion is not taken for it), the next
        others = {u.word for u in intruders if lo <= u.start_s <= hi and u.word in vocab}
        slots = ([{expected[i - 1][0]}] if i > 0 else []) + [{w, *others}]
        mine = len(slots) - 1
        if i + 1 < len(expected):
            slots.append({expected[i + 1][0]})
        grammar = " ".join("[ " + " | ".join(sorted(slot)) + " ]" for slot in slots)
        said = decode(decoder, x[a:b], grammar, name=f"v{i}")
        k = 0
        for name, start, end in said:
            while k < len(slots) and name not in slots[k]:
                k += 1
            if k == mine and name == w:
                found.append(Word(w, a / DECODE_RATE + start, a / DECODE_RATE + end))
            k += 1
    return found


def score_recording(samples: np.ndarray, rate: int, offset_ms: float,
                    attended: list[tuple[str, float]], unattended_text: str,
                    max_lag_s: float = 4.0) -> ShadowingScore:
    """Recognise a shadowing recording and :func:`score` it.

    ``attended``: (word, onset s from the message start) of every word of the
    attended passage; words the recogniser's dictionary lacks cannot be
    scored and are left out (listed in ``unscorable``).
    """
    dec = _decoder()
    forms = [(dictionary_form(dec, w), t) for w, t in attended]
    unscorable = tuple(w for (w, _), (f, _) in zip(attended, forms) if f is None)
    attended = [(f, t) for f, t in forms if f is not None]
    vocabulary = [w for w, _ in attended] + words_of(unattended_text)
    offset_s = offset_ms / 1000
    due = [(w, t + offset_s) for w, t in attended]
    heard = recognise(samples, rate, vocabulary, expected=due, max_lag_s=max_lag_s)
    first = score(heard, attended, unattended_text, offset_s, max_lag_s, unscorable)
    if first.median_lag_s is None:
        return first
    # intrusions: a free pass over both passages' words (the grammar passes
    # only know the attended words); very short words are too easily confused
    # to count
    only_unattended = set(words_of(unattended_text)) - {w for w, _ in attended}
    intruders = [h for h in recognise(samples, rate, vocabulary)
                 if h.word in only_unattended and len(h.word) >= MIN_INTRUSION_LETTERS]
    # second pass at the participant's typical lag: word by word
    checked = verify_words(samples, rate, due, first.median_lag_s, vocabulary, intruders)
    final = score(checked, attended, unattended_text, offset_s, max_lag_s, unscorable)
    return dataclasses.replace(final, intrusions=tuple(h.word for h in intruders))


def _r(value, digits=3):
    return None if value is None else round(float(value), digits)
