"""Reading items: one, a session's page filtered by kinds, the trash, lineage."""

from collections.abc import Iterable
from typing import Any

from ..core.errors import InvalidInput, NotFound
from ..core.models import KINDS, Item, ItemInput
from .library import Library


def get_item(lib: Library, item_id: str) -> Item:
    with lib.reading() as conn:
        row = conn.execute("SELECT * FROM items WHERE id = ?", [item_id]).fetchone()
        if row is None:
            raise NotFound(f"No item with id {item_id}")
        inputs = conn.execute("SELECT * FROM item_inputs WHERE item_id = ? ORDER BY position",
                              [item_id]).fetchall()
    item = Item.from_row(row)
    item.inputs = [ItemInput(r["role"], r["asset_hash"], r["source_item_id"], r["position"])
                   for r in inputs]
    return item


def _kinds(kinds: Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(KINDS)
    kinds = list(dict.fromkeys(kinds))
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise InvalidInput(f"Unknown kind '{bad[0]}': use one of {', '.join(KINDS)}.")
    return kinds


def list_items(lib: Library, *, session_id: str, kinds: Iterable[str] | None = None,
               limit: int = 200, offset: int = 0, trashed: bool = False,
               favorites: bool = False) -> list[Item]:
    """A session's items of the given kinds, newest first (created_at, then insertion order).

    One range of the (session, kind, trashed, created_at) index per kind, reading only
    index entries (rowid, created_at); the few winners are then fetched by rowid. The
    cost is about limit+offset index entries per kind, however big the session or rare
    the kind."""
    kinds = _kinds(kinds)
    if not kinds:
        return []
    trash = "trashed_at IS NOT NULL" if trashed else "trashed_at IS NULL"
    fav = " AND favorite = 1" if favorites else ""
    parts, params = [], []
    for kind in kinds:
        parts.append(f"SELECT * FROM (SELECT rowid AS r, created_at AS c FROM items "
                     f"WHERE session_id = ? AND kind = ? AND {trash}{fav} "
                     f"ORDER BY created_at DESC, rowid DESC LIMIT ?)")
        params.extend([session_id, kind, limit + offset])
    sql = (f"SELECT i.* FROM ({' UNION ALL '.join(parts)} ORDER BY c DESC, r DESC "
           f"LIMIT ? OFFSET ?) AS page JOIN items i ON i.rowid = page.r ORDER BY page.c DESC, page.r DESC")
    return [Item.from_row(r) for r in lib.query(sql, [*params, limit, offset])]


def list_item_ids(lib: Library, *, session_id: str, kinds: Iterable[str] | None = None,
                  trashed: bool = False) -> list[str]:
    """Every id of a session's items of these kinds, newest first: what a view model
    holds (rows themselves load lazily). About 2 ms for 20,000 ids."""
    kinds = _kinds(kinds)
    if not kinds:
        return []
    trash = "trashed_at IS NOT NULL" if trashed else "trashed_at IS NULL"
    marks = ", ".join("?" for _ in kinds)
    return [r[0] for r in lib.query(
        f"SELECT id FROM items WHERE session_id = ? AND kind IN ({marks}) AND {trash} "
        f"ORDER BY created_at DESC, rowid DESC", [session_id, *kinds])]


def get_items(lib: Library, item_ids: list[str]) -> dict[str, Item]:
    """Rows for a batch of ids (a view's visible range), without their inputs."""
    out: dict[str, Item] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in lib.query(f"SELECT * FROM items WHERE id IN ({marks})", chunk):
            out[r["id"]] = Item.from_row(r)
    return out


def count_items(lib: Library, *, session_id: str, kinds: Iterable[str] | None = None) -> dict[str, int]:
    kinds = _kinds(kinds)
    counts = {k: 0 for k in kinds}
    marks = ", ".join("?" for _ in kinds)
    for kind, n in lib.query(f"SELECT kind, count(*) FROM items WHERE session_id = ? AND kind IN "
                             f"({marks}) AND trashed_at IS NULL GROUP BY kind", [session_id, *kinds]):
        counts[kind] = n
    return counts


def list_trash(lib: Library, *, limit: int = 200) -> dict[str, list[Any]]:
    """What the Trash view shows: trashed sessions, and trashed items of live sessions."""
    from ..core.models import Session
    sessions = [Session.from_row(r) for r in lib.query(
        "SELECT * FROM sessions WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC LIMIT ?", [limit])]
    items = [Item.from_row(r) for r in lib.query(
        "SELECT i.* FROM items i JOIN sessions s ON s.id = i.session_id "
        "WHERE i.trashed_at IS NOT NULL AND s.trashed_at IS NULL "
        "ORDER BY i.trashed_at DESC LIMIT ?", [limit])]
    return {"sessions": sessions, "items": items}


def children_of(lib: Library, item_id: str) -> list[Item]:
    """Items made from this one (lineage), oldest first."""
    return [Item.from_row(r) for r in lib.query(
        "SELECT * FROM items WHERE parent_id = ? ORDER BY created_at", [item_id])]
