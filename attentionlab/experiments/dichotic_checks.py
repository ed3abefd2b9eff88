"""Before the dichotic task: the participant's first name (typed by the
experimenter) and the headphone check.

The name is typed on screen before the data file exists, kept only as the
synthesised sound in memory, and never drawn into a captured screen, written
to a file or passed on a command line. The headphone check plays a noise
burst in one ear at a time (random order, half left, half right); the
participant presses the left or the right arrow key. Too many wrong answers
end the session (``completed: false``) with a message for the experimenter.
"""

import random

import numpy as np

from attentionlab.core.errors import UsageError
from attentionlab.stimuli import dichotic_mix
from attentionlab.stimuli.dichotic_sound import NAME_CHARACTERS, clean_name, spoken_name

CHECK_SOUND_MS = 600
SOUND_LEAD_S = 0.2  # the sound starts this long after the question appears (see dichotic.py)
CHECK_KEYS = {"left": "left", "right": "right"}
CHECK_TIMEOUT_S = 8.0  # no answer within this time counts as wrong
FAILED_SCREEN_MS = 4000
TYPING_INTERVAL_S = 0.15  # the autopilot's typing speed

NAME_PROMPT = ("EXPERIMENTER: type the participant's first name, then press Enter.\n\n"
               "It will be spoken once in one of the messages. It stays in memory only: "
               "it is never saved, not even in the data file.")
CHECK_INTRO = ("Headphone check\n\nPut on the headphones. You will hear {n} short noises, "
               "each in ONE ear.\nAfter each one, press the LEFT arrow key if it was in your "
               "left ear, or the RIGHT arrow key if it was in your right ear.\n\n"
               "Press space to start.")
CHECK_FAILED = ("The headphone check did not work ({wrong} of {n} answers wrong).\n\n"
                "Please call the experimenter.")
ABORT_REASON = ("headphone check failed: {wrong} of {n} answers wrong (at most {allowed} "
                "allowed); check that the headphones are plugged in, worn the right way "
                "round (L on the left ear) and that both channels work, then start again")


def ask_name(session, voice: str, fs: int) -> np.ndarray:
    """Let the experimenter type the first name; return it spoken (float32 at ``fs``).

    Characters come from the window's text events (so the keyboard layout,
    capitals and accents work); Enter confirms, Backspace deletes. The empty
    prompt is captured as a screen, the typed name never is.
    """
    from psychopy import visual

    win = session.win
    prompt = visual.TextStim(win, NAME_PROMPT, pos=(0, 0.2), height=0.032, wrapWidth=1.2,
                             color="white", font=session.font)
    field = visual.TextStim(win, "", pos=(0, -0.05), height=0.06, color=(0.6, 0.9, 0.6),
                            font=session.font)
    box = visual.Rect(win, width=0.8, height=0.1, pos=(0, -0.05), lineColor="white",
                      fillColor=None)
    typed, done = [], []

    def on_text(text):
        for ch in text:
            if ch in ("\r", "\n"):
                done.append(True)
            elif ch.lower() in NAME_CHARACTERS and len(typed) < 40:
                typed.append(ch)

    def on_text_motion(motion):
        from pyglet.window import key

        if motion == key.MOTION_BACKSPACE and typed:
            typed.pop()

    win.winHandle.push_handlers(on_text=on_text, on_text_motion=on_text_motion)
    try:
        session.keys.clear()
        shown = session.flip([prompt, box, field], screen="name_entry")
        if session.autopilot is not None:
            from attentionlab.simulation.dichotic import AUTOPILOT_NAME

            for i, ch in enumerate(AUTOPILOT_NAME + "\r"):
                key = "return" if ch == "\r" else ch
                session.autopilot.press_at(key, shown + 0.5 + i * TYPING_INTERVAL_S,
                                           hold_s=0.03)
        while True:
            for name, _ in session.poll_keys():
                if name == "return":
                    done.append(True)
            if done:
                try:
                    text = clean_name("".join(typed))
                except UsageError:
                    done.clear()  # nothing usable typed yet: keep asking
                else:
                    break
            field.text = "".join(typed)
            session.flip([prompt, box, field])  # no screen name: never captured
        field.text = ""
        session.flip([])
    finally:
        win.winHandle.remove_handlers(on_text=on_text, on_text_motion=on_text_motion)
        session.keys.clear()
    sound = spoken_name(text, voice, fs)
    del text, typed[:]
    return sound


def headphone_check(session, player, n: int, max_errors: int, model=None) -> dict:
    """Run the check; return its result for the sidecar. If it fails, show a
    message, set the session's abort reason and end the session."""
    from psychopy import visual

    s = session
    rng = random.Random((s.options.seed or 0) + 7919)
    order = check_order(n, rng)
    noise_rng = np.random.default_rng((s.options.seed or 0) + 7919)
    s.show_text(CHECK_INTRO.format(n=n), screen="headphone_intro")
    label = visual.TextStim(s.win, "Which ear?   \u2190 left      right \u2192", pos=(0, -0.1),
                            height=0.045, color="white", font=s.font)
    fixation = visual.TextStim(s.win, "+", height=0.06, color="white", font=s.font)
    answers = []
    try:
        for i, ear in enumerate(order):
            sound = dichotic_mix.noise_burst(CHECK_SOUND_MS, player.rate, noise_rng)
            s.show_frames([fixation], s.pacer.frames(700), "headphone_fixation" if i == 0
                          else None)
            s.keys.clear()
            s.win.callOnFlip(s.keys.reset_clock)
            onset = s.flip([fixation, label], screen="headphone_question" if i == 0 else None)
            player.play(dichotic_mix.one_ear(sound, ear), when=onset + SOUND_LEAD_S)
            if model is not None and s.autopilot is not None:
                heard, rt_ms = model.headphone_answer(ear, s.rng_autopilot)
                s.autopilot.press_at(CHECK_KEYS[heard], onset + rt_ms / 1000)
            answer = None
            while answer is None and s.get_time() - onset < CHECK_TIMEOUT_S:
                for name, _ in s.poll_keys():
                    if name in CHECK_KEYS.values():
                        answer = name
                        break
                else:
                    s.flip([fixation, label])
            answers.append({"ear": ear, "answer": answer or ""})
            if s.autopilot is not None:
                s.autopilot.cancel_pending()
            s.flip([])
    finally:
        player.stop()
    wrong = sum(a["ear"] != a["answer"] for a in answers)
    result = {"sounds": n, "wrong": wrong, "max_errors": max_errors,
              "passed": wrong <= max_errors, "answers": answers}
    if wrong > max_errors:
        message = visual.TextStim(s.win, CHECK_FAILED.format(wrong=wrong, n=n), height=0.04,
                                  wrapWidth=1.2, color="white", font=s.font)
        s.show_frames([message], s.pacer.frames(FAILED_SCREEN_MS), "headphone_failed")
        result["message"] = ABORT_REASON.format(wrong=wrong, n=n, allowed=max_errors)
    return result


def check_order(n: int, rng: random.Random) -> list[str]:
    """``n`` ears, half left and half right (one extra at random if odd), shuffled.

    >>> sorted(check_order(6, random.Random(1)))
    ['left', 'left', 'left', 'right', 'right', 'right']
    """
    ears = ["left", "right"] * (n // 2) + ([rng.choice(["left", "right"])] if n % 2 else [])
    rng.shuffle(ears)
    return ears
