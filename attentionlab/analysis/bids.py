"""Export our session files as BIDS behavioural data.

For each session file ``sub-P_ses-S_task-T_run-N_beh.csv`` this writes
``OUT/sub-P/ses-S/beh/sub-P_ses-S_task-T_run-N_beh.tsv`` (tab-separated,
``n/a`` for missing values, times in seconds as BIDS expects: ``rt_ms``
becomes ``response_time`` and ``onset_s`` becomes ``onset``) and a
``_beh.json`` sidecar describing every column (from the column declarations
in ``core/columns.py`` and the task's stimuli module), plus
``dataset_description.json`` and ``participants.tsv`` at the top; when the
data folder holds participant details (``participants.tsv`` and
``participants.json``, core/participant_details.py), their columns are
merged in for the participants exported, and the column dictionary is copied.
The participant and session columns are left out of the TSV: they are in
the file name. Bad files are reported as problems and skipped.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

import attentionlab
from attentionlab.analysis.problems import FILE, LINE, Problem
from attentionlab.analysis.reading import find_files, read_sessions
from attentionlab.core.columns import COMMON_COLUMNS
from attentionlab.core.errors import UsageError
from attentionlab.core.labels import check_label
from attentionlab.core.participant_details import (ID_COLUMN, ID_DESCRIPTION, JSON_NAME,
                                                   MISSING, TSV_NAME, read_dictionary,
                                                   read_participants)
from attentionlab.stimuli.registry import TASKS

BIDS_VERSION = "1.10.0"
RENAMED = {"rt_ms": ("response_time", 1e-3,
                     "response time from the stimulus-onset flip; n/a when no response"),
           "onset_s": ("onset", 1.0, "time of the stimulus-onset flip since the session "
                                     "clock started")}
IN_FILE_NAME = ("participant", "session")
LEVELS = {"phase": {"practice": "practice trial with feedback", "test": "test trial"},
          "congruency": {"congruent": "the word names its ink colour",
                         "incongruent": "the word names another colour",
                         "neutral": "a non-colour word or a row of X's"},
          "correct": {"1": "correct", "0": "wrong key or no response"},
          "simulated": {"1": "response by the autopilot or the simulator",
                        "0": "response by a person"}}


def export_bids(data_dir, out_dir, force: bool = False):
    """Write the BIDS data set; return ``(n_files_written, problems)``.

    :class:`UsageError` when ``out_dir`` is not empty (without ``force``) or
    lies inside ``data_dir``, or when nothing could be exported.
    """
    from attentionlab.analysis.output_folder import staged
    from attentionlab.analysis.pipeline import check_output_folder

    out = check_output_folder(out_dir, [data_dir], force)
    files = find_files([data_dir])
    if not files:
        raise UsageError(f"no .csv files found in {str(data_dir)!r}: give the folder that "
                         f"holds the session files; nothing exported")
    data = read_sessions(files)
    problems = list(data.problems)
    # All or nothing: written into a temporary folder, moved into OUT_DIR at the
    # end; nothing is left behind when nothing could be exported.
    with staged(out) as folder:
        written = _write_sessions(data, folder, problems, data_dir)
        if not written:
            error = UsageError(f"nothing could be exported from {str(data_dir)!r}: no "
                               f"readable attentionlab session file among {len(files)} "
                               f".csv file(s)" + (f"; {len(problems)} problem(s) listed "
                                                 f"above" if problems else ""))
            error.problems = problems
            raise error
    return written, problems


def _write_sessions(data, out, problems, data_dir=None) -> int:
    """Write each session file's TSV and JSON into ``out``, then the data set
    files; return the number of sessions written."""
    written, participants = 0, set()
    for file_id, rows in data.trials.groupby(FILE, sort=True):
        name = data.files[file_id]
        target = _target(rows, name, problems)
        if target is None:
            continue
        participant, session, task, run = target
        folder = out / f"sub-{participant}" / f"ses-{session}" / "beh"
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"sub-{participant}_ses-{session}_task-{task}_run-{run}_beh"
        table, columns = _table(rows, task)
        table.to_csv(folder / f"{stem}.tsv", sep="\t", index=False, na_rep="n/a",
                     float_format="%.10g", lineterminator="\n")
        sidecar = {"TaskName": task, **columns}
        original = Path(name).with_suffix(".json")
        if original.exists():
            try:
                sidecar["attentionlab_session"] = json.loads(original.read_text("utf-8"))
            except (OSError, ValueError):
                pass  # read_sessions already reported it
        (folder / f"{stem}.json").write_text(json.dumps(sidecar, indent=2,
                                                        ensure_ascii=False) + "\n", "utf-8")
        participants.add(participant)
        written += 1
    if written:
        _dataset_files(out, sorted(participants))
        if data_dir is not None and (Path(data_dir) / TSV_NAME).exists():
            _participant_details(out, sorted(participants), Path(data_dir), problems)
    return written


def _target(rows, name, problems):
    """(participant, session, task, run) of one file's rows, or None (reported)."""
    labels = {}
    for column in ("participant", "session", "task"):
        values = rows[column].unique()
        if len(values) != 1:
            problems.append(Problem(name, None, f"{column} is not the same on every row; "
                                                f"not exported"))
            return None
        labels[column] = str(values[0])
    try:
        check_label(labels["participant"], "participant")
        check_label(labels["session"], "session")
    except UsageError as exc:
        problems.append(Problem(name, None, f"{exc}; not exported"))
        return None
    if labels["task"] not in TASKS:
        problems.append(Problem(name, None, f"unknown task {labels['task']!r}; not exported"))
        return None
    run = pd.to_numeric(rows["run"], errors="coerce").dropna().unique() if "run" in rows \
        else np.array([1])
    run = int(run[0]) if len(run) == 1 else 1
    return labels["participant"], labels["session"], labels["task"], run


