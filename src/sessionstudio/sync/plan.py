"""Deciding what the catalog must hold after a merge, parent and child rows together.

Two rules make a purge remove only what the purging device had seen:
- a row that would go away but still has live children here (items added to a session
  elsewhere while it was purged) stays, and is restored from the trash;
- a live row whose parent is gone brings the parent back from its last image (what a
  device that purged it kept); with no image it waits ("parked") until the parent
  arrives, and is never dropped.
Both run to a fixed point, since keeping a session can keep its folder too.
"""

from __future__ import annotations

import sqlite3

from . import rows as R
from .merge import RowMerge, begin


def _parent_key(tbl: str, values: dict | None) -> tuple[str, str] | None:
    col, ptbl = R.PARENT[tbl]
    if col is None:
        return None
    pid = (values or {}).get(col)
    return (ptbl, pid) if pid else None


def _final_live(conn, merges: dict, key) -> bool:
    m = merges.get(key)
    if m is not None:
        return m.live and not m.parked
    return conn.execute(f"SELECT 1 FROM {key[0]} WHERE id = ?", [key[1]]).fetchone() is not None


def _has_live_children(conn, merges: dict, key, wanted: set) -> bool:
    """`wanted`: parents named by the merge's live rows (built once per pass)."""
    if key in wanted:
        return True
    tbl, pk = key
    for ctbl, col in R.CHILDREN[tbl]:
        for (cid,) in conn.execute(f"SELECT id FROM {ctbl} WHERE {col} = ?", [pk]):
            m = merges.get((ctbl, cid))
            if m is None:
                return True       # untouched by this merge: stays, and needs its parent
            if m.live and not m.parked and (m.values or {}).get(col) == pk:
                return True
    return False


def _revive(m: RowMerge) -> bool:
    """Make a row that would be gone live again, from the best values we have."""
    if m.values is None:
        m.values = dict(m.st.image) if m.st.image else (dict(m.row) if m.row else None)
    if m.values is None:
        return False
    m.live, m.parked, m.restore, m.force = True, False, True, True
    return True


def decide(conn: sqlite3.Connection, merges: dict) -> None:
    """Settle live/parked/restore for every merge, adding parents it pulls in."""
    changed = True
    while changed:
        changed = False
        wanted = {_parent_key(k[0], m.values) for k, m in merges.items() if m.live and not m.parked}
        for key, m in list(merges.items()):
            if m.live and not m.parked:
                parent = _parent_key(key[0], m.values)
                if parent is None or _final_live(conn, merges, parent):
                    continue
                pm = merges.get(parent)
                if pm is None:
                    pm = begin(conn, *parent)
                    if pm.values is None and pm.row is None:
                        m.parked = True     # the parent has not arrived yet: wait for it
                        changed = True
                        continue
                    merges[parent] = pm
                if pm.live:            # there, but itself waiting for its own parent
                    m.parked = True
                    changed = True
                    continue
                if not _revive(pm):
                    m.parked = True
                changed = True
            elif not m.live and m.row is not None and _has_live_children(conn, merges, key, wanted):
                if _revive(m):
                    changed = True


def count_deletions(merges: dict) -> int:
    """Rows of the library (sessions, items) this merge would delete or trash here."""
    n = 0
    for (tbl, _pk), m in merges.items():
        if tbl not in R.COUNTED or m.row is None:
            continue
        if not m.live:
            n += 1
        elif m.row.get("trashed_at") is None and (m.values or {}).get("trashed_at") is not None \
                and not m.restore:
            n += 1
    return n


def library_size(conn: sqlite3.Connection) -> int:
    return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in R.COUNTED)
