"""Runs queued jobs in worker processes, never on the caller's thread.

A dispatcher thread claims queued jobs while a slot is free; each running job has a
monitor thread that relays progress to the catalog (throttled), imports the outputs,
and enforces Cancel: the worker is asked to stop and killed if it has not within a
second. Only the process that holds the library's write lock runs a JobRunner."""

import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict

from ..core.errors import StudioError
from ..engines.registry import Registry
from ..library.library import Library
from ..settings import Settings
from .execute import build_request, import_outputs
from .queue import (cancel_job, cancel_requested, claim_next_job, end_job, get_job,
                    interrupt_running_jobs, list_jobs, set_job_progress)

CANCEL_GRACE = 0.5           # seconds a worker gets to stop by itself after Cancel
PROGRESS_WRITE_INTERVAL = 0.25


def default_concurrency(setting: int = 0) -> int:
    return setting if setting > 0 else max(1, (os.cpu_count() or 2) - 1)


def _mp_context():
    # forkserver: workers start from a clean, preloaded server (fork from a threaded Qt
    # process is unsafe; spawn re-imports numpy/PIL/av for every job). Frozen bundles and
    # non-Linux systems use spawn.
    if sys.platform.startswith("linux") and not getattr(sys, "frozen", False):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sessionstudio.jobs.worker", "numpy", "PIL.Image", "av"])
        return ctx
    return multiprocessing.get_context("spawn")


