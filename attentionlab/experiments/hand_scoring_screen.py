"""The hand-scoring window: the attended passage as clickable word boxes,
playback of the recording, and the keys, for one message at a time.

Window units are 'height' (y from -0.5 to 0.5), black background, font
Noto Sans, as in the sessions. Words are laid out in reading order on
wrapped lines (:func:`layout_words`), in the largest of ``TEXT_HEIGHTS``
that fits one page; a long passage that does not fit even at the smallest
size goes on several pages (PageUp/PageDown). Every word starts as the
automatic scoring scored it ("not said" when there is no automatic score);
a click toggles it. Keys are read with the session's keyboard (Psychtoolbox
backend), clicks with PsychoPy's mouse (on the press, not the release).
With ``ATTENTIONLAB_CAPTURE_DIR`` set, the first frame of each message (and
of each page) and the frame before saving are written as numbered PNGs.

With an autopilot plan (``--autopilot``), XTest clicks the planned words'
boxes where they are on the real window and presses the planned keys, then
Enter; the window cannot tell it from a person.

>>> pages = layout_words([0.1] * 25, width=0.5, top=0.3, bottom=-0.3, text_height=0.03)
>>> len(pages), len(pages[0]), pages[0][0].index
(1, 25, 0)
"""

from dataclasses import dataclass

from attentionlab.experiments.session import FONT  # one font for every screen
TEXT_HEIGHTS = (0.032, 0.028, 0.025)  # word size, largest first (0.025 = 19 px at 768 px)
PAD_X, BOX_H, GAP_X, LINE_H = 0.35, 1.55, 0.3, 1.9  # box geometry, in text heights
WORDS_TOP, WORDS_BOTTOM = 0.375, -0.215
SEEK_S = 3.0
MIN_SHOWN_S = 0.3  # keys this soon after a message appears are ignored (Enter held over)
SAID_FILL, SAID_LINE = (-0.35, 0.45, -0.35), (0.3, 0.95, 0.3)      # green
NOT_FILL, NOT_LINE = (-0.82, -0.82, -0.82), (-0.35, -0.35, -0.35)  # dark grey
WHITE, GREY, AMBER = (1, 1, 1), (0.45, 0.45, 0.45), (0.95, 0.75, 0.3)
AUTOPILOT_START_S, AUTOPILOT_STEP_S, AUTOPILOT_WAIT_S = 0.8, 0.25, 1.5
KEYS_HELP = ("click a word: said / not said     A: all said     N: none said     "
             "Space: play / pause     \u2190 \u2192: back / ahead 3 s\n"
             "Enter: save and go to the next message     "
             "Esc: quit (this message is not saved)")


@dataclass(frozen=True)
class Box:
    """A word's box: word ``index``, centre (``x``, ``y``), size (``w``, ``h``)."""

    index: int
    x: float
    y: float
    w: float
    h: float

    def contains(self, pos) -> bool:
        return abs(pos[0] - self.x) <= self.w / 2 and abs(pos[1] - self.y) <= self.h / 2