def _table(rows, task):
    """The TSV frame and the column descriptions for its sidecar."""
    declared = {c.name: c for c in COMMON_COLUMNS + TASKS[task].COLUMNS}
    frame = rows.drop(columns=[FILE, LINE, *IN_FILE_NAME])
    out, described = {}, {}
    for column in frame.columns:
        values = frame[column]
        spec = declared.get(column)
        if column in RENAMED:
            new, factor, doc = RENAMED[column]
            out[new] = pd.to_numeric(values, errors="coerce") * factor
            described[new] = {"Description": doc, "Units": "s"}
            continue
        if spec is not None and spec.kind in ("int", "bool01"):
            values = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif values.dtype != float:
            values = values.astype(str).replace("", pd.NA)
        out[column] = values
        entry = {"Description": spec.doc if spec else "column not declared by attentionlab"}
        if column in LEVELS:
            entry["Levels"] = LEVELS[column]
        described[column] = entry
    return pd.DataFrame(out), described


def _dataset_files(out, participants):
    description = {
        "Name": "attentionlab behavioural data",
        "BIDSVersion": BIDS_VERSION,
        "DatasetType": "raw",
        "GeneratedBy": [{"Name": "attentionlab", "Version": attentionlab.__version__,
                         "Description": "attentionlab export bids"}],
    }
    (out / "dataset_description.json").write_text(json.dumps(description, indent=2) + "\n",
                                                  "utf-8")
    table = pd.DataFrame({"participant_id": [f"sub-{p}" for p in participants]})
    table.to_csv(out / "participants.tsv", sep="\t", index=False, lineterminator="\n")


def _participant_details(out, participants, data_dir, problems):
    """participants.tsv with the details entered on the form (``n/a`` for an
    exported participant without them), and their participants.json. Details
    of someone with no exported session are left out (BIDS lists only the
    subjects in the data set) and reported; cells are copied as written."""
    source = data_dir / TSV_NAME
    try:
        header, rows = read_participants(data_dir)
        columns = read_dictionary(data_dir)
    except UsageError as exc:
        problems.append(Problem(str(source), None, f"{exc}; participants.tsv lists the "
                                                   f"participant labels only"))
        return
    if not header:  # an empty table: the participant labels alone, as written above
        return
    found = {}
    for line, row in enumerate(rows, start=2):
        if row[0] in found:
            problems.append(Problem(str(source), line, f"{row[0]} has a second row; the "
                                                       f"first one is exported"))
        elif row[0] not in {f"sub-{p}" for p in participants}:
            problems.append(Problem(str(source), line, f"details of {row[0]} not exported: "
                                                       f"no session file of theirs was"))
        else:
            found[row[0]] = row[:len(header)] + [MISSING] * (len(header) - len(row))
    lines = ["\t".join(header)]
    for participant in participants:
        key = f"sub-{participant}"
        lines.append("\t".join(found.get(key, [key] + [MISSING] * (len(header) - 1))))
    (out / TSV_NAME).write_text("\n".join(lines) + "\n", "utf-8")
    columns = {ID_COLUMN: columns.get(ID_COLUMN, {"Description": ID_DESCRIPTION}),
               **{k: v for k, v in columns.items() if k in header and k != ID_COLUMN}}
    (out / JSON_NAME).write_text(json.dumps(columns, indent=2, ensure_ascii=False) + "\n",
                                 "utf-8")
