"""The data files and analysis outputs of ``simulate`` + ``analyze`` for every
task at fixed seeds, recorded so that a restructuring can prove it changed
nothing (issue: one task contract).

``record(workdir)`` runs the two commands as a user would and returns
``{relative path: normalised text}``. Normalised: the sidecar's software
versions are dropped and the output folder in printed summaries becomes
``<OUT>``. Figures and the HTML report are left out (they embed library
versions); their numbers come from participants.csv and group.csv, which are in.

Recording again after an intended change (a bug fix; name it in the commit),
or to add a new task (every task in attentionlab.tasks.TASKS is recorded)::

    PYTHONPATH=tests .venv/bin/python tests/behaviour/recorded_outputs.py --write
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

from cli_runner import run_cli

from attentionlab.tasks import TASKS

RECORDED = Path(__file__).with_name("recorded_outputs.json.gz")
PARTICIPANTS, SEED = 3, 11


def _normalise(path: Path, root: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        sidecar = json.loads(text)
        sidecar.pop("software", None)
        return json.dumps(sidecar, indent=1, sort_keys=True)
    return text.replace(str(root), "<OUT>")


def record(workdir, tasks=TASKS) -> dict:
    """Simulate and analyse every task in ``workdir``; the outputs by path."""
    root = Path(workdir)
    out = {}
    for task in tasks:
        data, results = root / task / "data", root / task / "results"
        done = run_cli(["simulate", task, "--participants", str(PARTICIPANTS),
                        "--seed", str(SEED), "--out", str(data)])
        assert done.returncode == 0, done.stderr
        done = run_cli(["analyze", str(data), "--out", str(results)])
        assert done.returncode == 0, done.stderr
        out[f"{task}/summary.txt"] = done.stdout.replace(str(root), "<OUT>")
        for path in sorted(data.rglob("*")) + sorted(results.glob("*.csv")):
            if path.suffix in (".csv", ".json"):
                out[str(path.relative_to(root))] = _normalise(path, root)
    return out


def load() -> dict:
    with gzip.open(RECORDED, "rt", encoding="utf-8") as f:
        return json.load(f)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the recording")
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        outputs = record(args.workdir or tmp)
    if args.write:
        with gzip.open(RECORDED, "wt", encoding="utf-8") as f:
            json.dump(outputs, f, indent=0, sort_keys=True)
        print(f"recorded {len(outputs)} files in {RECORDED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
