"""The participant details form: every question on one screen, keyboard only.

Before a study's first task the participant answers the questions the study
file declares (core/participant_details.py). Numbers and texts are typed;
a choice is picked with its number key or the left/right arrows. Enter
checks the answer and goes to the next question (on the last one: finish);
Tab or the down/up arrows move between questions; Backspace deletes (on a
choice: clears it). A wrong answer gets a message in plain words next to its
question ("age must be a whole number from 18 to 99") and the form stays;
Escape stops without saving anything (:class:`SessionAborted`, as in a task).

Keys are read with PsychoPy's keyboard (Psychtoolbox backend), whose key
names are positions on a US keyboard; letters with Shift held are capitals.
Typed characters: letters, digits, space and ``- . , ' /``.

The form runs in a session's window (``ask_details(session, fields)``: its
keyboard, pacing, screen captures and autopilot) or in any PsychoPy window
(``ask_details(win, fields, autopilot=...)``). With the autopilot, XTest
types a valid answer to every question, key by key, so a whole study can
run unattended. With ``ATTENTIONLAB_CAPTURE_DIR`` set, the empty form, each
new message and the filled form are saved as numbered PNGs.

>>> from attentionlab.core.participant_details import parse_fields
>>> form = FormState(parse_fields([{"name": "age", "type": "int", "min": 18, "max": 99}]))
>>> for key in ["1", "5", "return"]: form.press(key)
>>> form.errors[0]
'age must be a whole number from 18 to 99'
>>> for key in ["backspace", "9", "return"]: form.press(key)
>>> form.finished, form.values()
(True, {'age': 19})
"""

import math
from pathlib import Path

import numpy as np

from attentionlab.core.participant_details import MAX_NUMBER_CHARS

AUTOPILOT_STEP_S = 0.12   # between the autopilot's key presses
MIN_CHOICE_HEIGHT = 0.015  # letters of very long choices (11.5 px at 768 px)
WHITE, GREY, DIM = (1, 1, 1), (0.35, 0.35, 0.35), (0.6, 0.6, 0.6)
FOCUS, AMBER, CHOSEN = (0.95, 0.75, 0.3), (0.95, 0.6, 0.2), (-0.35, 0.45, -0.35)
BOX_FILL = (-0.85, -0.85, -0.85)
KEYS_HELP = ("Type your answer, then press Enter (on the last question: finish).\n"
             "Tab or \u2193 \u2191: another question.   Backspace: delete.   "
             "Esc: stop (nothing is saved).")

_CHARS = {**{d: d for d in "0123456789"}, **{f"num_{d}": d for d in "0123456789"},
          **{c: c for c in "abcdefghijklmnopqrstuvwxyz"},
          "space": " ", "minus": "-", "num_subtract": "-", "period": ".",
          "num_decimal": ".", "comma": ",", "apostrophe": "'", "slash": "/"}
_NUMBER_CHARS = set("0123456789-.,")
_ENTER, _NEXT, _PREVIOUS = {"return", "num_enter"}, {"tab", "down"}, {"up"}
_SHIFT = ("lshift", "rshift")
# The X keysym the autopilot presses for a typed character.
_XKEYS = {" ": "space", "-": "minus", ".": "period", ",": "comma", "'": "apostrophe",
          "/": "slash"}


