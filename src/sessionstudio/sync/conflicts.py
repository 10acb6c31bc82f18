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
                   include_dismissed: bool = False) -> list[Conflict]:
    where, params = [], []
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
