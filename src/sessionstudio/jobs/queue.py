"""The job queue, persisted in the catalog: queued -> running -> done | failed | cancelled,
and interrupted for a job that was running when the app stopped.

State changes go through Library.write so views refresh from Changes.jobs, but they are
not journaled: progress ticks must not fill the undo history. The items a job makes are
journaled (add_item), so "Generate image" can be undone like any other change."""

import json
from dataclasses import dataclass, field
from typing import Any

from ..core.changes import Changes
from ..core.errors import InvalidInput, NotFound
from ..core.ids import now_ms, uuid7
from ..library.journal import Tx
from ..library.library import Library

STATES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
ACTIVE = ("queued", "running")
RETRYABLE = ("failed", "cancelled", "interrupted")


@dataclass
class Job:
    id: str
    session_id: str
    engine: str
    kind: str
    action: str
    title: str
    prompt: str
    params: dict[str, Any]
    seed: int | None
    source_item_id: str | None
    inputs: list[dict]               # [{"role": ..., "item": id}] picked items
    state: str
    progress: float
    message: str
    error: str
    cancel_requested: bool
    attempts: int
    outputs: list[str] = field(default_factory=list)   # item ids made
    created_at: int = 0
    started_at: int | None = None
    finished_at: int | None = None

    @classmethod
    def from_row(cls, r) -> "Job":
        return cls(r["id"], r["session_id"], r["engine"], r["kind"], r["action"], r["title"],
                   r["prompt"], json.loads(r["params"]), r["seed"], r["source_item_id"],
                   json.loads(r["inputs"]), r["state"], r["progress"], r["message"], r["error"],
                   bool(r["cancel_requested"]), r["attempts"], json.loads(r["outputs"]),
                   r["created_at"], r["started_at"], r["finished_at"])

    @property
    def finished(self) -> bool:
        return self.state not in ACTIVE


def _set(tx: Tx, job_id: str, **fields: Any) -> None:
    cols = ", ".join(f"{k} = ?" for k in fields)
    cur = tx.conn.execute(f"UPDATE jobs SET {cols} WHERE id = ?", [*fields.values(), job_id])
    if cur.rowcount == 0:
        raise NotFound(f"No job with id {job_id}")
    tx.changes.touch("jobs", job_id)


def _state(tx: Tx, job_id: str) -> str:
    row = tx.conn.execute("SELECT state FROM jobs WHERE id = ?", [job_id]).fetchone()
    if row is None:
        raise NotFound(f"No job with id {job_id}")
    return row[0]


def submit_job(lib: Library, *, session_id: str, engine: str, kind: str, action: str,
               title: str, prompt: str = "", params: dict | None = None, seed: int | None = None,
               source_item_id: str | None = None, inputs: list[dict] = ()) -> Changes:
    job_id = uuid7()

    def op(tx: Tx) -> None:
        session = tx.row("sessions", session_id)
        if session["trashed_at"] is not None:
            raise InvalidInput(f"The session '{session['name']}' is in the trash; restore it first.")
        tx.conn.execute(
            "INSERT INTO jobs (id, session_id, engine, kind, action, title, prompt, params, seed, "
            "source_item_id, inputs, state, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,'queued',?)",
            [job_id, session_id, engine, kind, action, title, prompt,
             json.dumps(params or {}, sort_keys=True), seed, source_item_id,
             json.dumps(list(inputs)), now_ms()])
        tx.changes.touch("jobs", job_id)
        tx.changes.created.append(job_id)
    return lib.write(f"Queue {title}", op, undoable=False)


def get_job(lib: Library, job_id: str) -> Job:
    rows = lib.query("SELECT * FROM jobs WHERE id = ?", [job_id])
    if not rows:
        raise NotFound(f"No job with id {job_id}")
    return Job.from_row(rows[0])


def find_job(lib: Library, ref: str) -> Job:
    """A job by id, or by a unique start or end of its id (the CLI shows the last 8
    characters: UUIDv7 ids made in the same minute share their first ones)."""
    rows = lib.query("SELECT * FROM jobs WHERE id LIKE ? || '%' OR id LIKE '%' || ? LIMIT 2",
                     [ref, ref])
    if len(rows) != 1:
        raise NotFound(f"No job matches '{ref}'." if not rows else
                       f"'{ref}' matches several jobs: give more characters.")
    return Job.from_row(rows[0])


def list_jobs(lib: Library, *, session_id: str | None = None, states=None,
              limit: int = 200) -> list[Job]:
    where, args = [], []
    if session_id:
        where.append("session_id = ?")
        args.append(session_id)
    if states:
        where.append(f"state IN ({', '.join('?' for _ in states)})")
        args.extend(states)
    sql = "SELECT * FROM jobs" + (f" WHERE {' AND '.join(where)}" if where else "")
    return [Job.from_row(r) for r in lib.query(
        sql + " ORDER BY created_at DESC, rowid DESC LIMIT ?", [*args, limit])]


