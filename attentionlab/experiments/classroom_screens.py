"""The demo's own screens: the menu and the results screen (PsychoPy).

A window is opened when a screen is needed and closed before a task's
session starts (the session opens its own). Window units are 'height' (y
from -0.5 to 0.5), background black, font Noto Sans, as in the sessions.
Keys use the session's keyboard (Psychtoolbox backend); presses made during
a task are cleared before each screen, so a digit typed in a task never
picks a menu item. With ``ATTENTIONLAB_CAPTURE_DIR`` set, each screen is
saved as a numbered PNG (read back before the flip), and each task's session
writes its own captures into a subfolder ``taskNN_TASK``.
"""

import io
import os
from pathlib import Path

MENU_KEYS = tuple(str(i) for i in range(1, 10))
MIN_SHOWN_S = 0.4       # presses this soon after the menu appears are ignored
MIN_RESULT_S = 1.5      # ... and after a result appears (keys still pressed in the task)
BACK_KEYS = ("space", "return", "escape")
AUTOPILOT_PICK_S = 1.2  # the simulated student "reads" the menu this long
AUTOPILOT_READ_S = 3.0  # ... and their result this long
from attentionlab.experiments.session import FONT  # one font for every screen
WHITE, GREY = (1, 1, 1), (0.35, 0.35, 0.35)
HIGHLIGHT, DONE, AMBER = (0.95, 0.55, 0.15), (0.45, 0.85, 0.45), (0.95, 0.75, 0.3)


