"""experiments.tasks.assignment: the label rule, a peek that writes nothing,
and an allocation recorded for the sidecar."""

from attentionlab.core.allocation import read_allocation
from attentionlab.experiments import tasks
from attentionlab.stimuli.search import SearchParams


def test_label_rule_is_the_fallback(tmp_path):
    got = tasks.assignment("search", SearchParams(), "P3", tmp_path)
    assert got == {"group": 3, "n_groups": 12, "method": "label rule", "scheme": None}
    assert not any(tmp_path.iterdir())


def test_peek_writes_nothing_and_allocation_writes_once(tmp_path):
    data = tmp_path / "data"
    peeked = tasks.assignment("search", SearchParams(), "P3", data, allocate=True, write=False)
    assert peeked == {"group": 0, "n_groups": 12, "method": "allocation",
                      "scheme": "search.counterbalance"}
    assert not data.exists()
    taken = tasks.assignment("search", SearchParams(), "P3", data, allocate=True)
    assert taken == peeked
    assert read_allocation(data, "search.counterbalance")["participants"]["P3"]["group"] == 0
    other = tasks.assignment("search", SearchParams(), "P4", data, allocate=True)
    assert other["group"] == 1


def test_prepare_records_the_assignment(tmp_path):
    assignment = tasks.assignment("search", SearchParams(), "P3", tmp_path, allocate=True)
    prepared = tasks.prepare("search", SearchParams(), "P3", 2, assignment["group"], assignment)
    assert prepared.sidecar_extra["counterbalance_assignment"] == assignment
    assert prepared.sidecar_extra["counterbalance"]["group"] == 0
    assert prepared.sidecar_extra["counterbalance"]["keys"] == {"present": "f", "absent": "j"}
