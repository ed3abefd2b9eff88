"""Voice-key figures for a vocal session: check the threshold by eye.

For the first trials of a session recorded with spoken responses (Stroop
``response=voice``), draw each trial's recording envelope with the noise
floor, the threshold, the voice onset found and the stimulus onset, as the
session scored it (same threshold, from the sidecar's parameters, unless
``--threshold-db`` tries another). The PNGs go to a folder of their own,
never into the raw data folder::

    attentionlab voicekey data/sub-P1/sub-P1_ses-1_task-stroop_run-1_beh.csv \\
        --out voicekey_P1 --trials 5

A good threshold puts the onset line where the word visibly starts, above
breath and click noise; if it fires late on soft words, lower it; if it fires
on noise, raise it (``--set voice_threshold_db=...`` for the next session).
"""

import json
from pathlib import Path

import pandas as pd

from attentionlab.speech.vocal_response import score_recording
from attentionlab.core.errors import UsageError

DEFAULT_TRIALS = 5


def trial_figures(csv_path, out_dir, n_trials: int = DEFAULT_TRIALS,
                  threshold_db: float | None = None) -> list[Path]:
    """Write ``trial-<trial_index>_voicekey.png`` for the first ``n_trials``
    recorded trials of ``csv_path`` into ``out_dir`` (created; existing
    figures are not overwritten). Returns the paths written."""
    import soundfile

    from attentionlab.core.figures import png_bytes

    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise UsageError(f"no such data file: {csv_path}")
    data = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    if "recording_file" not in data or not (data["recording_file"] != "").any():
        raise UsageError(f"{csv_path.name} has no recordings (recording_file column empty "
                         f"or missing): not a session with spoken responses")
    sidecar = csv_path.with_suffix(".json")
    params = json.loads(sidecar.read_text()).get("params", {}) if sidecar.is_file() else {}
    threshold = threshold_db if threshold_db is not None else float(
        params.get("voice_threshold_db", 15.0))
    out_dir = Path(out_dir)
    if out_dir.resolve() == csv_path.parent.resolve():
        raise UsageError("--out must be another folder than the raw data's")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    rows = data[(data["recording_file"] != "") & (data["recording_offset_ms"] != "")]
    for row in rows.head(n_trials).itertuples():
        samples, rate = soundfile.read(csv_path.parent / row.recording_file, dtype="float32")
        stimulus_ms = float(row.recording_offset_ms)
        result = score_recording(samples, rate, stimulus_ms=stimulus_ms, vocabulary=(),
                                 threshold_db=threshold)  # the voice key only
        fig = _figure(result, stimulus_ms, row, threshold)
        path = out_dir / f"trial-{row.trial_index}_voicekey.png"
        with open(path, "xb") as fh:
            fh.write(png_bytes(fig))  # 300 dpi, as every figure we write
        written.append(path)
    return written


def _figure(result, stimulus_ms, row, threshold):
    from attentionlab.core.figures import FONT_PT
    from attentionlab.speech.voicekey import onset_figure

    rt = "none" if result.rt_ms is None else f"{result.rt_ms:.0f} ms"
    said = getattr(row, "response", "") or "nothing recognised"
    fig = onset_figure(result.voice_key, title=(
        f"trial {row.trial_index}: {getattr(row, 'word', '')} in {getattr(row, 'ink', '')} "
        f"ink, said: {said}\nvoice onset {rt} after the stimulus (threshold "
        f"{threshold:g} dB above the noise floor)"))
    ax = fig.axes[0]
    ax.axvline(stimulus_ms / 1000, color="#e7298a", ls="-.", lw=1, label="stimulus onset")
    ax.legend(fontsize=FONT_PT, loc="best")  # speech can be anywhere in the recording
    return fig


def register(subparsers) -> None:
    """``attentionlab voicekey CSV --out DIR``."""
    cmd = subparsers.add_parser(
        "voicekey", help="voice-key figures of a session with spoken responses",
        description="Voice-key figures (envelope, noise floor, threshold, onset) for the "
                    "first trials of a session with spoken responses.")
    cmd.add_argument("csv", help="the session's data file (..._beh.csv)")
    cmd.add_argument("--out", required=True, help="folder for the PNG figures")
    cmd.add_argument("--trials", type=int, default=DEFAULT_TRIALS,
                     help=f"how many trials (default {DEFAULT_TRIALS})")
    cmd.add_argument("--threshold-db", type=float,
                     help="try another threshold (default: the session's)")
    cmd.set_defaults(func=_run)


def _run(args) -> int:
    from attentionlab.core.extras import require_speech

    require_speech("the voicekey figures")
    try:
        paths = trial_figures(args.csv, args.out, args.trials, args.threshold_db)
    except FileExistsError as exc:
        raise UsageError(f"{exc.filename} exists; figures are never overwritten: choose "
                         f"another --out") from None
    for p in paths:
        print(p)
    return 0
