"""Where each word starts in espeak-ng's speech, from the synthesiser itself.

Scoring shadowing needs the onset of every attended word in the message.
For passages synthesised by espeak-ng the synthesiser knows them: its
library reports a word event with the word's sample position while it
speaks. The ``espeak-ng`` command line does not print them, so the library
(``libespeak-ng.so.1``, installed with the ``espeak-ng`` package) is called
through ctypes with the same voice and rate as :func:`speech.synthesize`;
its samples are the command's, sample for sample (the command only adds
trailing silence), so the positions hold for the cached WAV files.

>>> onsets, rate = word_onsets("the keeper climbed", lang="en", voice="male")  # doctest: +SKIP
>>> [i for i, _ in onsets], rate  # doctest: +SKIP
([0, 4, 11], 22050)
"""

import ctypes
import ctypes.util
import threading

from attentionlab.stimuli import speech

LIBRARY = "libespeak-ng.so.1"
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: samples come to the callback
_EVENT_END_OF_LIST, _EVENT_WORD = 0, 1
_POS_CHARACTER, _CHARS_UTF8, _PARAM_RATE = 1, 1, 1
_lock = threading.Lock()
_state = {}


class _Id(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p),
                ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):  # espeak_EVENT in speak_lib.h
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", _Id)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


def _library():
    if "lib" not in _state:
        try:
            # LIBRARY is Linux's name; macOS and Windows (untested) name it otherwise
            lib = ctypes.CDLL(ctypes.util.find_library("espeak-ng") or LIBRARY)
        except OSError as exc:
            raise RuntimeError(f"{LIBRARY} not found ({exc}); install the espeak-ng "
                               f"package") from None
        rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
        if rate <= 0:
            raise RuntimeError("espeak-ng's library did not start")

        def on_speech(wav, n, events):
            i = 0
            while events[i].type != _EVENT_END_OF_LIST:
                if events[i].type == _EVENT_WORD:
                    e = events[i]
                    _state["words"].append((e.text_position - 1, e.length, e.sample))
                i += 1
            return 0

        _state["callback"] = _Callback(on_speech)  # kept alive: the library holds it
        lib.espeak_SetSynthCallback(_state["callback"])
        _state.update(lib=lib, rate=int(rate))
    return _state["lib"]


def word_onsets(text: str, *, lang: str, voice: str,
                rate_wpm: int = speech.DEFAULT_RATE_WPM) -> tuple[list[tuple[int, float]], int]:
    """(index of the word's first character in ``text``, onset in s from the
    first sample) for every word espeak-ng says, and its sample rate (Hz)."""
    with _lock:
        lib = _library()
        if lib.espeak_SetVoiceByName(speech.voice_name(lang, voice).encode()) != 0:
            raise RuntimeError(f"espeak-ng has no voice {speech.voice_name(lang, voice)!r}")
        lib.espeak_SetParameter(_PARAM_RATE, int(rate_wpm), 0)
        data = text.encode("utf-8")
        _state["words"] = []
        buffer = ctypes.create_string_buffer(data)
        if lib.espeak_Synth(buffer, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8,
                            None, None) != 0:
            raise RuntimeError("espeak-ng could not speak the text")
        lib.espeak_Synchronize()
        rate = _state["rate"]
        # text_position counts characters (from 1); slice the decoded text
        return [(p, sample / rate) for p, n, sample in _state["words"] if n > 0], rate