class DemoScreens:
    """The menu and results screens of one demo run (one student)."""

    def __init__(self, options):
        self.options = options
        self.win = None
        self.keys = None
        self.autopilot = None
        self.capture_dir = os.environ.get("ATTENTIONLAB_CAPTURE_DIR") or None
        self._tasks_run = 0
        self._flipper = None
        self.quit = False
        if self.capture_dir:
            Path(self.capture_dir).mkdir(parents=True, exist_ok=True)

    # -- window --------------------------------------------------------------------------------
    def _open(self):
        if self.win is not None:
            return
        from psychopy import clock, event, logging, visual

        from attentionlab.experiments.frames import FramePacer
        from attentionlab.experiments.keys import KeyInput

        logging.console.setLevel(logging.ERROR)
        self.get_time = clock.getTime
        o = self.options
        self.win = visual.Window(size=(1024, 768), fullscr=not o.windowed, units="height",
                                 color=(-1, -1, -1), allowGUI=o.windowed, checkTiming=False,
                                 winType="pyglet")
        try:
            self.win.winHandle.push_handlers(on_close=self._on_close)
        except AttributeError:
            pass
        self.pacer = FramePacer(self.win, clock=self.get_time, measure_flips=5)
        from attentionlab.experiments.screen_flip import ScreenFlipper

        captured = self._flipper.captures if self._flipper else 0
        self._flipper = ScreenFlipper(self.win, self.pacer, self.capture_dir)
        self._flipper.captures = captured  # numbering goes on across reopened windows
        self.mouse = event.Mouse(win=self.win, visible=True)
        if self.keys is None:
            self.keys = KeyInput()
        if o.autopilot and self.autopilot is None:
            from attentionlab.experiments.autopilot import XTestInput

            self.autopilot = XTestInput(clock=self.get_time)

    def _on_close(self):
        self.quit = True
        return True  # we close the window ourselves

    def close(self, final: bool = False):
        """Close the window (a task's session opens its own); ``final``: also
        stop the autopilot."""
        if self.win is not None:
            try:
                self.win.close()
            except Exception:
                pass
            self.win = None
        if final and self.autopilot is not None:
            self.autopilot.cancel_pending()
            self.autopilot.close()
            self.autopilot = None

    def task_capture_dir(self, task: str) -> str | None:
        """Where the session of the next task saves its captures (or None)."""
        if not self.capture_dir:
            return None
        self._tasks_run += 1
        return str(Path(self.capture_dir) / f"task{self._tasks_run:02d}_{task}")

    def _flip(self, stims, screen=None) -> float:
        return self._flipper.flip(stims, screen)

    def _text(self, text, pos, height, color=WHITE, wrap=1.2, align="center", bold=False):
        from psychopy import visual

        anchor = "left" if align == "left" else "center"
        return visual.TextStim(self.win, text=text, pos=pos, height=height, color=color,
                               font=FONT, wrapWidth=wrap, alignText=align,
                               anchorHoriz=anchor, bold=bold)

    # -- menu --------------------------------------------------------------------------------
    def menu(self, done) -> str | None:
        """Show the menu until a demo is picked (its task name) or Escape (None)."""
        from psychopy import visual

        from attentionlab.classroom.textbook import TEXTBOOK

        if self.quit:
            return None
        self._open()
        tasks = self.options.tasks
        top, step = 0.25, min(0.1, 0.6 / max(1, len(tasks) - 1)) if len(tasks) > 1 else 0.1
        static = [self._text("Attention demos", (0, 0.42), 0.055, bold=True),
                  self._text("Pick a demo: press its number, or click it.", (0, 0.345),
                             0.03, color=(0.8, 0.8, 0.8))]
        items = []
        for i, task in enumerate(tasks):
            entry, y = TEXTBOOK[task], top - i * step
            box = visual.Rect(self.win, width=1.2, height=step * 0.86, pos=(0, y),
                              lineColor=GREY, fillColor=(-0.85, -0.85, -0.85), lineWidth=2)
            label = [self._text(str(i + 1), (-0.54, y), 0.045, bold=True),
                     self._text(entry.title, (-0.47, y + 0.017), 0.03, align="left",
                                wrap=0.9),
                     self._text(entry.menu_text, (-0.47, y - 0.02), 0.023, align="left",
                                color=(0.75, 0.75, 0.75), wrap=0.85)]
            status = "done" if task in done else entry.minutes
            label.append(self._text(status, (0.5, y), 0.022,
                                    color=DONE if task in done else (0.7, 0.7, 0.7)))
            items.append((task, box, label))
        footer = self._text(
            f"Your anonymous label: {self.options.student}   \u2022   Escape quits   \u2022   "
            f"Your answers stay on this computer.", (0, -0.44), 0.024, wrap=1.3,
            color=(0.8, 0.8, 0.8))
        self.keys.clear()
        self.mouse.clickReset()
        shown = None
        while not self.quit:
            hover = next((t for t, box, _ in items if box.contains(self.mouse)), None)
            stims = list(static)
            for task, box, label in items:
                box.lineColor = HIGHLIGHT if task == hover else GREY
                box.fillColor = (-0.65, -0.65, -0.65) if task == hover else (-0.85, -0.85, -0.85)
                stims += [box, *label]
            stims.append(footer)
            flipped = self._flip(stims, screen="menu" if shown is None else None)
            if shown is None:
                shown = flipped
                self._autopilot_menu(shown, len(done), items[0][1].pos)
            if self.get_time() - shown < MIN_SHOWN_S:
                self.keys.clear()
                continue
            for name, _ in self.keys.poll():
                if name == "escape":
                    return None
                number = name.removeprefix("num_")
                if number in MENU_KEYS and int(number) <= len(tasks):
                    return tasks[int(number) - 1]
            if hover and self.mouse.getPressed()[0]:
                while self.mouse.getPressed()[0]:  # wait for the release
                    self._flip(stims)
                return hover
        return None

    def _autopilot_menu(self, shown, n_done, first_item):
        if self.autopilot is None:
            return
        # The simulated student clicks the first demo, does it once, then quits.
        if n_done == 0:
            self.autopilot.click_at(*self._screen_point(first_item), shown + AUTOPILOT_PICK_S)
        else:
            self.autopilot.press_at("escape", shown + AUTOPILOT_PICK_S)

    def _screen_point(self, pos) -> tuple[int, int]:
        """A window position ('height' units) as X screen pixels (for the autopilot)."""
        x0, y0 = self.win.winHandle.get_location() if not self.win._isFullScr else (0, 0)
        w, h = self.win.size
        return round(x0 + w / 2 + pos[0] * h), round(y0 + h / 2 - pos[1] * h)

    # -- results ---------------------------------------------------------------------------
    def results(self, outcome) -> None:
        """The student's result beside the textbook; SPACE (Enter, Escape) or a
        click goes back to the menu. Only these, and not before
        :data:`MIN_RESULT_S`, so that keys still being pressed for the task do
        not skip the result."""
        if self.quit:
            return
        self._open()
        stims = (self._result_stims(outcome) if outcome.entry is not None
                 else self._message_stims(outcome))
        stims.append(self._text("Press SPACE or click to go back to the menu", (0, -0.46),
                                0.024, color=(0.75, 0.75, 0.75)))
        self.keys.clear()
        self.mouse.clickReset()
        shown = self._flip(stims, screen="results")
        if self.autopilot is not None:
            self.autopilot.press_at("space", shown + AUTOPILOT_READ_S)
        while not self.quit:
            self._flip(stims)
            if self.get_time() - shown < MIN_RESULT_S:
                self.keys.clear()
                self.mouse.clickReset()
                continue
            pressed = any(name in BACK_KEYS for name, _ in self.keys.poll())
            if pressed or self.mouse.getPressed()[0]:
                while self.mouse.getPressed()[0]:
                    self._flip(stims)
                return

    def _message_stims(self, outcome):
        from attentionlab.classroom.textbook import TEXTBOOK

        title = TEXTBOOK[outcome.task].title
        return [self._text(title, (0, 0.3), 0.045, bold=True),
                self._text(outcome.message, (0, 0.0), 0.032, wrap=1.1)]

    def _result_stims(self, outcome):
        from PIL import Image
        from psychopy import visual

        from attentionlab.classroom.figures import png_bytes, student_figure

        entry, row = outcome.entry, outcome.row
        verdict, colour = _verdict(entry, row)
        fig = student_figure(entry, row, dark=True, size=(7.2, 2.8))
        image = Image.open(io.BytesIO(png_bytes(fig, dpi=100))).convert("RGB")
        width = 1.0
        figure = visual.ImageStim(self.win, image=image,
                                  size=(width, width * image.size[1] / image.size[0]))
        soft = (0.85, 0.85, 0.85)
        column = [
            (self._text(f"Your result: {entry.title}", (0, 0), 0.042, bold=True, wrap=1.3),
             0.02),
            (self._text(entry.sentence(row), (0, 0), 0.03, wrap=1.2), 0.02),
            (self._text(f"Textbook: {entry.published_text} \u2014 {entry.source}.", (0, 0),
                        0.025, wrap=1.25, color=(0.55, 0.75, 1.0)), 0.015),
            (self._text(verdict, (0, 0), 0.026, wrap=1.25, color=colour), 0.01),
            (figure, 0.01),
        ]
        details = " ".join(entry.details(row))
        if details:
            column.append((self._text(details, (0, 0), 0.023, wrap=1.25, color=soft), 0.03))
        column.append((self._text(_short_explanation(entry), (0, 0), 0.022, wrap=1.25,
                                  color=soft), 0))
        return self._stack(column, top=0.47)

    def _stack(self, column, top):
        """Place ``(stim, gap)`` pairs top-down from ``top``, each below the last."""
        stims = []
        for stim, gap in column:
            height = (stim.size[1] if not hasattr(stim, "boundingBox")
                      else stim.boundingBox[1] / self.win.size[1])
            stim.pos = (0, top - height / 2)
            top -= height + gap
            stims.append(stim)
        return stims


# The words are classroom/student_result_text.py's (the browser classroom uses them too).
_COLOURS = {"showed": DONE, "proportion": DONE, "not_showed": AMBER, "undecided": AMBER}


def _verdict(entry, row) -> tuple[str, tuple]:
    """One line: did this student show the effect, with its colour."""
    from attentionlab.classroom.student_result_text import verdict

    text, kind = verdict(entry, row)
    return text, _COLOURS.get(kind, WHITE)


def _short_explanation(entry) -> str:
    from attentionlab.classroom.student_result_text import short_explanation

    return short_explanation(entry)
