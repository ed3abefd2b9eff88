"""Session.wait_click with a simulated mouse (no display): a click is taken
from its press time, so one whose press and release were both handled in the
same event pump (a busy machine) is not lost."""

from attentionlab.experiments.session import Session


class FakeMouse:
    """PsychoPy's event.Mouse as wait_click uses it. ``events`` is what each
    poll sees: ``(buttons_now, press_time_since_reset)``."""

    def __init__(self, events, pos=(0.1, -0.2)):
        self.events, self.pos, self.visible = list(events), pos, False

    def setVisible(self, visible):
        self.visible = visible

    def clickReset(self):
        pass

    def getPressed(self, getTime=False):
        buttons, press_time = self.events.pop(0) if self.events else ([0, 0, 0], 0.0)
        return (buttons, [press_time, 0.0, 0.0]) if getTime else buttons

    def getPos(self):
        return self.pos


class FakePacer:
    def __init__(self):
        self.flips = 0

    def flip(self):
        self.flips += 1
        return float(self.flips)


class FakeKeys:
    def poll(self):
        return []


class FakeWin:
    winHandle = None


def _session(mouse):
    session = Session.__new__(Session)  # only what wait_click uses
    session.abort_reason, session.capture_dir = None, None
    session.win, session.pacer, session.keys, session.mouse = (
        FakeWin(), FakePacer(), FakeKeys(), mouse)
    session.get_time = lambda: float(session.pacer.flips)  # one "second" per frame
    return session


def test_a_click_pressed_and_released_within_one_pump_is_seen():
    # Two polls without a click, then the press and the release arrived together:
    # the button is up again, but the press time says a click happened.
    mouse = FakeMouse([([0, 0, 0], 0.0), ([0, 0, 0], 0.0), ([0, 0, 0], 0.35)])
    session = _session(mouse)
    assert session.wait_click([], timeout_s=50) == (0.1, -0.2)
    assert session.pacer.flips == 3 and mouse.visible is False


def test_a_held_button_is_waited_for_and_no_click_times_out():
    held = FakeMouse([([1, 0, 0], 0.2), ([1, 0, 0], 0.2), ([0, 0, 0], 0.2)])
    session = _session(held)
    assert session.wait_click([], timeout_s=50) == (0.1, -0.2)
    assert _session(FakeMouse([])).wait_click([], timeout_s=5) is None
