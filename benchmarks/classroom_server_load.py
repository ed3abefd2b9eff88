"""How the classroom server copes with a full lecture hall: 100 simulated
students (httpx, asynchronous, on the loopback address only) join, start a demo
and send its trials at a student's pace, while a teacher page polls the counts
and the live report. Prints the server's response time per request kind
(median, p95, max, in ms), the peak memory (VmHWM) of the server process and
its analysis workers, and the CPU time they used.

    .venv/bin/python benchmarks/classroom_server_load.py [--students 100] [--task stroop]
        [--trial-interval-ms 1000] [--set NAME=VALUE ...]

The server is ``attentionlab classroom serve --host 127.0.0.1 --port 0`` on a
fresh temporary folder, in its own process; the students' answers are the
server's own autopilot plan (``"autopilot": true``), sent as a browser would.
At the end it reads the data files back: every acknowledged trial must be one
row on disk (the work was real), and none may have been rejected.

Response times include the client's own share of the two cores (100 students
in one Python process), so they are an upper bound for the server; run it
beside a load (two ``yes > /dev/null`` loops) to see a busy teacher laptop.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web_browser"))

from web_browser_helpers import ClassServer, data_files  # noqa: E402

DEVICE = {"user_agent": "classroom_server_load.py (simulated student)", "screen_w": 1366,
          "screen_h": 768, "dpr": 1, "touch": False, "frame_rate_hz": 60.0, "input": "keys"}


class Timings:
    """Response times (ms) per request kind, and the statuses seen."""

    def __init__(self):
        self.ms = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.errors = []

    async def post(self, client, kind, path, body):
        start = time.perf_counter()
        response = await client.post(path, json=body)
        self.ms[kind].append((time.perf_counter() - start) * 1000)
        self.statuses[kind][response.status_code] += 1
        if response.status_code != 200:
            self.errors.append(f"{kind} {response.status_code}: {response.text[:200]}")
        return response

    async def get(self, client, kind, path, headers):
        start = time.perf_counter()
        response = await client.get(path, headers=headers)
        self.ms[kind].append((time.perf_counter() - start) * 1000)
        self.statuses[kind][response.status_code] += 1
        if response.status_code != 200:
            self.errors.append(f"{kind} {response.status_code}: {response.text[:200]}")
        return response


async def student(client, timings, task, interval_ms, rng, tally):
    """One student: join, start ``task`` with the autopilot, send every trial
    at about ``interval_ms`` apart, finish. Counts acknowledged trials in
    ``tally``."""
    await asyncio.sleep(rng.uniform(0, 3))  # students do not all press Enter at once
    joined = (await timings.post(client, "join", "/api/join", {"student_token": None})).json()
    token = joined["student_token"]
    run = (await timings.post(client, "start", "/api/start",
                              {"student_token": token, "task": task, "device": DEVICE,
                               "autopilot": True})).json()
    plans = {p["index"]: p for p in run["autopilot"]}
    onset_s = 1.0
    for trial in run["trials"]:
        if trial["index"] < run["next_index"]:
            continue
        await asyncio.sleep(rng.uniform(0.5, 1.5) * interval_ms / 1000)
        plan = plans[trial["index"]]
        onset_s += interval_ms / 1000
        body = {"student_token": token, "run_id": run["run_id"], "trial_index": trial["index"],
                "outcome": {"onset_s": round(onset_s, 4), "response": plan["response"],
                            "rt_ms": plan["rt_ms"], "details": plan.get("details") or {}},
                "dropped_frames": 0}
        answer = await timings.post(client, "trial", "/api/trial", body)
        if answer.status_code == 200 and answer.json().get("ok"):
            tally["acknowledged"] += 1
            tally["duplicates"] += bool(answer.json().get("duplicate"))
        else:
            tally["rejected"] += 1
    await timings.post(client, "finish", "/api/finish",
                       {"student_token": token, "run_id": run["run_id"], "aborted": False})
    await timings.post(client, "heartbeat", "/api/heartbeat", {"student_token": token})
    tally["finished"] += 1


async def teacher(client, timings, token, stop):
    """The projector: counts every 2 s and the live report every 5 s."""
    headers = {"X-Teacher-Token": token}
    last_report = 0.0
    while not stop.is_set():
        await timings.get(client, "teacher status", "/api/teacher/status", headers)
        if time.monotonic() - last_report > 5:
            await timings.get(client, "teacher report", "/teacher/report", headers)
            last_report = time.monotonic()
        try:
            await asyncio.wait_for(stop.wait(), 2)
        except asyncio.TimeoutError:
            pass


async def class_in_session(server, args, tally, timings):
    limits = httpx.Limits(max_connections=args.students + 5)
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits,
                                 timeout=120, trust_env=False) as client:
        stop = asyncio.Event()
        projector = asyncio.create_task(teacher(client, timings, server.token, stop))
        rng = random.Random(args.seed)
        students = [student(client, timings, args.task, args.trial_interval_ms,
                            random.Random(rng.random()), tally)
                    for _ in range(args.students)]
        results = await asyncio.gather(*students, return_exceptions=True)
        stop.set()
        await projector
    return [r for r in results if isinstance(r, BaseException)]


def family(pid):
    """``pid`` and its living descendants (the server's analysis workers), from /proc."""
    pids = [pid]
    for parent in pids:
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split()
            pids += [int(c) for c in children if int(c) not in pids]
    return pids


def peak_rss_mib(pids):
    """The sum of the processes' peak resident memory (VmHWM, MiB) from /proc:
    an upper bound of their peak together."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pids):
    """User + system CPU time the processes have used (s), from /proc."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def figures(values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (f"n={len(values):5d}  median {statistics.median(values):7.1f}  p95 {p95:7.1f}  "
            f"max {values[-1]:7.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100, help="students (default 100)")
    parser.add_argument("--task", default="stroop", help="the demo they all do (default stroop)")
    parser.add_argument("--trial-interval-ms", type=float, default=1000,
                        help="mean time between a student's trials (default 1000)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="shorten the demo, e.g. --set trials=8 (passed to the server)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        server = ClassServer(Path(tmp) / "class", tasks=(args.task,),
                             sets={args.task: tuple(args.set)})
        server.start()
        tally = defaultdict(int)
        timings = Timings()
        started = time.monotonic()
        try:
            failures = asyncio.run(class_in_session(server, args, tally, timings))
            seconds = time.monotonic() - started
            pids = family(server.process.pid)
            rss = peak_rss_mib(pids)
            cpu = cpu_seconds(pids)
        finally:
            status = server.stop()
        rows = sum(len(pd.read_csv(f)) for f in data_files(server.data_dir, args.task))
        print(f"Classroom server load: {args.students} students, task {args.task}, one trial "
              f"every ~{args.trial_interval_ms:.0f} ms each, {seconds:.1f} s, "
              f"load average {os.getloadavg()[0]:.1f}")
        for kind, values in timings.ms.items():
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(timings.statuses[kind].items()))
            print(f"{kind:15s} {figures(values)}   (status {codes})")
        print(f"students finished: {tally['finished']} of {args.students}")
        print(f"trials acknowledged: {tally['acknowledged']}; rejected: {tally['rejected']}; "
              f"duplicates: {tally['duplicates']}; rows on disk: {rows}")
        print(f"server peak memory (VmHWM): {rss:.1f} MiB, its {len(pids) - 1} worker "
              f"processes included; CPU time {cpu:.1f} s in the {seconds:.1f} s; "
              f"exit status after SIGTERM: {status}")
        for problem in [*timings.errors[:5], *map(repr, failures[:5])]:
            print(f"problem: {problem}")
    return 0 if not failures and not timings.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