class FormState:
    """What the form holds and how keys change it (no window: testable alone).

    ``texts`` are the answers as typed (a choice's text), ``errors`` the
    message shown next to each question ('' for none), ``focus`` the
    question being answered, ``finished`` true once every answer is valid
    and Enter was pressed on the last question. ``version`` counts changes
    (the screen is redrawn when it moves).
    """

    def __init__(self, fields):
        self.fields = list(fields)
        self.texts = [""] * len(self.fields)
        self.errors = [""] * len(self.fields)
        self.focus = 0
        self.finished = False
        self.version = 0
        self.messages_shown = 0  # how many times a message appeared (for captures)

    def values(self) -> dict:
        """The answers by field name (valid once ``finished``)."""
        return {f.name: f.parse(text) for f, text in zip(self.fields, self.texts)}

    def press(self, key: str, shift: bool = False) -> None:
        """Apply one key press (PsychoPy key name)."""
        if self.finished:
            return
        self.version += 1
        field, i = self.fields[self.focus], self.focus
        if key in _ENTER:
            if self._check(i):
                if i + 1 < len(self.fields):
                    self.focus += 1
                else:
                    self._finish()
        elif key in _NEXT or key in _PREVIOUS:
            if self.texts[i]:
                self._check(i)  # say it now, but let the participant move on
            step = 1 if key in _NEXT else -1
            self.focus = (i + step) % len(self.fields)
        elif key == "backspace":
            self.texts[i] = self.texts[i][:-1] if field.type != "choice" else ""
            self.errors[i] = ""
        elif field.type == "choice":
            self._choose(i, key)
        elif key in _CHARS:
            self._type(i, _CHARS[key].upper() if shift else _CHARS[key])

    def _type(self, i, char):
        field = self.fields[i]
        if field.type in ("int", "float") and char not in _NUMBER_CHARS:
            self._say(i, f"{field.words} must be {field.rule()}")
            return
        limit = field.max_length if field.type == "text" else MAX_NUMBER_CHARS
        if len(self.texts[i]) >= limit:
            self._say(i, f"{field.words} can be at most {limit} characters")
            return
        self.texts[i] += char
        self.errors[i] = ""

    def _choose(self, i, key):
        choices = self.fields[i].choices
        current = choices.index(self.texts[i]) if self.texts[i] else None
        digit = _CHARS.get(key, "")
        if digit.isdigit() and 1 <= int(digit) <= len(choices):
            chosen = int(digit) - 1
        elif key == "right":
            chosen = 0 if current is None else min(current + 1, len(choices) - 1)
        elif key == "left":
            chosen = len(choices) - 1 if current is None else max(current - 1, 0)
        else:
            if key in _CHARS:
                self._say(i, f"choose {self.fields[i].words}: press a number from 1 to "
                             f"{len(choices)}, or \u2190 \u2192")
            return
        self.texts[i] = choices[chosen]
        self.errors[i] = ""

    def _check(self, i) -> bool:
        try:
            self.fields[i].parse(self.texts[i])
        except ValueError as exc:
            self._say(i, str(exc))
            return False
        self.errors[i] = ""
        return True

    def _say(self, i, message):
        if self.errors[i] != message:
            self.messages_shown += 1
        self.errors[i] = message

    def _finish(self):
        wrong = [i for i in range(len(self.fields)) if not self._check(i)]
        if wrong:
            self.focus = wrong[0]
        else:
            self.finished = True


def autopilot_answers(fields, rng) -> dict:
    """A valid answer to every question, drawn with ``rng`` (what the
    autopilot types): a number within the range, a choice, a short text.

    >>> from attentionlab.core.participant_details import parse_fields
    >>> fields = parse_fields([{"name": "age", "type": "int", "min": 18, "max": 99}])
    >>> 18 <= autopilot_answers(fields, np.random.default_rng(1))["age"] <= 99
    True
    """
    answers = {}
    for f in fields:
        if f.type == "choice":
            answers[f.name] = f.choices[int(rng.integers(len(f.choices)))]
        elif f.type == "text":
            answers[f.name] = "none"[:f.max_length]
        else:
            low = f.min if f.min is not None else (f.max - 10 if f.max is not None else 0)
            high = f.max if f.max is not None else low + 10
            if f.type == "int":
                value = int(rng.integers(math.ceil(low), math.floor(high) + 1))
            else:
                value = round(float(rng.uniform(low, high)), 1)
            try:
                answers[f.name] = f.parse(str(value))
            except ValueError:  # rounding left the range: its bound is valid
                answers[f.name] = f.parse(str(low))
    return answers


def autopilot_keys(fields, answers) -> list:
    """The X keysyms that type ``answers`` into the form, question by question,
    each answer followed by Return."""
    keys = []
    for f in fields:
        if f.type == "choice":
            keys.append(str(f.choices.index(answers[f.name]) + 1))
        else:
            keys += [_XKEYS.get(ch, ch) for ch in str(answers[f.name])]
        keys.append("Return")
    return keys


def ask_details(win_or_session, fields, *, autopilot: bool = False,
                seed: int | None = None) -> dict:
    """Show the details form until every answer is valid; return the answers
    by field name (int, float, str, or None for an optional question left
    empty). :class:`~attentionlab.experiments.session.SessionAborted` on
    Escape or a closed window: nothing is returned, nothing saved.

    ``win_or_session``: a running :class:`~attentionlab.experiments.session.Session`
    (its keyboard, captures and autopilot are used; ``autopilot`` and ``seed``
    are ignored) or a PsychoPy window (``autopilot=True`` types answers drawn
    with ``seed``).

    >>> # values = ask_details(session, fields)
    >>> # append_details(data_dir, participant, values, fields)
    """
    fields = list(fields)
    if not fields:
        return {}
    if hasattr(win_or_session, "poll_keys"):
        screen = _SessionScreen(win_or_session)
    else:
        screen = _WindowScreen(win_or_session, autopilot, seed)
    try:
        return _run(screen, FormState(fields))
    finally:
        screen.close()


