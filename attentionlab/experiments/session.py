"""The session runner: everything tasks share.

It owns the window, frame pacing, the keyboard, the clocks, the data file
and sidecar, the instructions -> practice -> blocks -> thank-you flow, the
autopilot, and the ways a session ends (completed, Escape, window closed,
SIGINT, SIGTERM). A task only presents trials (``run_trial``) and supplies
its texts; it never opens a file or a window.

Order of work, so that a mistake costs nothing: everything the user typed is
validated and the data folder checked *before* the window opens; the data
file is created only once the window is open (a failed display leaves no
empty files); each row is on disk before the next trial starts.
"""

import datetime
import os
import platform
import signal
import sys
from pathlib import Path
from dataclasses import dataclass, field

import numpy as np

import attentionlab
from attentionlab.core import datafile
from attentionlab.core.columns import column_names
from attentionlab.core.outcome import Outcome
from attentionlab.core.params import as_plain
from attentionlab.core.trial_row import SessionFacts, build_row
from attentionlab.experiments import devices
from attentionlab.stimuli.registry import get_task

# Reasons recorded in the sidecar's abort_reason.
ABORT_ESCAPE = "escape key pressed"
ABORT_WINDOW = "window closed"
ABORT_SIGNAL = "signal {name} received"

FONT = "Noto Sans"  # ships inside PsychoPy, so accents render the same everywhere
PHOTODIODE_HEIGHT = 0.06  # side of the photodiode square, fraction of screen height
INSTRUCTION_MIN_S = 0.5  # ignore presses this soon after a text screen appears
AUTOPILOT_READ_S = 0.6   # how long the autopilot "reads" a text screen


class SessionAborted(Exception):
    """The session was ended before its last trial; ``args[0]`` says why."""


@dataclass
class SessionOptions:
    """What the command line asked for (validated by the CLI)."""

    task: str
    participant: str
    session: str = "1"
    data_dir: str = "data"
    seed: int | None = None
    windowed: bool = False
    skip_intro: bool = False
    photodiode: bool = False
    autopilot: bool = False
    population: object = None  # the autopilot's population model (attentionlab.simulation)
    geometry: object = None  # monitor_geometry.Geometry, or None: sizes in screen units
    # Balanced assignment: the allocation scheme whose group this session
    # used (core/allocation.py); a completed session counts for that group.
    allocation_scheme: str | None = None
    window_size: tuple[int, int] = (1024, 768)
    nominal_hz: float = 60.0
    command_line: list = field(default_factory=list)