def claim_next_job(lib: Library, only: set[str] | None = None) -> Job | None:
    """Mark the oldest queued job running and return it (None when the queue is empty).
    only: claim just these jobs (the CLI runs the job it was asked for, nothing else)."""
    claimed: list[str] = []

    def op(tx: Tx) -> None:
        if only is not None:
            marks = ", ".join("?" for _ in only)
            row = tx.conn.execute(f"SELECT id FROM jobs WHERE state = 'queued' AND id IN ({marks}) "
                                  "ORDER BY created_at, rowid LIMIT 1", list(only)).fetchone()
        else:
            row = tx.conn.execute("SELECT id FROM jobs WHERE state = 'queued' "
                                  "ORDER BY created_at, rowid LIMIT 1").fetchone()
        if row:
            tx.conn.execute("UPDATE jobs SET attempts = attempts + 1 WHERE id = ?", [row[0]])
            _set(tx, row[0], state="running", started_at=now_ms(), progress=0.0,
                 message="Starting…", error="", finished_at=None)
            claimed.append(row[0])
    lib.write("Start job", op, undoable=False)
    return get_job(lib, claimed[0]) if claimed else None


def set_job_progress(lib: Library, job_id: str, fraction: float, message: str) -> Changes:
    fraction = max(0.0, min(1.0, float(fraction)))

    def op(tx: Tx) -> None:
        if _state(tx, job_id) == "running":     # a late tick never revives an ended job
            _set(tx, job_id, progress=fraction, message=message[:200])
    return lib.write("Job progress", op, undoable=False)


def mark_job_done(tx: Tx, job_id: str, item_ids: list[str]) -> None:
    """Inside the transaction that adds the job's last item: both land, or neither."""
    _set(tx, job_id, state="done", progress=1.0, message="Done", outputs=json.dumps(item_ids),
         finished_at=now_ms())


def end_job(lib: Library, job_id: str, state: str, *, error: str = "",
            outputs: list[str] = ()) -> Changes:
    if state not in ("done", "failed", "cancelled", "interrupted"):
        raise InvalidInput(f"Not a final job state: {state}")
    message = {"failed": "Failed", "cancelled": "Cancelled", "interrupted": "Interrupted",
               "done": "Done"}[state]

    def op(tx: Tx) -> None:
        # Only a job still under way can end: a job already done (its item committed)
        # must never be turned into "failed" by a later error, or Retry would duplicate it.
        if _state(tx, job_id) in ACTIVE:
            _set(tx, job_id, state=state, error=error, message=message,
                 outputs=json.dumps(list(outputs)), finished_at=now_ms())
    return lib.write(f"Job {state}", op, undoable=False)


def cancel_job(lib: Library, job_id: str) -> Changes:
    """A queued job is cancelled at once; a running one is asked to stop (the runner stops
    its worker within a second and marks it cancelled)."""
    def op(tx: Tx) -> None:
        state = _state(tx, job_id)
        if state == "queued":
            _set(tx, job_id, state="cancelled", message="Cancelled", finished_at=now_ms())
        elif state == "running":
            _set(tx, job_id, cancel_requested=1, message="Cancelling…")
        else:
            raise InvalidInput(f"This job has already ended ({state}).")
    return lib.write("Cancel job", op, undoable=False)


def retry_job(lib: Library, job_id: str) -> Changes:
    def op(tx: Tx) -> None:
        state = _state(tx, job_id)
        if state not in RETRYABLE:
            raise InvalidInput(f"Only a failed, cancelled or interrupted job can be retried "
                               f"(this one is {state}).")
        _set(tx, job_id, state="queued", progress=0.0, message="Queued", error="",
             cancel_requested=0, finished_at=None, started_at=None)
    return lib.write("Retry job", op, undoable=False)


def interrupt_running_jobs(lib: Library) -> Changes:
    """At start-up: jobs still marked running were cut off by a crash or a kill."""
    def op(tx: Tx) -> None:
        ids = [r[0] for r in tx.conn.execute("SELECT id FROM jobs WHERE state = 'running'")]
        for job_id in ids:
            _set(tx, job_id, state="interrupted", message="Interrupted: the app stopped while "
                 "this job ran. Retry to run it again.", finished_at=now_ms())
    return lib.write("Interrupted jobs", op, undoable=False)


def cancel_requested(lib: Library, job_id: str) -> bool:
    rows = lib.query("SELECT cancel_requested FROM jobs WHERE id = ?", [job_id])
    return bool(rows and rows[0][0])