def _run(screen, state) -> dict:
    from attentionlab.experiments.session import AUTOPILOT_READ_S

    view = _View(screen.win, state.fields)
    screen.clear_keys()
    stims = view.stims(state)
    shown = screen.flip(stims, "details")
    if screen.autopilot is not None:
        answers = autopilot_answers(state.fields, screen.rng)
        for n, key in enumerate(autopilot_keys(state.fields, answers)):
            screen.autopilot.press_at(key, shown + AUTOPILOT_READ_S + n * AUTOPILOT_STEP_S)
    drawn, messages, pending = state.version, state.messages_shown, []
    while not state.finished:
        shift = screen.shift_down()
        pending += [(name, shift) for name, _ in screen.poll() if name not in _SHIFT]
        # One key per frame: every message is on screen (and captured) at least
        # once, even when presses arrive faster than frames.
        if pending:
            state.press(*pending.pop(0))
        capture = None
        if state.version != drawn:
            stims, drawn = view.stims(state), state.version
            if state.messages_shown != messages:
                capture, messages = "details_message", state.messages_shown
        screen.flip(stims, "details_filled" if state.finished else capture)
    screen.flip([])
    return state.values()


class _View:
    """Draws the form: a title, one row per question (label, answer box or
    choices, hint or message), and the keys at the bottom. Units: height."""

    def __init__(self, win, fields):
        self.win, self.fields = win, fields
        self.half_width = win.size[0] / win.size[1] / 2
        self.step = min(0.1, 0.64 / len(fields))
        self.top = 0.25 if len(fields) > 1 else 0.05
        self.static = [
            self._text("Before we start: a few questions about you", (0, 0.42), 0.042,
                       bold=True),
            self._text("Please answer each question. Your answers are saved with your "
                       "participant number.", (0, 0.36), 0.026, color=DIM, wrap=1.25),
            self._text(KEYS_HELP, (0, -0.42), 0.022, color=DIM, wrap=1.3),
        ]

    def _text(self, text, pos, height, color=WHITE, wrap=1.2, anchor="center",
              bold=False):
        from psychopy import visual

        from attentionlab.experiments.session import FONT

        align = "center" if anchor == "center" else anchor
        return visual.TextStim(self.win, text=text, pos=pos, height=height, color=color,
                               font=FONT, wrapWidth=wrap, alignText=align,
                               anchorHoriz=anchor, bold=bold)

    def _fitted(self, text, pos, height, width, color, anchor):
        """One line of text, its letters made smaller when it would be wider
        than ``width`` (a long label), never below 0.02 screen heights."""
        stim = self._text(text, pos, height, color=color, anchor=anchor, wrap=5)
        wide = stim.boundingBox[0] / self.win.size[1]
        if wide > width:
            stim = self._text(text, pos, max(0.02, height * width / wide), color=color,
                              anchor=anchor, wrap=5)
        return stim

    def stims(self, state) -> list:
        out = list(self.static)
        for i, field in enumerate(self.fields):
            out += self._row(i, field, state)
        return out

    def _row(self, i, field, state):
        from psychopy import visual

        y, focused = self.top - i * self.step, i == state.focus
        label = field.label + ("" if field.required else " (optional)")
        colour = WHITE if focused else DIM
        out = [self._fitted(label, (-0.17, y), 0.03, self.half_width - 0.2, colour,
                            anchor="right")]
        x0, box_h, line = -0.13, 0.048, FOCUS if focused else GREY
        if field.type == "choice":
            # Long choices get smaller letters and boxes, all on one line
            # (parse_fields refuses choices too long to fit at the smallest).
            x, height = x0, 0.026
            texts = [self._text(f"{n + 1}  {choice}", (0, y), height, anchor="left")
                     for n, choice in enumerate(field.choices)]
            widths = [t.boundingBox[0] / self.win.size[1] for t in texts]
            need = sum(widths) + 0.045 * len(texts)
            room = self.half_width - 0.02 - x0
            if need > room:
                scale = max(MIN_CHOICE_HEIGHT / height, room / need)
                height *= scale
                texts = [self._text(t.text, (0, y), height, anchor="left") for t in texts]
                widths = [w * scale for w in widths]
            pad, gap = 0.03 * height / 0.026, 0.015 * height / 0.026
            for choice, text, width in zip(field.choices, texts, widths):
                width += pad
                chosen = state.texts[i] == choice
                out.append(visual.Rect(self.win, width=width, height=box_h,
                                       pos=(x + width / 2, y), lineWidth=2,
                                       lineColor=line, fillColor=CHOSEN if chosen else BOX_FILL))
                text.pos = (x + pad / 2, y)
                out.append(text)
                x += width + gap
        else:
            chars = MAX_NUMBER_CHARS if field.type != "text" else field.max_length
            width = min(self.half_width - 0.05 - x0, 0.04 + 0.016 * min(chars, 40))
            width = max(width, 0.2)
            out.append(visual.Rect(self.win, width=width, height=box_h, pos=(x0 + width / 2, y),
                                   lineWidth=2, lineColor=line, fillColor=BOX_FILL))
            shown = state.texts[i] + ("|" if focused else "")
            fits = int((width - 0.03) / (0.6 * 0.028))  # characters at their widest
            if len(shown) > fits:  # a long answer: its end, where the typing is
                shown = "\u2026" + shown[-(fits - 1):]
            out.append(self._text(shown, (x0 + 0.015, y), 0.028, anchor="left", wrap=5))
            if field.units:
                out.append(self._text(field.units, (x0 + width + 0.02, y), 0.024,
                                      color=DIM, anchor="left"))
        message = state.errors[i]
        message = message[:1].upper() + message[1:]
        out.append(self._text(message or _hint(field),
                              (x0, y - 0.042), 0.021 if not message else 0.023,
                              color=AMBER if message else DIM, anchor="left", wrap=1.0))
        return out


