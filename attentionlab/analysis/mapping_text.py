"""Other labs' files as published: the text fixes a mapping's ``[read]`` table asks for.

Published trial files are often not the tidy CSV our reader expects: no header row
(the column names are in a paper or a README), columns separated by runs of spaces
with a trailing space (fixed-width output of old MATLAB or E-Prime scripts), Windows
and Unix line endings mixed in one file (files concatenated on different machines).
:func:`normalise_text` turns such text into plain CSV text with a header line, so
that the one reader (:func:`attentionlab.analysis.reading.split_csv`) handles every
file the same way, with the same line numbers in its problem messages.

Hand-written because pandas' ``sep=r"\\s+"`` would need a second reader beside ours
(losing the per-line problem reports and the fast grouped parse) and csv has no
"runs of whitespace" dialect.

>>> normalise_text("1  a  0.5 \\r\\n2  b  0.7\\n", whitespace=True,
...                names=["id", "cond", "rt"])
'id\\tcond\\trt\\n1\\ta\\t0.5\\n2\\tb\\t0.7\\n'
"""

import re

WHITESPACE = "whitespace"  # the [read] sep value for runs of spaces and tabs
WHITESPACE_SEP = "\t"  # what runs of whitespace become (then read as tab-separated)

_LINE_EDGES = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)
_RUNS = re.compile(r"[ \t]+")
# A quoted field (kept whole, spaces inside and all) or a run of whitespace.
_QUOTED_OR_RUN = re.compile(r'("(?:[^"]|"")*")|[ \t]+')


def normalise_text(text: str, *, whitespace: bool = False, names=None, sep: str = ",") -> str:
    """Plain CSV text from a published file's text.

    - Line endings: ``\\r\\n`` and lone ``\\r`` become ``\\n`` (mixed endings
      in one file are common after files from several computers were joined).
    - ``whitespace``: runs of spaces and tabs separate columns; spaces at the
      start and end of a line are ignored; a double-quoted field keeps its
      spaces. The result is tab-separated (:data:`WHITESPACE_SEP`).
    - ``names``: the file has no header row; this header (their column names,
      as listed in the mapping) is put in front, joined with ``sep`` (the
      file's separator; a tab when ``whitespace``).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if whitespace:
        text = _LINE_EDGES.sub("", text)
        if '"' in text:
            text = _QUOTED_OR_RUN.sub(lambda m: m.group(1) or WHITESPACE_SEP, text)
        else:
            text = _RUNS.sub(WHITESPACE_SEP, text)
    if names:
        text = (WHITESPACE_SEP if whitespace else sep).join(names) + "\n" + text
    return text