class Session:
    """A running session. Created by :func:`run_session`; tasks use its
    ``win``, ``pacer``, ``keys``, ``font``, ``photodiode`` (a white square
    to draw on stimulus frames, or None), ``autopilot`` with
    ``participant_model`` (the simulated participant, drawn once) and
    ``rng_autopilot``, and the drawing helpers below."""

    font = FONT

    def __init__(self, options: SessionOptions, params):
        self.options = options
        self.params = params
        self.abort_reason = None
        self.files = None
        self.sidecar = {}  # notes made before the files exist are merged in create_files
        self.trials_done = 0
        self.autopilot_model = None
        self.autopilot = None
        self.autopilot_trials = []
        self.participant_model = None
        self.photodiode = None
        self.geometry = options.geometry  # resolution filled in when the window opens
        # Its own stream, so switching the autopilot on never changes the trial order.
        self.rng_autopilot = np.random.default_rng([options.seed or 0, 0xA070])

    # -- life cycle -------------------------------------------------------
    def open(self) -> None:
        """Open the window, measure the display, start keyboard and autopilot."""
        with devices.opening("the window"):
            # pyglet opens a hidden window of its own when psychopy.event is imported.
            from psychopy import clock, event, logging, visual

        from attentionlab.experiments.frames import FramePacer
        from attentionlab.experiments.keys import KeyInput

        logging.console.setLevel(logging.ERROR)
        self.get_time = clock.getTime
        o = self.options
        with devices.opening("the window"):
            self.win = visual.Window(
                size=o.window_size, fullscr=not o.windowed, units="height",
                color=(-1, -1, -1), allowGUI=o.windowed, checkTiming=False, winType="pyglet",
                **({"monitor": self.geometry.monitor()} if self.geometry else {}))
        self.win.mouseVisible = False
        self._set_up_geometry()
        self._hook_window_close()
        self.pacer = FramePacer(self.win, nominal_hz=o.nominal_hz, clock=self.get_time)
        with devices.opening("the keyboard"):
            self.keys = KeyInput()
        self.mouse = event.Mouse(win=self.win, visible=False)
        if o.photodiode:
            self.photodiode = _photodiode_patch(self.win)
        if o.autopilot:
            self._draw_participant()
            from attentionlab.experiments.autopilot import XTestInput

            with devices.opening("the autopilot's XTest input"):
                self.autopilot = XTestInput(clock=self.get_time)
        if not self.pacer.vsync:
            print(f"Warning: this display does not synchronise flips with its refresh "
                  f"(flips took {self.pacer.measured_interval_s * 1000:.2f} ms). Pacing frames "
                  f"in software at {self.pacer.refresh_hz:g} Hz; the sidecar records this.",
                  file=sys.stderr, flush=True)
        self.capture_dir = os.environ.get("ATTENTIONLAB_CAPTURE_DIR") or None
        self._captures = 0
        if self.capture_dir:
            Path(self.capture_dir).mkdir(parents=True, exist_ok=True)
        self.start_time = self.get_time()
        self.started_at = _now_iso()

    def _set_up_geometry(self):
        """Fill in the monitor's resolution (the screen's, when not given)."""
        if self.geometry is None:
            return
        screen = getattr(self.win.winHandle, "screen", None)
        size = (screen.width, screen.height) if screen is not None else self.win.size
        self.screen_px = [int(size[0]), int(size[1])]
        self.geometry = self.geometry.with_resolution(size)
        self.win.monitor.setSizePix(list(self.geometry.resolution))
        if list(self.geometry.resolution) != self.screen_px:
            # Degrees are computed from the given resolution; a screen set to
            # another one draws them the wrong size. Said, and in the sidecar.
            print(f"Warning: the monitor's resolution is {self.geometry.resolution[0]}x"
                  f"{self.geometry.resolution[1]} but this screen is {size[0]}x{size[1]}: "
                  f"sizes in degrees are only right at the given resolution.",
                  file=sys.stderr, flush=True)

    def stim_size(self, deg_name: str) -> tuple[float, str]:
        """A degree-declared size as ``(value, units)`` for a PsychoPy stimulus:
        the ``*_deg`` parameter in ``deg`` with a calibrated monitor, else its
        screen-unit fallback (the definition's ``DEGREE_SIZES``) in ``height``."""
        if self.geometry is not None:
            return getattr(self.params, deg_name), "deg"
        fallback = get_task(self.options.task).DEGREE_SIZES[deg_name]
        return getattr(self.params, fallback), "height"

    def height_to_units(self, value: float, units: str) -> float:
        """A position in 'height' units (a plan's layout) in ``units``."""
        if units == "deg":
            return value * self.win.size[1] / self.geometry.pixels_per_degree()
        return value

    def _draw_participant(self):
        """The autopilot's simulated participant: drawn once, from the
        population given with --set (or the defaults), recorded in the sidecar."""
        import dataclasses

        from attentionlab.simulation.registry import population_for

        population = self.options.population or population_for(self.options.task)()
        self.participant_model = population.draw(self.rng_autopilot, self.params)
        self.autopilot_model = {"population": dataclasses.asdict(population),
                                "participant": dataclasses.asdict(self.participant_model)}

    def _hook_window_close(self):
        def on_close():
            self.abort_reason = self.abort_reason or ABORT_WINDOW
            return True  # keep the window until we close it ourselves

        def on_mouse_press(x, y, button, modifiers):
            if button == 1:  # pyglet's left button
                self._left_presses.append(self.get_time())
            # not handled: PsychoPy's own handler still updates event.Mouse

        self._left_presses = []  # clock times at which left presses were handled
        try:
            self.win.winHandle.push_handlers(on_close=on_close, on_mouse_press=on_mouse_press)
        except AttributeError:
            pass

    def create_files(self, header, sidecar: dict) -> None:
        o = self.options
        self.files = datafile.SessionFiles.create(o.data_dir, o.participant, o.session,
                                                  o.task, header)
        notes, self.sidecar = self.sidecar, sidecar
        for key, value in notes.items():
            self.note_sidecar(key, value)
        self.sidecar["run"] = self.files.run
        datafile.write_sidecar(self.files.sidecar_path, self.sidecar)

    def note_sidecar(self, key: str, value, section: str | None = None) -> None:
        """Record a fact learnt during the session (a check's result, a count);
        it is in the sidecar written when the session ends. ``section`` puts it
        inside a dict entry, e.g. ``note_sidecar("output_underflows", 0, "audio")``."""
        if section is None:
            if isinstance(value, dict) and isinstance(self.sidecar.get(key), dict):
                self.sidecar[key].update(value)
            else:
                self.sidecar[key] = value
        else:
            self.note_sidecar(section, {key: value})

    def finish(self, completed: bool) -> None:
        """Close the data file, write the final sidecar atomically, close the window."""
        if self.autopilot is not None:
            self.autopilot.cancel_pending()
        if self.files is not None:
            self.files.close()
            self.sidecar.update({
                "completed": completed,
                "trials_done": self.trials_done,
                "abort_reason": None if completed else self.abort_reason,
                "end_time": _now_iso(),
            })
            self.sidecar["timing"]["dropped_frames_total"] = self.pacer.dropped_total
            if self.autopilot is not None:
                self.sidecar["autopilot"] = {**(self.autopilot_model or {}),
                                             "trials": self.autopilot_trials}
            datafile.write_sidecar(self.files.sidecar_path, self.sidecar)
        if self.autopilot is not None:
            self.autopilot.close()
        try:
            self.win.close()
        except Exception:
            pass

    # -- checks every loop makes -------------------------------------------
    def check_abort(self) -> None:
        """Raise :class:`SessionAborted` if Escape, a signal or window close asked."""
        if self.abort_reason:
            raise SessionAborted(self.abort_reason)

    def poll_keys(self) -> list[tuple[str, float]]:
        """New key presses ``(name, rt_s)``; Escape aborts the session."""
        presses = self.keys.poll()
        if any(name == "escape" for name, _ in presses):
            self.abort_reason = self.abort_reason or ABORT_ESCAPE
        self.check_abort()
        return presses

    # -- drawing helpers ---------------------------------------------------
    def flip(self, stims=(), screen: str | None = None) -> float:
        """Draw ``stims`` and flip once (paced); return the flip time.

        ``screen`` names a new screen: with ``ATTENTIONLAB_CAPTURE_DIR`` set, it
        is saved as a numbered PNG (read back before the flip) so that tests
        and people can see exactly what the participant saw.
        """
        self._flip_started = self.get_time()
        for s in stims:
            s.draw()
        if screen and self.capture_dir:
            self._capture(screen)
        t = self.pacer.flip()
        if self.win.winHandle is not None:
            self.win.winHandle.dispatch_events()
        self.check_abort()
        return t

    def show_frames(self, stims, n_frames: int, screen: str | None = None) -> None:
        """Show ``stims`` for exactly ``n_frames`` frames, watching for Escape."""
        for i in range(n_frames):
            self.flip(stims, screen if i == 0 else None)
            self.poll_keys()

    def _capture(self, screen: str) -> None:
        self._captures += 1
        path = Path(self.capture_dir) / f"{self._captures:04d}_{screen}.png"
        self.win.getMovieFrame(buffer="back")
        self.win.saveMovieFrames(str(path))
        # Reading back takes time on purpose; it is not the participant's timing.
        self.pacer.resync()

    def show_text(self, text: str, extra_stims=(), key: str = "space",
                  screen: str = "text") -> None:
        """A text screen that waits for ``key`` (the autopilot presses it)."""
        from psychopy import visual

        stim = visual.TextStim(self.win, text=text, height=0.032, wrapWidth=1.2,
                               color="white", font=self.font, alignText="center")
        stims = [stim, *extra_stims]
        shown_at = self.flip(stims, screen=screen)
        if self.autopilot is not None:
            self.autopilot.press_at(key, shown_at + AUTOPILOT_READ_S)
        while True:
            for name, _ in self.poll_keys():
                if name == key and self.get_time() - shown_at >= INSTRUCTION_MIN_S:
                    self.flip([])
                    return
            self.flip(stims)

    def present_until_response(self, stims, keys, deadline_ms=None, screen=None,
                               on_onset=None):
        """Show ``stims`` from one flip, on which the RT clock starts, until one
        of ``keys`` is pressed or ``deadline_ms`` (whole frames) has passed.

        ``on_onset(flip_time)`` runs right after the onset flip (e.g. to plan
        the autopilot's press); its result is returned. The screen is blank
        once this returns; a press during the stimulus's last frame still
        counts. Returns ``(onset_flip_time, (key, rt_s) or None, on_onset_result)``.
        """
        deadline_frames = self.pacer.frames(deadline_ms) if deadline_ms else None
        deadline_s = deadline_frames * self.pacer.period_s if deadline_frames else None

        def first_valid(presses):
            for name, rt in presses:
                if name in keys and rt >= 0 and (deadline_s is None or rt <= deadline_s):
                    return name, rt
            return None

        self.keys.clear()
        self.win.callOnFlip(self.keys.reset_clock)
        onset = self.flip(stims, screen)
        planned = on_onset(onset) if on_onset is not None else None
        shown, response = 1, None
        while response is None and (deadline_frames is None or shown < deadline_frames):
            response = first_valid(self.poll_keys())
            if response is None:
                self.flip(stims)
                shown += 1
        if response is None:
            response = first_valid(self.poll_keys())
        self.flip([])
        if response is None and deadline_frames is not None:
            response = first_valid(self.poll_keys())  # pressed in the last frame
        return onset, response, planned

    def screen_point(self, pos) -> tuple[int, int]:
        """A window position in 'height' units (origin at the centre, y up) as X
        screen pixels (origin top-left, y down): where the autopilot clicks."""
        x0, y0 = self.win.winHandle.get_location() if not self.win._isFullScr else (0, 0)
        w, h = self.win.size
        return round(x0 + w / 2 + pos[0] * h), round(y0 + h / 2 - pos[1] * h)

    def wait_click(self, stims, timeout_s: float | None = None):
        """Show ``stims`` (cursor visible) until a left click; return its
        position in 'height' units, or None at ``timeout_s``."""
        self.mouse.setVisible(True)
        # A click counts from the start of the flip that put the current screen
        # up: a click handled while that flip (and its screen capture) ran is
        # on this screen, and must not be wiped by a reset here. Presses come
        # from the press log, not the button state: on a busy machine a short
        # click's press and release can be handled in one event pump, and the
        # state alone would show the button up (the click would be lost).
        since = getattr(self, "_flip_started", None)
        start = self.flip(stims)
        since = start if since is None else since
        self._left_presses[:] = [t for t in self._left_presses if t >= since]
        try:
            while True:
                self.poll_keys()
                self.mouse.getPressed()  # let the window handle its events
                if any(t >= since for t in self._left_presses):
                    self._left_presses.clear()
                    pos = self.mouse.getPos()
                    while self.mouse.getPressed()[0]:  # wait for the release
                        self.flip(stims)
                    return float(pos[0]), float(pos[1])
                if timeout_s is not None and self.get_time() - start >= timeout_s:
                    return None
                self.flip(stims)
        finally:
            self.mouse.setVisible(False)

    def onset_s(self, flip_time: float) -> float:
        """A flip time as seconds since the session started."""
        return flip_time - self.start_time