def layout_words(widths, *, width: float, top: float, bottom: float,
                 text_height: float) -> list[list[Box]]:
    """Place words (their text widths, same units as ``width``) in reading
    order on lines ``width`` wide, centred at x = 0, from ``top`` down to
    ``bottom``; a new page when a page is full. Returns the pages' boxes."""
    pad, box_h, gap = PAD_X * text_height, BOX_H * text_height, GAP_X * text_height
    line_h = LINE_H * text_height
    per_page = max(1, int((top - bottom - box_h) // line_h) + 1)
    lines, line, used = [], [], 0.0
    for i, w in enumerate(widths):
        box_w = w + 2 * pad
        if line and used + gap + box_w > width:
            lines.append(line)
            line, used = [], 0.0
        used += (gap if line else 0.0) + box_w
        line.append((i, box_w))
    if line:
        lines.append(line)
    pages = []
    for first in range(0, len(lines), per_page):
        page = []
        for row, line in enumerate(lines[first:first + per_page]):
            y = top - box_h / 2 - row * line_h
            x = -width / 2
            for i, box_w in line:
                page.append(Box(i, x + box_w / 2, y, box_w, box_h))
                x += box_w + gap
        pages.append(page)
    return pages or [[]]


class ScoringScreen:
    """The window, the keyboard, the mouse and the playback, kept open over
    all messages of one ``score shadowing`` run."""

    def __init__(self, windowed: bool = False, plan=None, audio_device: str = ""):
        from psychopy import clock, event, logging, visual

        from attentionlab.experiments.frames import FramePacer
        from attentionlab.experiments.hand_scoring_playback import Playback
        from attentionlab.experiments.keys import KeyInput
        from attentionlab.experiments.screen_flip import ScreenFlipper

        logging.console.setLevel(logging.ERROR)
        self.get_time = clock.getTime
        self.win = visual.Window(size=(1024, 768), fullscr=not windowed, units="height",
                                 color=(-1, -1, -1), allowGUI=windowed, checkTiming=False,
                                 winType="pyglet")
        self.closed = False
        self._presses = []  # window pixels (x, y from bottom-left) of left presses handled
        try:
            self.win.winHandle.push_handlers(on_close=self._on_close,
                                             on_mouse_press=self._on_mouse_press)
        except AttributeError:
            pass
        self.pacer = FramePacer(self.win, clock=self.get_time, measure_flips=5)
        self.keys = KeyInput()
        self.mouse = event.Mouse(win=self.win, visible=True)
        self.playback = Playback(clock=self.get_time, device=audio_device)
        self.half_width = self.win.size[0] / self.win.size[1] / 2
        self.plan = list(plan) if plan is not None else None
        self.autopilot = None
        if self.plan is not None:
            from attentionlab.experiments.autopilot import XTestInput

            self.autopilot = XTestInput(clock=self.get_time)
        self._flip = ScreenFlipper(self.win, self.pacer).flip

    def _on_close(self):
        self.closed = True
        return True  # we close the window ourselves

    def _on_mouse_press(self, x, y, button, modifiers):
        # Clicks come from this log, not the button state: on a busy machine a
        # short click's press and release can be handled in one event pump (the
        # state shows the button up), or the first poll of a message can see a
        # new click held (it looked like a button held from the last message).
        if button == 1:  # pyglet's left button
            self._presses.append((x, y))
        # not handled: PsychoPy's own handler still updates event.Mouse

    def _pressed_positions(self):
        """Left presses since the last call, in window 'height' units."""
        self.mouse.getPressed()  # let the window handle its events
        w, h = self.win.size
        presses, self._presses[:] = list(self._presses), []
        return [((x - w / 2) / h, (y - h / 2) / h) for x, y in presses]

    def close(self) -> None:
        if self.autopilot is not None:
            self.autopilot.cancel_pending()
            self.autopilot.close()
            self.autopilot = None
        self.playback.close()
        try:
            self.win.close()
        except Exception:  # closing a window that is already gone
            pass

    # -- one message -------------------------------------------------------------------
    def score(self, message, k: int, n: int, scorer: str = ""):
        """Show ``message`` (k of n) until Enter (returns the list of said
        flags, one per word) or Escape / window closed (returns None)."""
        self.playback.load(message.wav)
        # the automatic score is the starting state, when there is one
        said = list(message.auto_said) or [False] * len(message.words)
        pages, stims = self._word_stims(message.shown)
        page = 0
        header = self._header(message, k, n, scorer)
        footer = self._footer()
        if not self.playback.available:
            footer.append(self._no_sound_note(message))
        dynamic = _Dynamic(self, pages)

        def show(screen=None):  # one frame of the current page and marks
            return self._flip(self._frame(pages[page], stims, said, header, footer, dynamic,
                                          page), screen)

        self.keys.clear()
        self.mouse.clickReset()
        self._presses.clear()  # a click before this message is on screen is not on it
        shown_at = show(f"message{k:02d}_page1")
        if self.autopilot is not None:
            self._plan_autopilot(message, pages, shown_at)
        captured_pages = {0}
        while True:
            if self.closed:
                self.playback.stop()
                return None
            for name, _ in self.keys.poll():
                if self.get_time() - shown_at < MIN_SHOWN_S and name == "return":
                    continue
                if name == "escape":
                    self.playback.stop()
                    return None
                if name in ("return", "enter"):
                    show(f"message{k:02d}_saved")
                    self.playback.stop()
                    return said
                if name == "a":
                    said = [True] * len(said)
                elif name == "n":
                    said = [False] * len(said)
                elif name == "space":
                    self.playback.toggle()
                elif name in ("left", "right"):
                    self.playback.seek(SEEK_S if name == "right" else -SEEK_S)
                elif name in ("pagedown", "pageup"):
                    page = min(max(page + (1 if name == "pagedown" else -1), 0),
                               len(pages) - 1)
            for pos in self._pressed_positions():
                hit = next((b for b in pages[page] if b.contains(pos)), None)
                if hit is not None:
                    said[hit.index] = not said[hit.index]
                elif dynamic.bar_contains(pos):
                    self.playback.seek(to_s=dynamic.bar_time(pos))
            screen = None
            if page not in captured_pages:
                captured_pages.add(page)
                screen = f"message{k:02d}_page{page + 1}"
            show(screen)

    # -- drawing -----------------------------------------------------------------------
    def _word_stims(self, shown):
        """Pages of boxes and one TextStim per word (placed on its box)."""
        from psychopy import visual

        ref = TEXT_HEIGHTS[0]
        stims = [visual.TextStim(self.win, text=w, height=ref, font=FONT, color=WHITE)
                 for w in shown]
        widths = [s.boundingBox[0] / self.win.size[1] for s in stims]  # px -> height units
        width = 2 * self.half_width - 0.12
        for size in TEXT_HEIGHTS:
            pages = layout_words([w * size / ref for w in widths], width=width,
                                 top=WORDS_TOP, bottom=WORDS_BOTTOM, text_height=size)
            if len(pages) == 1:
                break
        if size != ref:
            for s in stims:
                s.height = size
        for page in pages:
            for b in page:
                stims[b.index].pos = (b.x, b.y)
        return pages, stims

    def _frame(self, boxes, stims, said, header, footer, dynamic, page):
        """Everything to draw this frame: boxes first, then all texts (fewer
        GL state changes: 21 instead of 27 ms a frame for 149 words on Xvfb)."""
        out = [dynamic.box(b, said[b.index]) for b in boxes]
        out += [stims[b.index] for b in boxes]
        out += header + footer + dynamic.update(said, page)
        return out

    def _text(self, text, pos, height, color=WHITE, align="center", wrap=None, bold=False):
        from psychopy import visual

        anchor = {"left": "left", "right": "right"}.get(align, "center")
        return visual.TextStim(self.win, text=text, pos=pos, height=height, color=color,
                               font=FONT, alignText=align, anchorHoriz=anchor, bold=bold,
                               wrapWidth=wrap or 2 * self.half_width)

    def _header(self, message, k, n, scorer):
        left = -self.half_width + 0.04
        session = message.data_csv.name.removesuffix("_beh.csv")
        who = f"     scorer: {scorer}" if scorer else ""
        start = ("     flagged: the automatic score is unsure" if message.flagged else
                 "     words start as the automatic scoring found them"
                 if message.auto_said else "")
        return [
            self._text(f"Message {k} of {n}{start}", (left, 0.455), 0.032, align="left",
                       bold=True),
            self._text(f"{session}     message {message.message} (trial {message.trial_index})"
                       f"     attended: {message.attended_ear} ear, passage "
                       f"{message.attended_passage}{who}", (left, 0.415), 0.022, GREY,
                       align="left"),
        ]

    def _footer(self):
        from psychopy import visual

        left = -self.half_width + 0.04
        y = -0.345
        out = [visual.Rect(self.win, width=0.05, height=0.03, pos=(left + 0.025, y),
                           fillColor=SAID_FILL, lineColor=SAID_LINE, lineWidth=2),
               self._text("said", (left + 0.065, y), 0.024, align="left"),
               visual.Rect(self.win, width=0.05, height=0.03, pos=(left + 0.185, y),
                           fillColor=NOT_FILL, lineColor=NOT_LINE, lineWidth=2),
               self._text("not said", (left + 0.225, y), 0.024, align="left"),
               self._text(KEYS_HELP, (0, -0.43), 0.021, (0.75, 0.75, 0.75),
                          wrap=2 * self.half_width - 0.06)]
        return out

    def _no_sound_note(self, message):
        # the reason is in the terminal; here, what to do
        return self._text(f"No sound output on this computer: play {message.wav.name} in "
                          f"another program.", (0, -0.29), 0.022, AMBER,
                          wrap=2 * self.half_width - 0.06)

    # -- autopilot ---------------------------------------------------------------------
    def screen_point(self, pos) -> tuple[int, int]:
        """Window position ('height' units) -> X screen pixels (for XTest clicks)."""
        x0, y0 = (0, 0) if self.win._isFullScr else self.win.winHandle.get_location()
        w, h = self.win.size
        return round(x0 + w / 2 + pos[0] * h), round(y0 + h / 2 - pos[1] * h)

    def _plan_autopilot(self, message, pages, shown_at):
        from attentionlab.core.errors import UsageError

        items = self.plan.pop(0) if self.plan else []
        where = {b.index: (p, b) for p, page in enumerate(pages) for b in page}
        t, page = shown_at + AUTOPILOT_START_S, 0
        keysyms = {"pagedown": "Page_Down", "pageup": "Page_Up"}
        for item in items:
            if item.isdigit():
                if int(item) not in where:
                    raise UsageError(f"--autopilot: message {message.trial_index} has "
                                     f"{len(message.words)} words; there is no word {item}")
                target, box = where[int(item)]
                while page != target:  # turn to the word's page first
                    key = "pagedown" if target > page else "pageup"
                    self.autopilot.press_at(keysyms[key], t)
                    page += 1 if key == "pagedown" else -1
                    t += AUTOPILOT_STEP_S
                self.autopilot.click_at(*self.screen_point((box.x, box.y)), t)
            elif item == "wait":
                t += AUTOPILOT_WAIT_S
                continue
            else:
                self.autopilot.press_at(keysyms.get(item, item), t)
                if item in keysyms:
                    page = min(max(page + (1 if item == "pagedown" else -1), 0),
                               len(pages) - 1)
                if item == "escape":
                    return
            t += AUTOPILOT_STEP_S
        self.autopilot.press_at("return", t + AUTOPILOT_STEP_S)


class _Dynamic:
    """What changes from frame to frame: box colours, the count of words
    said, the page line and the playback bar with its time."""

    BAR_Y, BAR_H = -0.285, 0.022

    def __init__(self, screen, pages):
        from psychopy import visual

        self.screen, self.pages = screen, pages
        win, hw = screen.win, screen.half_width
        self.bar_w = 2 * hw - 0.5
        self.bar_x = -hw + 0.04 + self.bar_w / 2
        self._boxes = {}
        self.count = screen._text("", (hw - 0.04, -0.345), 0.024, align="right")
        self.page_line = screen._text("", (0, WORDS_BOTTOM - 0.022), 0.022, AMBER)
        self.bar_back = visual.Rect(win, width=self.bar_w, height=self.BAR_H,
                                    pos=(self.bar_x, self.BAR_Y), fillColor=(-0.75,) * 3,
                                    lineColor=GREY, lineWidth=1)
        self.bar_fill = visual.Rect(win, width=0.001, height=self.BAR_H,
                                    pos=(self.bar_x, self.BAR_Y), fillColor=(0.2, 0.5, 0.95),
                                    lineColor=None)
        self.time = screen._text("", (self.bar_x + self.bar_w / 2 + 0.03, self.BAR_Y), 0.024,
                                 align="left")

    def box(self, b: Box, said: bool):
        from psychopy import visual

        key = (b.index, said)
        if key not in self._boxes:
            self._boxes[key] = visual.Rect(
                self.screen.win, width=b.w, height=b.h, pos=(b.x, b.y),
                fillColor=SAID_FILL if said else NOT_FILL,
                lineColor=SAID_LINE if said else NOT_LINE, lineWidth=3 if said else 1.5)
        return self._boxes[key]

    def update(self, said, page) -> list:
        out = []
        self.count.text = f"{sum(said)} of {len(said)} words said"
        out.append(self.count)
        if len(self.pages) > 1:
            self.page_line.text = (f"page {page + 1} of {len(self.pages)}   "
                                   f"(PageDown / PageUp: other page)")
            out.append(self.page_line)
        playback = self.screen.playback
        if playback.available:
            pos, total = playback.position_s(), playback.duration_s
            frac = pos / total if total > 0 else 0.0
            self.bar_fill.width = max(frac * self.bar_w, 0.001)
            self.bar_fill.pos = (self.bar_x - self.bar_w / 2 + self.bar_fill.width / 2,
                                 self.BAR_Y)
            state = "playing" if playback.playing else "paused"
            self.time.text = f"{_clock(pos)} / {_clock(total)}  {state}"
            out += [self.bar_back, self.bar_fill, self.time]
        return out

    def bar_contains(self, pos) -> bool:
        return (self.screen.playback.available
                and abs(pos[0] - self.bar_x) <= self.bar_w / 2
                and abs(pos[1] - self.BAR_Y) <= self.BAR_H)

    def bar_time(self, pos) -> float:
        frac = (pos[0] - (self.bar_x - self.bar_w / 2)) / self.bar_w
        return min(max(frac, 0.0), 1.0) * self.screen.playback.duration_s


def _clock(seconds: float) -> str:
    """``m:ss.s``, e.g. ``_clock(63.25) == '1:03.2'``."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{rest:04.1f}"
