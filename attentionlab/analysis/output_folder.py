"""All-or-nothing output folders: a result appears whole or not at all.

The outputs are written into a hidden temporary folder next to the output
folder (``.DIR.partial-XXXX``, same file system) and moved into place only
when every file is written, so that a failure part-way (a figure that cannot
be drawn, a full disk, Ctrl-C) leaves the output folder as it was and no
temporary folder behind.

Moving into place:

* the output folder does not exist, or is empty: the temporary folder is
  renamed to it (one rename);
* it holds other files (``--force``): the files with the names written now
  are replaced, every other file is left alone (we cannot tell an older
  output of ours from a user's file, so nothing else is deleted: a figure of
  an earlier, different analysis stays). The files replaced are first moved
  aside into a hidden folder, the new ones moved in, and the old ones
  deleted only then; if a move fails, everything is moved back.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "results"
>>> with staged(out) as folder:
...     _ = (folder / "group.csv").write_text("test\\n")
>>> sorted(p.name for p in out.iterdir())
['group.csv']
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from attentionlab.core.errors import UsageError


@contextmanager
def staged(out):
    """Yield a new temporary folder to write into; on a normal exit its files
    are moved into ``out`` (see the module docstring); on an exception
    nothing in ``out`` changes, the temporary folder and any parent folder
    made for it are removed, and the exception goes on."""
    out = Path(out)
    created = [p for p in (out.parent, *out.parent.parents) if not p.exists()]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        # mkdtemp makes it private (0700); it becomes the output folder, which
        # gets the permissions any new folder would (umask), as before.
        staging.chmod(0o777 & ~_umask())
    except OSError as exc:
        _remove_empty(created)
        raise UsageError(f"cannot write the outputs next to --out {str(out)!r}: "
                         f"{exc.strerror or exc}") from None
    try:
        yield staging
        _move_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(created)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_empty(folders):
    """Remove those of ``folders`` (give the deepest first) that are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            continue


def _move_into_place(staging: Path, out: Path) -> None:
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        staging.rename(out)
        return
    new = _files(staging)
    ours = [n for n in new if (out / n).is_file()]
    aside = Path(tempfile.mkdtemp(prefix=".attentionlab-replaced-", dir=out))
    moved, placed, made = [], [], []
    try:
        for name in ours:
            (aside / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / name, aside / name)
            moved.append(name)
        for name in new:
            made += [p for p in reversed((out / name).parents) if not p.exists()]
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out / name)
            placed.append(name)
    except BaseException:
        for name in placed:
            os.replace(out / name, staging / name)
        _remove_empty(reversed(made))
        for name in moved:
            os.replace(aside / name, out / name)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside)
    shutil.rmtree(staging)


def _files(folder: Path) -> list:
    """Every file under ``folder``, as a relative POSIX path."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
