"""Progress of a long command on stderr (tqdm).

On a terminal a bar is redrawn in place and erased at the end; when stderr
is not a terminal (a log file, a pipe, CI) nothing is drawn at all
(tqdm's ``disable=None``), so a log keeps only the command's own one-line
summary instead of dozens of ``\\r``-joined updates.

The object is the ``progress(done, total, ...)`` callback the long loops
take (simulated sessions, power cells, synthesised recordings):

>>> with Progress("simulated sessions", unit="session") as progress:
...     for i in range(1, 4):
...         progress(i, 3)
>>> progress.done
3
"""

import sys


class Progress:
    """A tqdm bar on stderr, moved by ``progress(done, total=None, *extra)``:
    ``done`` steps of ``total`` finished (``extra`` arguments, such as the
    elapsed time the power loop passes, are ignored: tqdm times itself)."""

    def __init__(self, description: str, unit: str = "it", total: int | None = None):
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr,
                        disable=None, leave=False, dynamic_ncols=True)
        self.done = 0

    def __call__(self, done: int, total: int | None = None, *extra) -> None:
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        self.bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
