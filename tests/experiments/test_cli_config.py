"""Config files (``--config FILE.toml``): a misspelling is an error, never
silently ignored (issue 13, item 2).

What a file may hold: top-level ``NAME = VALUE`` lines for the task being
run, or one ``[TASK]`` table per task (only that task's table is used; the
others are checked too). Never both.
"""

import pytest
from cli_runner import run_cli

from attentionlab.core.errors import UsageError
from attentionlab.experiments import cli
from attentionlab.experiments.tasks import resolve_params


def _config(tmp_path, text):
    path = tmp_path / "lab.toml"
    path.write_text(text)
    return path


def _main(argv, capsys, monkeypatch):
    """The command line in this process (a subprocess costs seconds of imports)."""
    monkeypatch.delenv("DISPLAY", raising=False)
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("text, message", [
    # A misspelt table: before, the session ran with every default.
    ("[stropp]\ndeadline_ms = 1500\n",
     "unknown table [stropp] (did you mean 'stroop'?); tables allowed: [stroop], [search], "
     "[conjunctions], [flicker], [inattention], [dichotic]"),
    # Top-level keys beside a table: before, the top-level keys were dropped.
    ("deadline_ms = 1500\n[stroop]\niti_ms = 500\n",
     "has top-level parameters (deadline_ms) beside task tables ([stroop])"),
    # A misspelt name, top level and in this task's table.
    ("deadlin_ms = 1500\n",
     "stroop parameters: unknown parameter 'deadlin_ms' (did you mean 'deadline_ms'?); "
     "allowed: trials,"),
    ("[stroop]\ndeadlin_ms = 1500\n", "unknown parameter 'deadlin_ms' (did you mean"),
    # A misspelt name in another task's table is found now, not on the day it runs.
    ("[stroop]\ndeadline_ms = 1500\n[search]\nset_size = [4, 8]\n",
     "search parameters: unknown parameter 'set_size' (did you mean 'set_sizes'?)"),
    # ... and so is a bad value there.
    ("[search]\nset_sizes = [0]\n", "search parameters: parameter 'set_sizes'"),
    # A grouping table inside a task's table is not a parameter.
    ("[stroop.timing]\ndeadline_ms = 1500\n", "unknown parameter 'timing'"),
    # The simulated participant's settings need --autopilot.
    ("interference_ms = 80\n", "unknown parameter 'interference_ms'"),
])
def test_config_mistakes_exit_2_with_one_line_and_create_nothing(tmp_path, text, message,
                                                                 capsys, monkeypatch):
    config = _config(tmp_path, text)
    data_dir = tmp_path / "data"
    for command in (["run", "stroop", "--participant", "P1", "--data-dir", str(data_dir)],
                    ["params", "stroop"]):
        status, out, err = _main([*command, "--config", str(config)], capsys, monkeypatch)
        assert status == 2, out
        assert message in err
        assert err.startswith(f"attentionlab: error: config file {str(config)!r}")
        assert len(err.strip().splitlines()) == 1
        assert out == ""  # no plan printed: the session was never planned
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab.toml"]


def test_a_misspelt_table_through_the_installed_command(tmp_path):
    config = _config(tmp_path, "[stropp]\ndeadline_ms = 1500\n")
    result = run_cli(["run", "stroop", "--participant", "P1", "--data-dir",
                      str(tmp_path / "data"), "--config", str(config)], display=":999")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "(did you mean 'stroop'?)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab.toml"]


def test_top_level_values_are_the_running_tasks(tmp_path):
    config = _config(tmp_path, "deadline_ms = 1500\niti_ms = 400\n")
    params, _ = resolve_params("stroop", config=str(config))
    assert (params.deadline_ms, params.iti_ms) == (1500, 400)
    # The same file for another task: deadline_ms exists there, iti_ms too.
    params, _ = resolve_params("search", config=str(config))
    assert (params.deadline_ms, params.iti_ms) == (1500, 400)
    # A name the other task lacks is refused for it (here: stroop's 'neutral').
    config.write_text('neutral = "xxxx"\n')
    with pytest.raises(UsageError, match="search parameters: unknown parameter 'neutral'"):
        resolve_params("search", config=str(config))


def test_only_the_running_tasks_table_applies(tmp_path):
    config = _config(tmp_path, "[stroop]\ndeadline_ms = 1500\n[search]\ndeadline_ms = 3000\n")
    assert resolve_params("stroop", config=str(config))[0].deadline_ms == 1500
    assert resolve_params("search", config=str(config))[0].deadline_ms == 3000
    # --set and --trials still win over the file.
    params, _ = resolve_params("stroop", config=str(config), sets=["deadline_ms=1800"],
                               trials=36)
    assert (params.deadline_ms, params.trials) == (1800, 36)


def test_a_file_without_this_tasks_table_keeps_the_defaults_and_says_so(tmp_path, capsys,
                                                                        monkeypatch):
    config = _config(tmp_path, "[search]\nset_sizes = [4, 8]\n")
    status, out, err = _main(["params", "stroop", "--config", str(config)], capsys,
                             monkeypatch)
    assert status == 0, err
    assert f"Note: config file {str(config)!r} has no [stroop] table; stroop keeps its " \
           f"defaults" in out
    assert "deadline_ms            = 2000 ms" in out


def test_autopilot_population_values_in_a_config_file(tmp_path):
    config = _config(tmp_path, "[stroop]\ninterference_ms = 120\ndeadline_ms = 1500\n"
                               "[search]\nconjunction_slope_ms = 30\n")
    params, population = resolve_params("stroop", config=str(config), autopilot=True)
    assert population.interference_ms == 120 and params.deadline_ms == 1500
    # Without --autopilot the running task's population names are refused ...
    with pytest.raises(UsageError, match="unknown parameter 'interference_ms'"):
        resolve_params("stroop", config=str(config))
    # ... while another task's table may hold them (that task may run with --autopilot),
    # but only names of that task's simulated participant.
    config.write_text("[stroop]\ndeadline_ms = 1500\n[search]\nconjunction_slope_ms = 30\n")
    assert resolve_params("stroop", config=str(config))[0].deadline_ms == 1500
    config.write_text("[stroop]\ndeadline_ms = 1500\n[search]\ninterference_ms = 30\n")
    with pytest.raises(UsageError, match="search parameters: unknown parameter 'interf"):
        resolve_params("stroop", config=str(config))


def test_run_help_says_what_a_config_file_may_hold(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "either top-level NAME = VALUE lines for the task being run, or one [TASK] " \
           "table per task" in text
    assert "Never both; an unknown table or name is an error" in text
