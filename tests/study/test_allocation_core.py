"""Balanced assignment (attentionlab/core/allocation.py): groups by completed
sessions, the same answer for the same participant, dropouts refilled, and
no lost or duplicated allocation when two processes allocate at once."""

import json
import multiprocessing

import pytest

from attentionlab.core import allocation
from attentionlab.core.allocation import allocate, mark_completed, read_allocation
from attentionlab.core.errors import UsageError


def test_new_participants_fill_groups_in_turn(tmp_path):
    assert [allocate(tmp_path, "t.keys", 3, f"P{i}") for i in range(7)] == [0, 1, 2, 0, 1, 2, 0]


def test_same_participant_same_group(tmp_path):
    first = allocate(tmp_path, "t.keys", 4, "P1")
    allocate(tmp_path, "t.keys", 4, "P2")
    assert allocate(tmp_path, "t.keys", 4, "P1") == first
    state = read_allocation(tmp_path, "t.keys")
    assert list(state["participants"]) == ["P1", "P2"]


def test_dropout_is_refilled_by_the_next_new_participant(tmp_path):
    # P0..P3 allocated to groups 0..3; P1 (group 1) never completes.
    for i in range(4):
        assert allocate(tmp_path, "t.keys", 4, f"P{i}") == i
    for i in (0, 2, 3):
        mark_completed(tmp_path, "t.keys", f"P{i}")
    # The label rule would give P4 group 0; the allocation gives the group
    # that lacks a completed session.
    assert allocate(tmp_path, "t.keys", 4, "P4") == 1
    mark_completed(tmp_path, "t.keys", "P4")
    assert allocate(tmp_path, "t.keys", 4, "P5") == 0


def test_completed_counts_before_allocated(tmp_path):
    allocate(tmp_path, "t", 2, "A")   # group 0, completes
    allocate(tmp_path, "t", 2, "B")   # group 1, drops out
    allocate(tmp_path, "t", 2, "C")   # group 0 (tie 0/0 completed; 1 vs 1 allocated -> lowest)
    mark_completed(tmp_path, "t", "A")
    # group 0: 1 completed, 2 allocated; group 1: 0 completed, 1 allocated
    assert allocate(tmp_path, "t", 2, "D") == 1


def test_mark_completed_twice_keeps_the_first_time(tmp_path):
    allocate(tmp_path, "t", 2, "A")
    mark_completed(tmp_path, "t", "A")
    first = read_allocation(tmp_path, "t")["participants"]["A"]["completed"]
    mark_completed(tmp_path, "t", "A")
    assert read_allocation(tmp_path, "t")["participants"]["A"]["completed"] == first


def test_file_format(tmp_path):
    allocate(tmp_path, "study.lab.order", 6, "P01")
    path = tmp_path / "allocation" / "study.lab.order.json"
    state = json.loads(path.read_text())
    assert state["format"] == 1 and state["scheme"] == "study.lab.order"
    assert state["n_groups"] == 6
    entry = state["participants"]["P01"]
    assert entry["group"] == 0 and entry["completed"] is None and entry["allocated"]
    assert not list(path.parent.glob("*.tmp")), "no temporary file left behind"


def test_mistakes_are_one_line_errors(tmp_path):
    allocate(tmp_path, "t", 2, "A")
    with pytest.raises(UsageError, match="has 2 groups"):
        allocate(tmp_path, "t", 3, "B")
    with pytest.raises(UsageError, match="no group"):
        mark_completed(tmp_path, "t", "nobody")
    with pytest.raises(UsageError, match="letters, digits"):
        allocate(tmp_path, "../escape", 2, "A")
    assert not (tmp_path.parent / "escape.json").exists()
    (tmp_path / "allocation" / "bad.json").write_text("{not json")
    with pytest.raises(UsageError, match="not a valid allocation file"):
        allocate(tmp_path, "bad", 2, "A")


