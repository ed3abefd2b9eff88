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

from attentionlab.speech.recogniser import (DECODE_RATE, decode, decode_active, decoder,
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
MIN_SOUNDED = 0.5  # share of a word's length that must be sound (see _sound_check)
CONTEXT_S = 0.3  # s: the forced choice hears this much either side
RIVAL_BEFORE_S = 0.6  # s: a word this long may hide an intrusion-like part
AGREE_S = 0.3  # s: two passes heard "the same" word when their starts are this close
# A message is flagged for checking by hand when the two decodings disagree
# on more than 10 % of its words: each disagreement may be an error of the
# automatic score, so the share could then be off by more than 0.10.
FLAG_BELOW = 0.9
DITHER = 1e-4  # see vocal_response.DITHER: digital silence upsets PocketSphinx


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
    said: tuple[bool, ...] = ()  # per scorable attended word, in order
    confidence: float | None = None  # share of words two decodings agree on (see score_recording)
    word_said: tuple = ()  # per attended word given (None: not in the dictionary)

    @property
    def flagged(self) -> bool:
        """True when a person should check this message (:data:`FLAG_BELOW`)."""
        return self.confidence is None or self.confidence < FLAG_BELOW

    def row(self) -> dict:
        return {"shadow_words": self.n_words, "shadow_shadowed": self.n_shadowed,
                "shadow_proportion": round(self.proportion_shadowed, 4),
                "shadow_mean_lag_s": _r(self.mean_lag_s),
                "shadow_median_lag_s": _r(self.median_lag_s),
                "shadow_intrusions": len(self.intrusions),
                "shadow_intrusion_words": ";".join(self.intrusions),
                "shadow_breakdown_s": _r(self.breakdown_s),
                "shadow_confidence": _r(self.confidence),
                "shadow_flagged": int(self.flagged)}


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
    """Cut at pauses into pieces of at most ``max_chunk_s`` (sample ranges).

    Each piece ends in the longest pause of its second half; read speech
    often has no pause of ``MIN_PAUSE_S`` for seconds, and then the piece ends
    at the quietest 10 ms of its second half (a gap between words) rather
    than in the middle of a word.
    """
    from attentionlab.speech.voicekey import envelope

    times, db = envelope(x, rate, window_ms=20.0, step_ms=10.0)
    if len(db) == 0:
        return []
    floor = float(np.percentile(db, 10))
    quiet = db < max(floor + 10.0, float(db.max()) - 35.0)
    run = np.zeros(len(db), int)  # length of the quiet run ending at each step
    for i, q in enumerate(quiet):
        run[i] = run[i - 1] + 1 if q and i else int(q)
    need = int(round(MIN_PAUSE_S / 0.01))
    step = int(round(max_chunk_s / 0.01))
    cuts, start = [], 0
    while len(db) - start > step:
        lo, hi = start + step // 2, start + step
        if run[lo:hi].max() >= need:
            end = lo + int(np.argmax(run[lo:hi]))
            cut = end - run[end] // 2  # the middle of the pause
        else:
            cut = lo + int(np.argmin(db[lo:hi]))
        cuts.append((start, cut))
        start = cut
    cuts.append((start, len(db)))
    bounds = [(int(times[a] * rate), int(times[b] * rate) if b < len(db) else len(x))
              for a, b in cuts]
    return [(a, b) for a, b in bounds if b - a > int(0.1 * rate)]


def recognise(samples: np.ndarray, rate: int, vocabulary, expected=None,
              max_lag_s: float = 4.0, max_chunk_s: float = MAX_CHUNK_S) -> list[Word]:
    """Words in ``samples`` (mono), the recogniser limited to ``vocabulary``.

    ``expected``: (word, time s in ``samples``) of the words that should be said
    (the attended passage). Each utterance is then decoded with a grammar
    of the words due in it, in their order, each optional or replaced by a
    ``vocabulary`` word not expected (an intrusion): far more robust than a
    free loop over the words, and still free to leave any word out.
    """
    x = _prepared(samples, rate)
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
          offset_s: float, max_lag_s: float = 4.0, unscorable=(),
          lag_s: float | None = None) -> ShadowingScore:
    """Score recognised words against the attended words' onsets.

    ``offset_s``: where the message starts in the recording (``recording_offset_ms``
    / 1000); ``attended``: (word, onset s from the message start);
    ``lag_s``: the participant's typical lag, if known: among alignments with
    the most matches the one nearest it wins (else the one with the shortest
    lags).
    """
    heard = sorted(recognised, key=lambda w: w.start_s)
    n_a, n_h = len(attended), len(heard)

    def lag_of(i, j):
        return heard[j].start_s - (attended[i][1] + offset_s)

    def can(i, j):
        return heard[j].word == attended[i][0] and -0.05 <= lag_of(i, j) <= max_lag_s

    def cost(i, j):
        return lag_of(i, j) if lag_s is None else abs(lag_of(i, j) - lag_s)

    # Order-keeping alignment (dynamic programming): most matches, and among
    # those the smallest total lag (a word is matched to its earliest plausible
    # repetition, not to a later instance of the same word).
    best = [[(0, 0.0)] * (n_h + 1) for _ in range(n_a + 1)]
    for i in range(n_a - 1, -1, -1):
        for j in range(n_h - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if can(i, j):
                c, l = best[i + 1][j + 1]
                options.append((c + 1, l - cost(i, j)))
            best[i][j] = max(options)
    used = [False] * n_h
    missed, matches = [], []
    i = j = 0
    while i < n_a:
        if j < n_h and can(i, j):
            c, l = best[i + 1][j + 1]
            if best[i][j] == (c + 1, l - cost(i, j)):
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
        unscorable=tuple(unscorable), said=tuple(not m for m in missed))


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


