"""The per-row sync state kept beside the catalog, and the stamp maps it is made of.

A stamp map gives each field of a row the HLC stamp of its value and the stamp of the
value it replaced ("prev", used to tell a concurrent edit from a superseded one):
    {"*": [stamp, null], "name": [stamp2, stamp]}   "*" covers every field not named.
A row's state (table sync_rows) is that map, the tombstone map `seen` of a purge (the
stamps the purging device had seen: a field stamped later is news to it and keeps the
row alive), and where the row stands: live (the catalog holds the merged values),
dead (purged; image = last values, so a row needed again can come back) or parked
(merged values in image, waiting for a parent row the catalog does not have yet).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

# Synced tables, parents first. Each with the column that points at its parent row.
# Artboards stand beside sessions: an element names its item without a foreign key (a
# purged item leaves a placeholder), so only the board is an element's parent.
SYNCED = ("folders", "sessions", "items", "item_inputs", "artboards", "artboard_elements")
PARENT = {"folders": ("parent_id", "folders"), "sessions": ("folder_id", "folders"),
          "items": ("session_id", "sessions"), "item_inputs": ("item_id", "items"),
          "artboards": (None, None), "artboard_elements": ("artboard_id", "artboards")}
CHILDREN = {"folders": [("folders", "parent_id"), ("sessions", "folder_id")],
            "sessions": [("items", "session_id")], "items": [("item_inputs", "item_id")],
            "item_inputs": [], "artboards": [("artboard_elements", "artboard_id")],
            "artboard_elements": []}
# Tables the mass-delete guard counts as "the library".
COUNTED = ("sessions", "items")
ZERO = "0" * 16   # sorts before every real stamp
# Bookkeeping fields: merged like the others, but a lost value is not worth showing.
QUIET = {"updated_at", "opened_at", "collapsed"}


def get(stamps: dict | None, f: str) -> list:
    """[stamp, prev] of field f ([ZERO, None] when unknown)."""
    if not stamps:
        return [ZERO, None]
    return stamps.get(f) or stamps.get("*") or [ZERO, None]


def stamp(stamps: dict | None, f: str) -> str:
    return get(stamps, f)[0]


def newest(stamps: dict | None) -> str:
    return max((v[0] for v in (stamps or {}).values()), default=ZERO)


def join(a: dict | None, b: dict | None) -> dict | None:
    """Union of two tombstone maps: per field, the newer stamp."""
    if not a:
        return dict(b) if b else None
    if not b:
        return dict(a)
    out = {}
    for f in set(a) | set(b):
        out[f] = max(get(a, f), get(b, f), key=lambda v: v[0])
    return out


def alive(stamps: dict | None, seen: dict | None, fields) -> bool:
    """Live unless a purge had seen every field's current stamp."""
    if not stamps:
        return False
    if not seen:
        return True
    return any(stamp(stamps, f) > stamp(seen, f) for f in fields)


@dataclass
class RowState:
    tbl: str
    pk: str
    stamps: dict = field(default_factory=dict)
    seen: dict | None = None
    state: str = "live"
    image: dict | None = None
    known: bool = False       # False: no sync_rows entry yet


def load(conn: sqlite3.Connection, tbl: str, pk: str) -> RowState:
    r = conn.execute("SELECT stamps, seen, state, image FROM sync_rows WHERE tbl = ? AND pk = ?",
                     [tbl, pk]).fetchone()
    if r is None:
        return RowState(tbl, pk)
    return RowState(tbl, pk, json.loads(r[0]), json.loads(r[1]) if r[1] else None, r[2],
                    json.loads(r[3]) if r[3] else None, True)


def save(conn: sqlite3.Connection, st: RowState) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_rows (tbl, pk, stamps, seen, state, image) VALUES (?, ?, ?, ?, ?, ?)",
        [st.tbl, st.pk, _dump(st.stamps), _dump(st.seen) if st.seen else None, st.state,
         _dump(st.image) if st.image is not None else None])
    st.known = True


def _dump(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


_COLUMNS: dict[str, list[str]] = {}


def columns(conn: sqlite3.Connection, tbl: str) -> list[str]:
    cols = _COLUMNS.get(tbl)
    if cols is None:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({tbl})")]
        _COLUMNS[tbl] = cols
    return cols


def catalog_row(conn: sqlite3.Connection, tbl: str, pk: str) -> dict | None:
    r = conn.execute(f"SELECT * FROM {tbl} WHERE id = ?", [pk]).fetchone()
    return dict(r) if r is not None else None


# -- sync_meta -----------------------------------------------------------------------------
def meta_get(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    r = conn.execute("SELECT value FROM sync_meta WHERE key = ?", [key]).fetchone()
    return r[0] if r else default


def meta_set(conn: sqlite3.Connection, key: str, value) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?, ?)", [key, str(value)])