def test_least_completed_ties_go_to_the_lowest_group():
    state = {"participants": {"A": {"group": 2, "completed": "t"}}}
    assert allocation.least_completed(state, 3) == 0


# -- two processes at once ------------------------------------------------

N_EACH = 40
N_GROUPS = 4


def _allocate_many(data_dir, prefix, barrier, out, complete):
    barrier.wait()  # both processes start allocating at the same moment
    got = {}
    for i in range(N_EACH):
        label = f"{prefix}{i}"
        got[label] = allocate(data_dir, "race.keys", N_GROUPS, label)
        if complete and i % 3 == 0:
            mark_completed(data_dir, "race.keys", label)
    out.put(got)


def _race(data_dir, complete):
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_allocate_many,
                         args=(str(data_dir), p, barrier, out, complete))
             for p in ("A", "B")]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        results.update(out.get(timeout=120))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


def test_two_processes_racing_stay_balanced(tmp_path):
    results = _race(tmp_path, complete=False)
    assert len(results) == 2 * N_EACH
    # Serialised, every group got exactly its share (a lost or doubled
    # update would unbalance the counts).
    counts = [sum(1 for g in results.values() if g == k) for k in range(N_GROUPS)]
    assert counts == [2 * N_EACH // N_GROUPS] * N_GROUPS


def test_two_processes_racing_lose_nothing(tmp_path):
    results = _race(tmp_path, complete=True)
    state = read_allocation(tmp_path, "race.keys")["participants"]
    # No lost update: every allocation either process made is in the file,
    # with the group that process was told; nobody twice.
    assert len(results) == 2 * N_EACH
    assert {k: v["group"] for k, v in state.items()} == results
    completed = {k for k, v in state.items() if v["completed"]}
    assert completed == {f"{p}{i}" for p in "AB" for i in range(0, N_EACH, 3)}


def test_the_race_test_can_fail_without_the_lock(tmp_path, monkeypatch):
    """Without the lock the same race loses updates: the test above would
    see it (checked here so the race test is known to be able to fail)."""
    import contextlib

    monkeypatch.setattr(allocation, "_locked", lambda path: _unlocked(path))

    @contextlib.contextmanager
    def _unlocked(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        yield

    ctx = multiprocessing.get_context("fork")
    lost = False
    for _ in range(10):
        d = tmp_path / f"try{_}"
        barrier, out = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_allocate_many_quiet, args=(str(d), p, barrier, out))
                 for p in ("A", "B")]
        for p in procs:
            p.start()
        results = {}
        for _p in procs:
            results.update(out.get(timeout=120))
        for p in procs:
            p.join(timeout=60)
        state = read_allocation(d, "race.keys")["participants"]
        if len(state) < len(results) or {k: v["group"] for k, v in state.items()} != results:
            lost = True
            break
    assert lost, "an unlocked race should lose at least one update in ten tries"


def _allocate_many_quiet(data_dir, prefix, barrier, out):
    barrier.wait()
    got = {}
    for i in range(N_EACH):
        label = f"{prefix}{i}"
        try:
            got[label] = allocate(data_dir, "race.keys", N_GROUPS, label)
        except UsageError:  # a half-replaced read is possible only without the lock
            pass
    out.put(got)


def test_threads_of_one_process_do_not_collide(tmp_path):
    """POSIX locks do not exclude threads of one process; the module's own
    thread lock does."""
    import threading

    results, barrier = {}, threading.Barrier(4)

    def work(prefix):
        barrier.wait()
        for i in range(10):
            results[f"{prefix}{i}"] = allocate(tmp_path, "threads", N_GROUPS, f"{prefix}{i}")

    threads = [threading.Thread(target=work, args=(p,)) for p in "ABCD"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    state = read_allocation(tmp_path, "threads")["participants"]
    assert {k: v["group"] for k, v in state.items()} == results and len(results) == 40
    assert sorted(results.values()) == sorted(list(range(N_GROUPS)) * 10)