def run_session(options: SessionOptions, params, prepared, resume=None) -> int:
    """Run a whole session; return the exit status (0 completed, 1 aborted).

    ``prepared`` (:class:`~attentionlab.experiments.tasks.Prepared`) holds the
    trial lists by phase, whose items carry ``block``, ``phase`` and a
    ``row()`` of the task's own columns, and the presenter class.
    ``resume`` (:class:`~attentionlab.experiments.resume.ResumePoint`, from
    ``find_unfinished``): continue that run's plan from its first test trial
    not on disk, into a new run file (no practice; a "welcome back" page).
    """
    task_module = get_task(options.task)
    if resume is not None:
        from attentionlab.experiments.resume import check_plan

        check_plan(resume, prepared.trials["test"])  # before anything opens
    session = Session(options, params)
    previous = _install_signal_handlers(session)
    completed = False
    try:
        session.open()
        # Presenters open their sound devices here, before the data file exists.
        with devices.opening("the sound device", only=devices.is_audio_failure):
            presenter = prepared.presenter_factory(session)
        header = column_names(task_module.COLUMNS)
        practice = prepared.trials.get("practice", [])
        test = prepared.trials["test"]
        sidecar = _initial_sidecar(session, presenter, len(practice), len(test),
                                   prepared.sidecar_extra)
        if resume is not None:
            sidecar.update(resume.sidecar_facts())
        session.create_files(header, sidecar)
        print(f"Writing {session.files.csv_path}", flush=True)
        if resume is None:
            _run_flow(session, presenter, practice, test)
        else:
            _run_resumed_flow(session, presenter, test, resume)
        completed = True
    except SessionAborted as exc:
        print(f"Session aborted: {exc.args[0]}. Completed trials are saved.", file=sys.stderr)
    finally:
        session.finish(completed)
        _restore_signal_handlers(previous)
    if completed and options.allocation_scheme:
        from attentionlab.core.allocation import mark_completed

        mark_completed(options.data_dir, options.allocation_scheme, options.participant)
    if session.files is not None:
        print(f"Data: {session.files.csv_path}\nSidecar: {session.files.sidecar_path}")
    return 0 if completed else 1


