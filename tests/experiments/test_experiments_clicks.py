"""Session.wait_click with a simulated window and mouse (no display).

A click counts when its press was handled after the current screen's flip
began: one whose press and release were handled in the same event pump (a
busy machine), or during the flip (and screen capture) that put the screen
up, is not lost; an older one is not taken for a new click."""

from attentionlab.experiments.session import Session


class FakeMouse:
    def __init__(self, held_polls=0, pos=(0.1, -0.2)):
        self.held_polls, self.pos, self.visible = held_polls, pos, False

    def setVisible(self, visible):
        self.visible = visible

    def getPressed(self):
        held = self.held_polls > 0
        self.held_polls -= held
        return [int(held), 0, 0]

    def getPos(self):
        return self.pos


class FakeKeys:
    def poll(self):
        return []


class FakeWin:
    winHandle = None


class Clock:
    """One "second" per flip; ``presses`` holds the flip numbers during which
    a press was handled (pumped), half a "second" before the flip returned."""

    def __init__(self, session, presses):
        self.session, self.presses, self.flips = session, presses, 0

    def flip(self):
        self.flips += 1
        if self.flips in self.presses:
            self.session._left_presses.append(self.flips - 0.5)
        return float(self.flips)


def _session(presses, mouse=None):
    session = Session.__new__(Session)  # only what wait_click uses
    session.abort_reason, session.capture_dir, session._left_presses = None, None, []
    session.win, session.keys, session.mouse = FakeWin(), FakeKeys(), mouse or FakeMouse()
    session.pacer = Clock(session, presses)
    session.get_time = lambda: float(session.pacer.flips)
    return session


def test_a_click_whose_press_and_release_were_handled_together_is_seen():
    # The button reads "up" on every poll; only the press log knows.
    session = _session({4})
    assert session.wait_click([], timeout_s=50) == (0.1, -0.2)
    assert session.pacer.flips == 4 and session.mouse.visible is False


def test_a_click_handled_while_the_screen_was_being_put_up_counts():
    session = _session({1})
    session.flip([], screen="click")  # the task shows the screen; the click arrives
    assert session.wait_click([], timeout_s=50) == (0.1, -0.2)


def test_an_older_click_is_not_taken_and_no_click_times_out():
    session = _session({1})
    session.flip([])  # a click on an earlier screen
    session.flip([])  # the click screen
    assert session.wait_click([], timeout_s=5) is None


def test_a_held_button_is_waited_for():
    session = _session({2}, FakeMouse(held_polls=3))
    assert session.wait_click([], timeout_s=50) == (0.1, -0.2)
    assert session.mouse.held_polls == 0  # it returned after the release