class JobRunner:
    def __init__(self, lib: Library, registry: Registry, *, concurrency: int | None = None,
                 on_problem: Callable[[str], None] | None = None, only: set[str] | None = None):
        """only: run just these job ids (the CLI's `generate`, `use`, `jobs retry`)."""
        self.lib, self.registry = lib, registry
        setting = Settings(lib.paths.settings_path).get("jobs_concurrency")
        self.concurrency = concurrency or default_concurrency(setting)
        self.on_problem = on_problem or (lambda msg: None)
        self.only = only
        self._mp = _mp_context()
        self._cond = threading.Condition()
        self._running: dict[str, threading.Event] = {}     # job id -> cancel request
        self._stopping = False
        self._thread: threading.Thread | None = None

    # -- control -------------------------------------------------------------------------
    def start(self) -> None:
        interrupt_running_jobs(self.lib)
        # Nothing runs yet: scratch dirs left by a crash hold only half-made outputs.
        shutil.rmtree(self.lib.paths.tmp_dir / "jobs", ignore_errors=True)
        self._thread = threading.Thread(target=self._dispatch, name="job-dispatcher", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A job was queued or retried: look now rather than at the next poll."""
        with self._cond:
            self._cond.notify_all()

    def cancel(self, job_id: str) -> None:
        with self._cond:              # the worker hears it first; the catalog after
            event = self._running.get(job_id)
        if event is not None:
            event.set()
        cancel_job(self.lib, job_id)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop dispatching; running jobs are stopped and left interrupted (Retry works)."""
        with self._cond:
            self._stopping = True
            for event in self._running.values():
                event.set()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        deadline = time.monotonic() + timeout
        while self.running_ids() and time.monotonic() < deadline:
            time.sleep(0.05)

    def running_ids(self) -> list[str]:
        with self._cond:
            return list(self._running)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or running (the CLI's synchronous mode)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        def pending() -> bool:
            jobs = list_jobs(self.lib, states=("queued", "running"), limit=500)
            return any(self.only is None or j.id in self.only for j in jobs)
        while pending() or self.running_ids():
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    # -- dispatching ---------------------------------------------------------------------
    def _dispatch(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and len(self._running) >= self.concurrency:
                    self._cond.wait(0.5)
                if self._stopping:
                    return
            try:
                job = claim_next_job(self.lib, self.only)
            except Exception as exc:  # noqa: BLE001 - disk full or I/O: report, keep dispatching
                self.on_problem(str(exc))
                job = None
            if job is None:
                with self._cond:
                    if not self._stopping:
                        self._cond.wait(0.5)
                continue
            event = threading.Event()
            with self._cond:
                self._running[job.id] = event
            threading.Thread(target=self._run, args=(job, event), name=f"job-{job.id[:8]}",
                             daemon=True).start()

    def _run(self, job, cancel: threading.Event) -> None:
        scratch = self.lib.paths.tmp_dir / "jobs" / f"{job.id}-{job.attempts}"
        try:
            self._execute(job, cancel, scratch)
        except Exception as exc:  # noqa: BLE001 - the job fails, the runner lives on
            self._end(job.id, "failed", error=str(exc) if isinstance(exc, StudioError)
                      else f"{type(exc).__name__}: {exc}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            with self._cond:
                if self._running.get(job.id) is cancel:   # not a newer run of a retried job
                    del self._running[job.id]
                self._cond.notify_all()

    def _end(self, job_id: str, state: str, **kw) -> None:
        if self._stopping and state in ("cancelled", "failed"):
            state, kw = "interrupted", {}
        try:
            end_job(self.lib, job_id, state, **kw)
        except Exception as exc:  # noqa: BLE001 - the job row may be gone (session purged)
            self.on_problem(str(exc))

    def _execute(self, job, cancel: threading.Event, scratch) -> None:
        scratch.mkdir(parents=True, exist_ok=True)
        request = build_request(self.lib, job, scratch)
        spec = {"engine": job.engine, "scratch": str(scratch), "request": asdict(request)}
        spec["request"]["source"] = _paths_to_str(spec["request"]["source"])
        spec["request"]["extras"] = [_paths_to_str(e) for e in spec["request"]["extras"]]
        parent_conn, child_conn = self._mp.Pipe(duplex=False)
        stop_event = self._mp.Event()
        from .worker import child_main
        proc = self._mp.Process(target=child_main, args=(child_conn, spec, os.getpid(), stop_event),
                                name=f"sessionstudio-job-{job.id[:8]}", daemon=True)
        proc.start()
        child_conn.close()
        kill_at, last_write, last_db_check = None, 0.0, 0.0
        try:
            while True:
                now = time.monotonic()
                if kill_at is None and (cancel.is_set() or (now - last_db_check > 0.5 and
                                                            cancel_requested(self.lib, job.id))):
                    stop_event.set()
                    kill_at = now + CANCEL_GRACE
                last_db_check = now if now - last_db_check > 0.5 else last_db_check
                if kill_at is not None and now > kill_at:
                    proc.kill()
                    self._end(job.id, "cancelled")
                    return
                eof = False
                if parent_conn.poll(0.05):
                    try:
                        msg = parent_conn.recv()
                    except EOFError:        # the worker is gone without a last word
                        msg, eof = None, True
                    if msg is None:
                        pass
                    elif msg[0] == "progress":
                        if now - last_write >= PROGRESS_WRITE_INTERVAL:
                            last_write = now
                            set_job_progress(self.lib, job.id, msg[1], msg[2])
                        continue
                    elif msg[0] == "done":
                        if kill_at is not None:
                            self._end(job.id, "cancelled")
                        else:
                            import_outputs(self.lib, get_job(self.lib, job.id), msg[1])
                        return
                    elif msg[0] == "cancelled":
                        self._end(job.id, "cancelled")
                        return
                    elif msg[0] == "error":
                        self._end(job.id, "failed", error=msg[1])
                        return
                if eof or (not proc.is_alive() and not parent_conn.poll(0)):
                    proc.join(1)
                    code = proc.exitcode
                    self._end(job.id, "cancelled" if kill_at else "failed",
                              error="" if kill_at else
                              f"The worker process stopped unexpectedly (exit code {code}).")
                    return
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(2)
            parent_conn.close()


def _paths_to_str(d):
    if d is None:
        return None
    return {**d, "path": str(d["path"])}