def _run_flow(session, presenter, practice, test, index=0, first=0, intro=True):
    """Instructions and practice (with ``intro``), the test from ``test[first]``
    (trial_index numbering on from ``index``), breaks between blocks, thanks."""
    if intro and not session.options.skip_intro:
        for page in presenter.intro_pages():
            session.show_text(page, screen="instructions")
        if practice:
            session.show_text(presenter.text("practice"), screen="practice_intro")
            for trial in practice:
                index += 1
                record = _run_and_save(session, presenter, trial, index)
                presenter.show_feedback(record)
                _inter_trial(session, presenter)
        session.show_text(presenter.text("test"), screen="test_intro")
    n_blocks = max(t.block for t in test)
    for i, trial in enumerate(test):
        if i < first:
            continue
        index += 1
        _run_and_save(session, presenter, trial, index)
        is_last_of_block = i + 1 == len(test) or test[i + 1].block != trial.block
        if is_last_of_block and trial.block < n_blocks:
            session.show_text(presenter.text("break", block=trial.block, n_blocks=n_blocks),
                              screen="break")
        else:
            _inter_trial(session, presenter)
    session.show_text(presenter.text("thanks"), screen="thanks")


WELCOME_BACK = ("Welcome back! The task continues where it stopped, at trial {first} of "
                "{total}: the same task as before, no practice.\n\n")


