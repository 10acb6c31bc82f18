"""Writing a decided merge into the catalog, through the library's journaled Tx so the
views refresh from the same Changes as for local edits.

Parents are written before children and children deleted before parents; a write the
database refuses (a foreign key to a row that is not there) is retried after the others
and, failing that, parked. A row that only local, unsynced data still points at (a
job's history) is moved to the local trash instead of being deleted.
"""

from __future__ import annotations

import sqlite3

from . import outbox
from . import rows as R
from .hlc import HLC
from .merge import RowMerge, compact


def _restore_edit(m: RowMerge, hlc: HLC, cols: list[str]) -> dict:
    """This device's edit that brings a row back everywhere: trashed_at cleared with a
    stamp newer than the purge's, so every device's tombstone check lets it live."""
    st = m.st
    floor = max(R.newest(st.stamps), R.newest(st.seen))
    s = hlc.tick(floor=floor if floor != R.ZERO else None)
    if "trashed_at" in cols:
        st.stamps["trashed_at"] = [s, R.stamp(st.stamps, "trashed_at")]
        m.values["trashed_at"] = None
    else:
        st.stamps = {"*": [s, None]}
    return {"t": st.tbl, "k": st.pk, "v": m.values, "s": st.stamps}


def _write_row(tx, m: RowMerge, cols: list[str]) -> bool:
    """Insert or update the catalog row to m.values; True if something was written."""
    data = {c: m.values[c] for c in cols if c in m.values}
    current = R.catalog_row(tx.conn, m.st.tbl, m.st.pk)
    if current is None:
        tx.insert(m.st.tbl, data)
        return True
    diff = {c: v for c, v in data.items() if c != "id" and current.get(c) != v}
    if diff:
        tx.update(m.st.tbl, m.st.pk, **diff)
    return bool(diff)


def _passes(items: list, attempt) -> list:
    """Try each item; retry refused ones while any progress is made. Returns the refused
    items with their errors."""
    pending = list(items)
    while pending:
        refused = []
        for it in pending:
            try:
                attempt(it)
            except sqlite3.IntegrityError as exc:
                refused.append((it, str(exc)))
        if len(refused) == len(pending):
            return refused
        pending = [it for it, _ in refused]
    return []


def apply(tx, merges: dict, hlc: HLC, now: int) -> dict:
    """Write the merges; returns counts and the asset hashes the catalog now needs."""
    conn = tx.conn
    order = {t: i for i, t in enumerate(R.SYNCED)}
    keys = sorted(merges, key=lambda k: order[k[0]])
    queued: list[dict] = []
    stats = {"written": 0, "deleted": 0, "parked": 0, "restored": 0, "kept_local": 0,
             "hashes": set(), "problems": []}
    for key in keys:
        m = merges[key]
        if m.live and m.restore:
            queued.append(_restore_edit(m, hlc, R.columns(conn, key[0])))
            stats["restored"] += 1
        elif m.live and m.st.seen and not m.was_live:
            # Back from this device's own tombstone image: others may hold an older
            # image, so send ours (stamps unchanged; the newer stamp wins everywhere).
            queued.append({"t": key[0], "k": key[1], "v": m.values, "s": m.st.stamps})

    def upsert(m: RowMerge) -> None:
        if _write_row(tx, m, R.columns(conn, m.st.tbl)):
            stats["written"] += 1

    live = [merges[k] for k in keys if merges[k].live and not merges[k].parked]
    for m, err in _passes(live, upsert):
        m.parked = True
        stats["problems"].append(f"{m.st.tbl} {m.st.pk} waits: {err}")

    def remove(m: RowMerge) -> None:
        if R.catalog_row(conn, m.st.tbl, m.st.pk) is not None:
            tx.delete(m.st.tbl, m.st.pk)
            stats["deleted"] += 1

    gone = [merges[k] for k in reversed(keys) if not merges[k].live and merges[k].row is not None]
    for m, _err in _passes(gone, remove):
        # Still referenced by local-only rows (jobs): keep it here, in the trash.
        cols = R.columns(conn, m.st.tbl)
        current = R.catalog_row(conn, m.st.tbl, m.st.pk)
        if "trashed_at" in cols and current and current.get("trashed_at") is None:
            tx.update(m.st.tbl, m.st.pk, trashed_at=now)
        stats["kept_local"] += 1

    for key in keys:
        m = merges[key]
        st = m.st
        if m.values is not None:
            st.stamps = compact(st.stamps, m.values.keys())
        if m.live and not m.parked:
            st.state, st.image = "live", None
            h = m.values.get("asset_hash")
            if h:
                stats["hashes"].add(h)
        elif m.live:
            st.state, st.image = "parked", m.values
            stats["parked"] += 1
        else:
            st.state = "dead"
            st.image = m.values if m.values is not None else (
                {k: v for k, v in m.row.items() if k != "_rowid"} if m.row else st.image)
        if st.stamps or st.seen:
            R.save(conn, st)
    outbox.queue(conn, queued)
    return stats