def estimate_lag(heard: list[Word], due: list[tuple[str, float]], max_lag_s: float = 4.0,
                 bandwidth_s: float = 0.1) -> float | None:
    """The participant's typical lag (s): every recognised word votes for the
    lag to each attended instance of the same word due 0 to ``max_lag_s``
    before it, and the lag with the most votes (Gaussian kernel of
    ``bandwidth_s``) wins. A consistent lag piles up votes while chance
    pairings (repeated words like "to", misrecognitions) spread out, so it is
    robust where an in-order alignment that prefers short lags is not.
    ``due``: (word, due time s in the recording). None: no votes.

    >>> due = [("to", 0.0), ("be", 0.3), ("to", 1.0), ("be", 1.2)]
    >>> heard = [Word(w, t + 1.3, 0) for w, t in due]
    >>> round(estimate_lag(heard, due), 2)
    1.3
    """
    votes = np.array([h.start_s - t for h in heard for w, t in due
                      if w == h.word and -0.05 <= h.start_s - t <= max_lag_s])
    if not votes.size:
        return None
    grid = np.arange(0.0, max_lag_s + 0.005, 0.005)
    density = np.exp(-0.5 * ((grid[:, None] - votes[None, :]) / bandwidth_s) ** 2).sum(axis=1)
    centre = grid[int(np.argmax(density))]
    near = votes[np.abs(votes - centre) <= 2 * bandwidth_s]
    return float(np.median(near))


