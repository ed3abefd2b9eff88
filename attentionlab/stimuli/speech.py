"""Speech synthesis with espeak-ng, in memory.

espeak-ng is a small, deterministic, offline synthesiser (Debian package
``espeak-ng``): the same text, voice, rate and espeak-ng version give the
same samples, so a stimulus set can be rebuilt bit for bit. The text goes to
espeak-ng on its standard input and the sound comes back on its standard
output: nothing is written to disk here (the participant's name is
synthesised this way and never stored).

Voices: espeak-ng's American English and German voices with its ``m3``
(male, median F0 about 100 Hz) and ``f3`` (female, about 200 Hz) variants.

>>> samples, rate = synthesize("hello", lang="en", voice="female")  # doctest: +SKIP
>>> rate  # doctest: +SKIP
22050
"""

import functools
import shutil
import struct
import subprocess

import numpy as np

from attentionlab.core.errors import UsageError

ESPEAK = "espeak-ng"
VOICES = {
    ("en", "male"): "en-us+m3",
    ("en", "female"): "en-us+f3",
    ("de", "male"): "de+m3",
    ("de", "female"): "de+f3",
}
GENDERS = ("male", "female")
DEFAULT_RATE_WPM = 150  # a calm reading pace that can be shadowed


def espeak_path() -> str:
    """The espeak-ng executable; :class:`UsageError` saying how to install it."""
    path = shutil.which(ESPEAK)
    if path is None:
        raise UsageError("espeak-ng is not installed; it synthesises the dichotic passages "
                         "(Debian/Ubuntu: 'sudo apt-get install espeak-ng')")
    return path


@functools.cache
def espeak_version() -> str:
    """espeak-ng's version string, e.g. ``'1.51'`` (recorded with every stimulus set)."""
    out = subprocess.run([espeak_path(), "--version"], capture_output=True, text=True,
                         check=True).stdout
    # "eSpeak NG text-to-speech: 1.51  Data at: ..."
    return out.split(":", 1)[1].split()[0] if ":" in out else out.strip()


def voice_name(lang: str, voice: str) -> str:
    """espeak-ng voice for a language (``en``/``de``) and ``male``/``female``."""
    try:
        return VOICES[(lang, voice)]
    except KeyError:
        raise UsageError(f"no synthetic voice for language {lang!r} and voice {voice!r}; "
                         f"available: {', '.join(f'{l}/{v}' for l, v in VOICES)}") from None


def synthesize(text: str, *, lang: str, voice: str,
               rate_wpm: int = DEFAULT_RATE_WPM) -> tuple[np.ndarray, int]:
    """Speak ``text``; return mono float32 samples in -1..1 and the sample rate (Hz).

    The text is passed on standard input (never on a command line another
    process could read) and the sound read from standard output.
    """
    cmd = [espeak_path(), "-v", voice_name(lang, voice), "-s", str(int(rate_wpm)), "--stdout"]
    result = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"espeak-ng failed ({result.returncode}): "
                           f"{result.stderr.decode(errors='replace').strip()}")
    return parse_wav_stream(result.stdout)


def parse_wav_stream(data: bytes) -> tuple[np.ndarray, int]:
    """16-bit mono PCM WAV bytes as written by ``espeak-ng --stdout`` -> (float32, rate).

    espeak-ng writes the header before it knows the length (the size fields
    hold a placeholder), so the data are taken to the end of the stream.

    >>> header = (b"RIFF" + struct.pack("<I", 0) + b"WAVEfmt " + struct.pack(
    ...     "<IHHIIHH", 16, 1, 1, 22050, 44100, 2, 16) + b"data" + struct.pack("<I", 0))
    >>> samples, rate = parse_wav_stream(header + struct.pack("<2h", 16384, -16384))
    >>> rate, samples.tolist()
    (22050, [0.5, -0.5])
    """
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise RuntimeError("espeak-ng did not return WAV data")
    pos, rate, channels, bits = 12, None, None, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if chunk == b"fmt ":
            _, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[pos + 8:pos + 24])
        elif chunk == b"data":
            if rate is None or channels != 1 or bits != 16:
                raise RuntimeError("espeak-ng returned an unexpected WAV format")
            body = data[pos + 8:]
            body = body[:len(body) - len(body) % 2]
            samples = np.frombuffer(body, dtype="<i2").astype(np.float32) / 32768.0
            return samples, int(rate)
        pos += 8 + size + (size & 1)
    raise RuntimeError("espeak-ng returned WAV data without samples")
