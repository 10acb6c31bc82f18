"""Session operations: create, rename, open, trash, restore, purge, duplicate, move."""

import json
from typing import Any

from ..core.changes import Changes
from ..core.errors import InvalidInput, NotFound
from ..core.ids import now_ms, uuid7
from ..core.models import Session
from .journal import Tx
from .library import Library
from .naming import dated_session_name, name_from_prompt

ANY_FOLDER = object()  # list_sessions(folder=ANY_FOLDER): every folder, and none


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A name cannot be empty.")
    if len(name) > 200:
        raise InvalidInput("A name can be at most 200 characters.")
    return name


def get_session(lib: Library, session_id: str) -> Session:
    rows = lib.query("SELECT * FROM sessions WHERE id = ?", [session_id])
    row = rows[0] if rows else None
    if row is None:
        raise NotFound(f"No session with id {session_id}")
    return Session.from_row(row)


def list_sessions(lib: Library, *, folder: Any = ANY_FOLDER, trashed: bool = False,
                  limit: int = 50, offset: int = 0,
                  before: tuple[int, str] | None = None) -> list[Session]:
    """Newest first. `before=(created_at, id)` continues after the last row of a page
    (cheap at any depth); `offset` is there for simple callers."""
    where = ["trashed_at IS NOT NULL" if trashed else "trashed_at IS NULL"]
    params: list[Any] = []
    if folder is not ANY_FOLDER:
        where.append("folder_id IS ?")
        params.append(folder)
    if before is not None:
        where.append("(created_at, id) < (?, ?)")
        params.extend(before)
    sql = (f"SELECT * FROM sessions WHERE {' AND '.join(where)} "
           f"ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
    return [Session.from_row(r) for r in lib.query(sql, [*params, limit, offset])]


def count_sessions(lib: Library, *, trashed: bool = False) -> int:
    cond = "IS NOT NULL" if trashed else "IS NULL"
    return lib.query(f"SELECT count(*) FROM sessions WHERE trashed_at {cond}")[0][0]


def create_session(lib: Library, *, name: str | None = None, prompt: str | None = None,
                   folder_id: str | None = None) -> Changes:
    """A new session, named by the caller, else from its first prompt, else by date."""
    now = now_ms()
    auto = not (name and name.strip())
    if auto:
        name = name_from_prompt(prompt or "") or dated_session_name(now)

    def op(tx: Tx) -> None:
        if folder_id is not None:
            tx.row("folders", folder_id)
        tx.insert("sessions", {"id": uuid7(), "name": _clean_name(name), "auto_named": int(auto),
                               "folder_id": folder_id, "created_at": now, "updated_at": now})
    return lib.write("New session", op)


def rename_session(lib: Library, *, session_id: str, name: str) -> Changes:
    name = _clean_name(name)
    return lib.write("Rename session", lambda tx: tx.update(
        "sessions", session_id, name=name, auto_named=0, updated_at=now_ms()))


def open_session(lib: Library, *, session_id: str) -> Session:
    """Record that the session was opened (not an undoable change: it is not an edit)."""
    lib.write("Open session", lambda tx: tx.update("sessions", session_id, opened_at=now_ms()),
              undoable=False)
    return get_session(lib, session_id)


def set_session_settings(lib: Library, *, session_id: str, **values: Any) -> Changes:
    """Remembered per-session view state (filters, pane sizes): merged, not undoable."""
    def op(tx: Tx) -> None:
        settings = json.loads(tx.row("sessions", session_id)["settings"] or "{}")
        settings.update(values)
        tx.update("sessions", session_id, settings=json.dumps(settings, sort_keys=True))
    return lib.write("Remember session view", op, undoable=False)


def trash_sessions(lib: Library, *, session_ids: list[str]) -> Changes:
    now = now_ms()

    def op(tx: Tx) -> None:
        for sid in session_ids:
            if tx.row("sessions", sid)["trashed_at"] is None:
                tx.update("sessions", sid, trashed_at=now)
    return lib.write(_label("Move session to trash", session_ids), op)


def restore_sessions(lib: Library, *, session_ids: list[str]) -> Changes:
    def op(tx: Tx) -> None:
        for sid in session_ids:
            row = tx.row("sessions", sid)
            tx.update("sessions", sid, trashed_at=None)
            _restore_folder_chain(tx, row["folder_id"])
    return lib.write(_label("Restore session", session_ids), op)


def _restore_folder_chain(tx: Tx, folder_id: str | None) -> None:
    # A restored thing must be visible: bring back the folders it sits in.
    while folder_id is not None:
        folder = tx.row("folders", folder_id)
        tx.update("folders", folder_id, trashed_at=None)
        folder_id = folder["parent_id"]


def purge_session_rows(tx: Tx, session_id: str) -> None:
    """Delete a session and its items for good (journaled, so still undoable)."""
    for (item_id,) in tx.conn.execute("SELECT id FROM items WHERE session_id = ?", [session_id]).fetchall():
        purge_item_rows(tx, item_id)
    # Its generation jobs go too (they reference the session); job rows are history, not
    # content, so they are not journaled and an undone purge brings the session back
    # without them. A job still running has nowhere to put its result and fails.
    for (job_id,) in tx.conn.execute("SELECT id FROM jobs WHERE session_id = ?",
                                     [session_id]).fetchall():
        tx.changes.touch("jobs", job_id)
    tx.conn.execute("DELETE FROM jobs WHERE session_id = ?", [session_id])
    tx.delete("sessions", session_id)


def purge_item_rows(tx: Tx, item_id: str) -> None:
    for (input_id,) in tx.conn.execute("SELECT id FROM item_inputs WHERE item_id = ?", [item_id]).fetchall():
        tx.delete("item_inputs", input_id)
    tx.delete("items", item_id)


def purge_sessions(lib: Library, *, session_ids: list[str]) -> Changes:
    def op(tx: Tx) -> None:
        for sid in session_ids:
            purge_session_rows(tx, sid)
    return lib.write(_label("Delete session permanently", session_ids), op)


def move_sessions(lib: Library, *, session_ids: list[str], folder_id: str | None) -> Changes:
    def op(tx: Tx) -> None:
        if folder_id is not None:
            tx.row("folders", folder_id)
        for sid in session_ids:
            tx.update("sessions", sid, folder_id=folder_id)
    return lib.write(_label("Move session", session_ids), op)


def duplicate_session(lib: Library, *, session_id: str, name: str | None = None) -> Changes:
    """A new session with copies of every item (same assets: nothing is copied on disk)."""
    from .items import copy_item_rows

    def op(tx: Tx) -> None:
        src = tx.row("sessions", session_id)
        now = now_ms()
        new_id = tx.insert("sessions", {
            "id": uuid7(), "name": _clean_name(name or f"{src['name']} (copy)"), "auto_named": 0,
            "folder_id": src["folder_id"], "created_at": now, "updated_at": now,
            "settings": src["settings"]})
        rows = tx.conn.execute("SELECT id FROM items WHERE session_id = ? AND trashed_at IS NULL "
                               "ORDER BY created_at, id", [session_id]).fetchall()
        for (item_id,) in rows:
            copy_item_rows(tx, item_id, new_id, keep_time=True)
    return lib.write("Duplicate session", op)


def _label(text: str, ids: list[str]) -> str:
    return text if len(ids) == 1 else f"{text} ({len(ids)})"
