"""The classroom server's analyses in worker processes.

A student's result and the class report run the task's analysis (pandas,
statistics, figures): a second or more of CPU each. In the server's own
process they would compete for the interpreter lock with the threads that
write trials and the event loop that answers every request, and 30 students
finishing at once would hold up everyone's trials. So they run in a small
pool of worker processes (started on first use, with ``spawn``: no copy of
the server's threads and open files), and the server only waits for the
answer. The functions sent there take plain values (paths, names) and return
plain values.

>>> pool = AnalysisPool(workers=1)
>>> pool.run(divmod, 7, 2)
(3, 1)
>>> pool.close()
"""

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

WORKERS = 2
PARENT_CHECK_S = 1.0


def _worker_setup(server_pid: int) -> None:
    # Ctrl-C in the teacher's terminal reaches the whole process group: the
    # server shuts the pool down itself, so the workers must not print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A server killed outright (kill -9, a crash) cannot shut its pool down, and a
    # worker waiting for work would never notice: it leaves when its server is gone.
    threading.Thread(target=_leave_with, args=(server_pid,), daemon=True).start()


def _load_analysis() -> None:
    import attentionlab.classroom.report  # noqa: F401 -- pandas, scipy, matplotlib, ...


def _leave_with(server_pid: int) -> None:
    while os.getppid() == server_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


class AnalysisPool:
    """``submit(fn, *args)`` -> a concurrent.futures.Future, run in a worker process."""

    def __init__(self, workers: int = WORKERS):
        self.workers = workers
        self._lock = threading.Lock()
        self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_setup, initargs=(os.getpid(),))
            return self._executor

    def run(self, fn, *args):
        """``fn(*args)`` in a worker, waiting for it (call from a thread, not the
        event loop). A pool broken by a worker that died is replaced once."""
        try:
            return self._pool().submit(fn, *args).result()
        except BrokenProcessPool:
            with self._lock:
                self._executor = None
            return self._pool().submit(fn, *args).result()

    def warm_up(self) -> None:
        """Start the workers now and load the analysis there (a few seconds),
        so that the first student's result does not wait for it."""
        pool = self._pool()
        for _ in range(self.workers):
            pool.submit(_load_analysis)

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


_SHARED = None
_SHARED_LOCK = threading.Lock()


def shared() -> AnalysisPool:
    """This process's pool: every app in it (one for ``classroom serve``; many in
    the tests) uses the same workers, started once."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = AnalysisPool()
        return _SHARED
