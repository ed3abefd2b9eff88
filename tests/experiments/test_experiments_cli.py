"""Command-line contract: exit 2 and one line for mistakes, nothing on disk."""

import pytest
from cli_runner import run_cli


@pytest.mark.parametrize("args, message", [
    (["--participant", "../x"], "participant label '../x' is not allowed"),
    (["--participant", "a b"], "letters and digits"),
    (["--participant", "=1+1"], "letters and digits"),
    (["--participant", ""], "an empty label"),
    (["--participant", "P1", "--session", "1/2"], "session label"),
    (["--participant", "P1", "--set", "nope=1"], "unknown parameter 'nope'"),
    (["--participant", "P1", "--set", "deadline_ms=-5"], "must be >= 100"),
    (["--participant", "P1", "--lang", "it"], "allowed: en, de, fr, es, nl"),
    (["--participant", "P1", "--trials", "0"], "must be >= 1"),
    (["--participant", "P1", "--seed", "-1"], "--seed must be between"),
    (["--participant", "P1", "--config", "missing.toml"], "does not exist"),
])
def test_invalid_run_arguments_exit_2_with_one_line_and_create_nothing(tmp_path, args, message):
    data_dir = tmp_path / "data"
    result = run_cli(["run", "stroop", "--data-dir", str(data_dir), *args], display=":999",
                     cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not data_dir.exists()


def test_unknown_task_and_missing_participant(tmp_path):
    result = run_cli(["run", "strop", "--participant", "P1"], cwd=tmp_path)
    assert result.returncode == 2 and ("unknown task 'strop' (did you mean 'stroop'?); "
                                       "available: stroop" in result.stderr)
    result = run_cli(["run", "stroop"], cwd=tmp_path)
    assert result.returncode == 2 and "--participant" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unwritable_data_folder_is_refused_before_the_window_opens(tmp_path, x_display):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    capture = tmp_path / "screens"
    # A working display: had the window been opened, the capture folder would exist.
    # (An unreachable display is refused even earlier: test_cli_edges.py.)
    result = run_cli(["run", "stroop", "--participant", "P1", "--data-dir",
                      str(blocker / "data")], display=x_display, timeout=120,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(capture)})
    assert result.returncode == 2 and "which is a file, not a folder" in result.stderr
    assert not capture.exists()


def test_no_display_is_a_clear_error(tmp_path):
    result = run_cli(["run", "stroop", "--participant", "P1", "--data-dir", str(tmp_path / "d")])
    assert result.returncode == 2 and "no display" in result.stderr
    assert not (tmp_path / "d").exists()


def test_params_lists_every_parameter_with_default_and_meaning(tmp_path):
    from attentionlab.stimuli.stroop import StroopParams
    import dataclasses

    result = run_cli(["params", "stroop"])
    assert result.returncode == 0
    for f in dataclasses.fields(StroopParams):
        assert f"  {f.name} " in result.stdout
    assert "deadline_ms            = 2000 ms" in result.stdout
    config = tmp_path / "c.toml"
    config.write_text("deadline_ms = 1500\n")
    result = run_cli(["params", "stroop", "--config", str(config), "--set", "lang=de"])
    assert "= 1500 ms" in result.stdout and "lang                   = de" in result.stdout