def align_at_lag(samples: np.ndarray, rate: int, due: list[tuple[str, float]], lag_s: float,
                 vocabulary, intruders=(), slack_s: float = 0.6) -> list[Word]:
    """Which attended words were said, knowing the participant's lag.

    The recording is cut at pauses (:func:`_chunks`); each piece is decoded
    with a grammar of the attended words expected in it (due time plus
    ``lag_s``, within ``slack_s`` of the piece), in order, each optional, and
    each optionally replaced by an unattended word the free pass heard in the
    piece (``intruders``): a forced alignment of the passage in which any word
    may be left out, and an intrusion competes with the word it replaces
    instead of being taken for it. ``due``: (word, due time s in the
    recording). Returns the attended and intruding words found.
    """
    x = _prepared(samples, rate)
    dec = _decoder()
    vocab = set(known_words(dec, vocabulary))
    due = [(w, t + lag_s) for w, t in due if w in vocab]
    pron = {w: _phones(dec, w) for w in vocab}
    sounded = _sound_check(x)
    found = []
    for a, b in _chunks(x, DECODE_RATE):
        lo, hi = a / DECODE_RATE, b / DECODE_RATE
        lo, hi = lo, hi
        mine = [w for w, t in due if lo - slack_s <= t <= hi + slack_s / 2]
        if not mine:
            continue
        others = {u.word for u in intruders if lo <= u.start_s < hi and u.word in vocab}
        # an unattended word that sounds nearly like the attended one ("an",
        # "and") cannot be told from it: the attended word keeps its slot
        others = sorted(o for o in others
                        if not any(_alike(pron[o], pron[w]) for w in mine))
        slots = [" | ".join([w, *[o for o in others if o != w]]) for w in mine]
        grammar = " ".join(f"[ {slot} ]" for slot in slots)
        for w, start, end in decode(dec, x[a:b], grammar, name=f"a{a}"):
            if w in vocab and sounded(lo + start, lo + end):
                found.append(Word(w, lo + start, lo + end))
    return found


def _sound_check(x: np.ndarray):
    """A test of whether a stretch (start s, end s) of ``x`` is mostly sound:
    at least ``MIN_SOUNDED`` of its 10 ms steps above the voice key's
    threshold (:func:`voicekey.detect_onset`'s rule: 15 dB above the noise
    floor, at most 30 dB below the peak). The recogniser squeezes short words
    ("to", "them") into the silence where a word was left out, next to a
    neighbour's sound; a word said is sound for most of its length."""
    from attentionlab.speech.voicekey import envelope

    times, db = envelope(x, DECODE_RATE, window_ms=20.0, step_ms=10.0)
    if not len(db):
        return lambda start, end: False
    floor = float(np.percentile(db, 10))
    loud = db > min(floor + 15.0, float(db.max()) - 30.0)

    def sounded(start: float, end: float) -> bool:
        inside = loud[(times >= start) & (times < end)]
        return bool(inside.size) and float(inside.mean()) >= MIN_SOUNDED
    return sounded


def _forced_choice(samples, rate, candidates: list[Word], due, lag_s: float,
                   vocabulary) -> list[Word]:
    """The intrusions that survive a forced choice: each one's stretch, with
    ``CONTEXT_S`` either side, is decoded with a grammar of exactly one word,
    the intrusion or one of the attended words due where it starts (at
    ``lag_s``: from ``RIVAL_BEFORE_S`` before it, a long word it may be part
    of, to ``AGREE_S`` after), between any number of the attended words due
    in the stretch, which absorb the neighbours' sound. Only the
    sound decides, and a part of an attended word that resembles an
    unattended word ("-wood" and "was") goes to the attended word."""
    x = _prepared(samples, rate)
    dec = _decoder()
    vocab = set(known_words(dec, vocabulary))
    kept = []
    for k, h in enumerate(candidates):
        rivals = sorted({w for w, t in due if w in vocab and w != h.word
                         and -RIVAL_BEFORE_S <= t + lag_s - h.start_s <= AGREE_S})
        if not rivals:
            kept.append(h)
            continue
        lo, hi = h.start_s - CONTEXT_S, h.end_s + CONTEXT_S
        around = sorted({w for w, t in due if w in vocab
                         and w != h.word and lo - 1.0 <= t + lag_s <= hi})
        fill = f"( {' | '.join(around)} )* " if around else ""
        choice = "( " + " | ".join([h.word, *rivals]) + " )"
        a, b = max(int(lo * DECODE_RATE), 0), min(int(hi * DECODE_RATE), len(x))
        said = decode(dec, x[a:b], f"{fill}{choice} {fill}".strip(), name=f"f{k}")
        if any(w == h.word for w, _, _ in said):
            kept.append(h)
    return kept