def _run_resumed_flow(session, presenter, test, resume):
    """A resumed session: the task's instructions again, headed by one
    "welcome back" line (none of it with --skip-intro), then the test from
    the first trial not on disk. Practice is not repeated. The line is in
    English; the instructions are in the task's language."""
    if not session.options.skip_intro:
        pages = list(presenter.intro_pages())
        pages[0] = WELCOME_BACK.format(first=resume.test_done + 1, total=len(test)) + pages[0]
        for i, page in enumerate(pages):
            session.show_text(page, screen="welcome_back" if i == 0 else "instructions")
    if resume.test_done < len(test):
        _run_flow(session, presenter, [], test, index=resume.last_trial_index,
                  first=resume.test_done, intro=False)
    else:
        session.show_text(presenter.text("thanks"), screen="thanks")


def _run_and_save(session, presenter, trial, index) -> dict:
    session.pacer.start_count()
    outcome = presenter.run_trial(trial)
    o = session.options
    facts = SessionFacts(o.participant, o.session, o.task, session.files.run,
                         int(o.autopilot))
    if not isinstance(outcome, Outcome):  # a presenter's bug, not a user's mistake
        raise TypeError(f"{type(presenter).__name__}.run_trial must return an Outcome "
                        f"(core/contracts.py), got {type(outcome).__name__}")
    autopilot = outcome.autopilot
    row = build_row(facts, trial, outcome, get_task(o.task).score(trial, outcome),
                    trial_index=index, dropped_frames=session.pacer.dropped_frames,
                    timestamp=_now_iso())
    if autopilot is not None:
        session.autopilot_trials.append({"trial_index": index, **autopilot})
    session.files.append_row(row)
    if trial.phase == "test":
        session.trials_done += 1
    # Writing (fsync) took time between two frames on purpose: not a dropped frame.
    session.pacer.resync()
    return row