def _hint(field) -> str:
    """The grey line under a question: what to type or press."""
    if field.type == "choice":
        n = len(field.choices)
        keys = "1 or 2" if n == 2 else f"a number from 1 to {n}"
        hint = f"Press {keys}, or \u2190 \u2192"
    else:
        hint = field.rule().capitalize()
    return hint if field.required else hint + "; you may leave it empty"


class _SessionScreen:
    """The form inside a running session."""

    def __init__(self, session):
        self.session, self.win = session, session.win
        self.autopilot = session.autopilot
        self.rng = session.rng_autopilot

    def clear_keys(self):
        self.session.keys.clear()

    def flip(self, stims, screen=None):
        return self.session.flip(stims, screen)

    def poll(self):
        return self.session.poll_keys()  # Escape raises SessionAborted

    def shift_down(self):
        return self.session.keys.is_down(_SHIFT)

    def close(self):
        if self.autopilot is not None:
            self.autopilot.cancel_pending()


class _WindowScreen:
    """The form in a window of its own (no session running yet)."""

    def __init__(self, win, autopilot, seed):
        from psychopy import clock

        from attentionlab.experiments.frames import FramePacer
        from attentionlab.experiments.keys import KeyInput
        from attentionlab.experiments.screen_flip import ScreenFlipper

        self.win, self.closed = win, False
        self.pacer = FramePacer(win, clock=clock.getTime, measure_flips=5)
        self._flipper = ScreenFlipper(win, self.pacer)
        if self._flipper.capture_dir:  # number on after earlier captures, never over them
            self._flipper.captures = len(list(Path(self._flipper.capture_dir).glob("*.png")))
        self.keys = KeyInput()
        self.rng = np.random.default_rng([seed or 0, 0xDE7A])
        self.autopilot = None
        self._handlers = False
        try:
            win.winHandle.push_handlers(on_close=self._on_close)
            self._handlers = True
        except AttributeError:
            pass
        if autopilot:
            from attentionlab.experiments.autopilot import XTestInput

            self.autopilot = XTestInput(clock=clock.getTime)

    def _on_close(self):
        self.closed = True
        return True  # the caller closes its window itself

    def clear_keys(self):
        self.keys.clear()

    def flip(self, stims, screen=None):
        t = self._flipper.flip(stims, screen)
        self._check()
        return t

    def poll(self):
        presses = self.keys.poll()
        if any(name == "escape" for name, _ in presses):
            from attentionlab.experiments.session import ABORT_ESCAPE, SessionAborted

            raise SessionAborted(ABORT_ESCAPE)
        self._check()
        return presses

    def _check(self):
        if self.closed:
            from attentionlab.experiments.session import ABORT_WINDOW, SessionAborted

            raise SessionAborted(ABORT_WINDOW)

    def shift_down(self):
        return self.keys.is_down(_SHIFT)

    def close(self):
        if self.autopilot is not None:
            self.autopilot.cancel_pending()
            self.autopilot.close()
        if self._handlers:
            self.win.winHandle.pop_handlers()