def _phones(dec, word: str) -> list[list[str]]:
    """Every pronunciation of ``word`` in the dictionary (``word(2)`` ...)."""
    forms = [dec.lookup_word(word)] + [dec.lookup_word(f"{word}({k})") for k in range(2, 6)]
    return [f.split() for f in forms if f]


def _alike(p: list[list[str]], q: list[list[str]]) -> bool:
    """Some pronunciations (:func:`_phones`) at most one phone apart (edit distance), e.g. "an" and
    "and", "is" and "his": too close for the recogniser to choose between."""
    import difflib

    def distance(a, b):
        ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
        return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")

    return any(distance(a, b) <= 1 for a in p for b in q)


def score_recording(samples: np.ndarray, rate: int, offset_ms: float,
                    attended: list[tuple[str, float]], unattended_text: str,
                    max_lag_s: float = 4.0) -> ShadowingScore:
    """Recognise a shadowing recording and :func:`score` it.

    ``attended``: (word, onset s from the message start) of every word of the
    attended passage; words the recogniser's dictionary lacks cannot be
    scored and are left out (listed in ``unscorable``).

    1. A free pass (a loop over both passages' words) gives the lag
       (:func:`estimate_lag`) and the unattended words heard.
    2. :func:`align_at_lag` decides which attended words were said, with
       those unattended words competing.
    3. :func:`score` matches them to the passage in order, nearest the lag.
    An intrusion is an unattended word that both passes heard at the same
    place (within ``AGREE_S``). The confidence is the share of attended words
    on which the two passes agree (said or not).
    """
    dec = _decoder()
    forms = [(dictionary_form(dec, w), t) for w, t in attended]
    unscorable = tuple(w for (w, _), (f, _) in zip(attended, forms) if f is None)
    attended = [(f, t) for f, t in forms if f is not None]
    vocabulary = [w for w, _ in attended] + words_of(unattended_text)
    offset_s = offset_ms / 1000
    due = [(w, t + offset_s) for w, t in attended]
    free = recognise(samples, rate, vocabulary)
    lag = estimate_lag(free, due, max_lag_s)
    if lag is None:  # nothing recognised: said nothing, or could not be heard
        nothing = score([], attended, unattended_text, offset_s, max_lag_s, unscorable)
        return dataclasses.replace(nothing, word_said=_per_word(nothing.said, forms))
    only_unattended = set(words_of(unattended_text)) - {w for w, _ in attended}
    intruders = [h for h in free
                 if h.word in only_unattended and len(h.word) >= MIN_INTRUSION_LETTERS]
    aligned = align_at_lag(samples, rate, due, lag, vocabulary, intruders)
    final = score([h for h in aligned if h.word not in only_unattended], attended,
                  unattended_text, offset_s, max_lag_s, unscorable, lag_s=lag)
    agreed = [h for h in aligned if h.word in only_unattended
              and any(u.word == h.word and abs(h.start_s - u.start_s) <= AGREE_S
                      for u in intruders)]
    confirmed = tuple(h.word for h in _forced_choice(samples, rate, agreed, due, lag,
                                                     vocabulary))
    check = score(free, attended, unattended_text, offset_s, max_lag_s, unscorable, lag_s=lag)
    agree = float(np.mean(np.array(final.said) == np.array(check.said))) if final.said else 0.0
    return dataclasses.replace(final, intrusions=confirmed, confidence=agree,
                               word_said=_per_word(final.said, forms))


def _per_word(said, forms) -> tuple:
    """``said`` (scorable words) spread over all words: None where unscorable."""
    it = iter(said)
    return tuple(None if f is None else bool(next(it)) for f, _ in forms)


def _prepared(samples, rate):
    x = prepare(samples, rate)
    return x + DITHER * np.random.default_rng(0).standard_normal(x.size).astype(np.float32)


def _r(value, digits=3):
    return None if value is None else round(float(value), digits)