def _inter_trial(session, presenter):
    # The blank shown when the trial ended is the first frame of the interval.
    session.show_frames([], max(0, session.pacer.frames(presenter.iti_ms) - 1))


def _initial_sidecar(session, presenter, n_practice, n_test, extra) -> dict:
    import psychopy

    o, win = session.options, session.win
    return {
        "task": o.task,
        "participant": o.participant,
        "session": o.session,
        "seed": o.seed,
        "completed": False,
        "trials_planned": n_test,
        "practice_trials_planned": n_practice,
        "trials_done": 0,
        "abort_reason": None,
        "start_time": session.started_at,
        "end_time": None,
        "simulated": o.autopilot,
        "command_line": o.command_line,
        "software": {
            "attentionlab": attentionlab.__version__,
            "psychopy": psychopy.__version__,
            "python": platform.python_version(),
            "os": platform.platform(),
        },
        "display": {
            "size_px": [int(v) for v in win.size],
            "fullscreen": bool(win._isFullScr),
            "x_display": os.environ.get("DISPLAY"),
            "geometry": _geometry_sidecar(session),
        },
        "timing": {
            **session.pacer.describe(),
            "photodiode": o.photodiode,
            "screen_capture": bool(session.capture_dir),
            "dropped_frames_total": 0,
        },
        "keyboard": {"backend": session.keys.backend, "warning": session.keys.warning},
        "audio": {"used": False},
        "params": as_plain(session.params),
        **presenter.describe(),
        **extra,
    }


def _geometry_sidecar(session) -> dict:
    """``display.geometry``: the monitor and every degree-declared size in
    degrees and pixels (docs/data-format.md), or the note that there is none,
    which is also said once here: once per task session (a study's break and
    form screens, which open a Session of their own, draw no sizes)."""
    from attentionlab.experiments.monitor_geometry import NO_GEOMETRY, size_table

    declared = getattr(get_task(session.options.task), "DEGREE_SIZES", {})
    sizes = size_table(declared, session.params, session.geometry, session.win.size)
    if session.geometry is None:
        if declared:
            print(f"Warning: {NO_GEOMETRY}.", file=sys.stderr, flush=True)
        return {"calibrated": False, "note": NO_GEOMETRY, "sizes": sizes}
    return {**session.geometry.describe(), "screen_px": session.screen_px, "sizes": sizes}


def _photodiode_patch(win):
    """A white square in the bottom-left corner (docs/architecture.md, timing rule 8)."""
    from psychopy import visual

    aspect = win.size[0] / win.size[1]
    side = PHOTODIODE_HEIGHT
    # units='height': x runs from -aspect/2 to +aspect/2, y from -0.5 to 0.5.
    return visual.Rect(win, width=side, height=side, units="height",
                       pos=(-aspect / 2 + side / 2, -0.5 + side / 2),
                       fillColor="white", lineColor="white")


def _install_signal_handlers(session):
    def handler(signum, frame):
        session.abort_reason = session.abort_reason or ABORT_SIGNAL.format(
            name=signal.Signals(signum).name)
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    return previous


def _restore_signal_handlers(previous):
    for sig, old in previous.items():
        signal.signal(sig, old)


def _now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")
