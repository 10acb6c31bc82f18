"""Values that lost a merge: kept, so the UI can say "also edited on <device>" and let
the person take the other value back (that is an ordinary local edit)."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Conflict:
    id: int
    table: str
    row_id: str
    field: str
    value: object          # the value that lost
    device: str            # the device that wrote it
    device_name: str
    winner_device: str
    noticed_at: int


def _names(lib) -> dict:
    r = lib.query("SELECT value FROM sync_meta WHERE key = 'device_names'")
    return json.loads(r[0][0]) if r else {}


def list_conflicts(lib, *, table: str | None = None, row_id: str | None = None,
                   conflict_id: int | None = None,
                   include_dismissed: bool = False) -> list[Conflict]:
    where, params = [], []
    if conflict_id is not None:
        where.append("id = ?")
        params.append(conflict_id)
    if not include_dismissed:
        where.append("dismissed = 0")
    if table:
        where.append("tbl = ?")
        params.append(table)
    if row_id:
        where.append("pk = ?")
        params.append(row_id)
    sql = "SELECT * FROM sync_conflicts" + (f" WHERE {' AND '.join(where)}" if where else "")
    names = _names(lib)
    return [Conflict(r["id"], r["tbl"], r["pk"], r["field"], json.loads(r["value"]), r["device"],
                     names.get(r["device"], r["device"]), r["winner_device"], r["noticed_at"])
            for r in lib.query(sql + " ORDER BY id", params)]


def dismiss_conflicts(lib, ids: list[int]) -> None:
    lib.write("Dismiss sync conflicts", lambda tx: tx.conn.executemany(
        "UPDATE sync_conflicts SET dismissed = 1 WHERE id = ?", [(i,) for i in ids]), undoable=False)


# What a person can take back from another device, and how each field reads. Other
# fields (ids, asset hashes, dimensions) are machine-made: their conflicts are only listed.
_LABELS = {"name": "Name", "prompt": "Prompt", "favorite": "Favorite", "trashed_at": "Trash",
           "settings": "Settings", "session_id": "Session", "folder_id": "Folder",
           "parent_id": "Folder", "negative_prompt": "Negative prompt"}
_TABLES = ("items", "sessions", "folders")


def can_use(c: Conflict) -> bool:
    return c.table in _TABLES and c.field in _LABELS


def field_label(c: Conflict) -> str:
    return _LABELS.get(c.field, c.field.replace("_", " ").capitalize())


def value_text(c: Conflict, lib=None) -> str:
    """The losing value as a person reads it ("In the trash", a session's name, ...)."""
    v = c.value
    if c.field == "favorite":
        return "Favorite" if v else "Not a favorite"
    if c.field == "trashed_at":
        return "In the trash" if v else "Not in the trash"
    if c.field in ("session_id", "folder_id", "parent_id"):
        if v is None:
            return "(top level)"
        table = "sessions" if c.field == "session_id" else "folders"
        rows = lib.query(f"SELECT name FROM {table} WHERE id = ?", [v]) if lib is not None else []
        return rows[0][0] if rows else str(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else str(v)


def use_conflict_value(lib, conflict_id: int):
    """Take the value that lost back: an ordinary local edit (undoable, and synced like
    any other, so it now wins everywhere). The conflict is marked as dealt with."""
    from ..core.errors import InvalidInput, NotFound
    from ..core.ids import now_ms
    from .rows import columns
    found = list_conflicts(lib, conflict_id=conflict_id, include_dismissed=True)
    if not found:
        raise NotFound(f"No sync conflict {conflict_id}")
    c = found[0]
    if not can_use(c):
        raise InvalidInput(f"The {c.field} of a {c.table[:-1]} is set by the app and cannot be "
                           "taken from another device by hand.")
    value = json.dumps(c.value, ensure_ascii=False) if isinstance(c.value, (dict, list)) else c.value

    def op(tx) -> None:
        fields = {c.field: value}
        if "updated_at" in columns(tx.conn, c.table):
            fields["updated_at"] = now_ms()
        tx.update(c.table, c.row_id, **fields)
        tx.conn.execute("UPDATE sync_conflicts SET dismissed = 1 WHERE id = ?", [c.id])
    return lib.write(f"Use {field_label(c).lower()} from {c.device_name}", op)
