"""Merging incoming records into row states: per-field last-writer-wins by HLC stamp.

The result does not depend on the order records arrive in, nor on duplicates: a field
takes a value only from a strictly newer stamp, tombstones join by taking the newer
stamp per field, and liveness is computed from the two. The value that loses is kept
in sync_conflicts ("also edited on <device>") unless the winner was written on top of
it (its prev stamp is at least the loser's: a superseded value, not a concurrent one).
plan.py then decides what the catalog must look like; apply.py writes it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from . import rows as R
from .hlc import device_of


@dataclass
class RowMerge:
    st: R.RowState
    row: dict | None             # the catalog row before this merge
    values: dict | None          # merged values (None: nothing known but a tombstone)
    was_live: bool
    got_delete: bool = False
    live: bool = False           # final: the catalog should hold `values`
    parked: bool = False         # wanted live, but its parent row is not available
    restore: bool = False        # a purge did not take it: bring it back from the trash
    force: bool = False          # kept or revived for a child's sake (stamps alone say gone)
    changed: set = field(default_factory=set)


def superseded(winner: list, loser: list) -> bool:
    """True if the winning value was written by someone who had seen the loser."""
    return winner[1] is not None and winner[1] >= loser[0]


def _record_conflict(conn, tbl, pk, f, value, lost: list, won: list, now: int) -> int:
    cur = conn.execute(
        "INSERT OR IGNORE INTO sync_conflicts (tbl, pk, field, value, stamp, device, "
        "winner_stamp, winner_device, noticed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [tbl, pk, f, json.dumps(value, ensure_ascii=False), lost[0], device_of(lost[0]),
         won[0], device_of(won[0]), now])
    return cur.rowcount


def merge_fields(conn, m: RowMerge, rec: dict, now: int) -> int:
    """Fold one put record into m; returns the number of conflicts noted."""
    st, conflicts = m.st, 0
    if m.values is None:
        m.values = {}
    inc_s = rec.get("s") or {}
    for f, v in (rec.get("v") or {}).items():
        si = R.get(inc_s, f)
        if f not in m.values:
            m.values[f] = v
            st.stamps[f] = si
            m.changed.add(f)
            continue
        sl = R.get(st.stamps, f)
        if si[0] == sl[0]:
            continue
        same = m.values[f] == v
        quiet = same or f in R.QUIET
        if si[0] > sl[0]:
            if not quiet and not superseded(si, sl):
                conflicts += _record_conflict(conn, st.tbl, st.pk, f, m.values[f], sl, si, now)
            if not same:
                m.changed.add(f)
            m.values[f] = v
            st.stamps[f] = si
        elif not quiet and not superseded(sl, si):
            conflicts += _record_conflict(conn, st.tbl, st.pk, f, v, si, sl, now)
    return conflicts


def compact(stamps: dict, fields) -> dict:
    """Fold the most common stamp into "*" so a row's map stays a few bytes."""
    fields = [f for f in fields if f != "*"]
    if not fields:
        return stamps
    counts: dict[tuple, int] = {}
    for f in fields:
        key = tuple(R.get(stamps, f))
        counts[key] = counts.get(key, 0) + 1
    common = max(counts, key=counts.get)
    out = {"*": list(common)}
    for f in fields:
        entry = R.get(stamps, f)
        if tuple(entry) != common:
            out[f] = entry
    return out


def begin(conn: sqlite3.Connection, tbl: str, pk: str) -> RowMerge:
    st = R.load(conn, tbl, pk)
    row = R.catalog_row(conn, tbl, pk)
    if row is not None and (st.state == "live" or not st.known):
        values: dict | None = dict(row)
    else:
        values = dict(st.image) if st.image else None
    was_live = row is not None and st.state != "dead"
    return RowMerge(st, row, values, was_live)


def merge_all(conn: sqlite3.Connection, records: list[dict], now: int) -> tuple[dict, int, str]:
    """Fold records into row merges. Returns ({(tbl, pk): RowMerge}, conflicts, max stamp)."""
    merges: dict[tuple[str, str], RowMerge] = {}
    conflicts = 0
    top = R.ZERO
    for rec in records:
        tbl, pk = rec.get("t"), rec.get("k")
        if tbl not in R.SYNCED or not isinstance(pk, str):
            continue
        key = (tbl, pk)
        m = merges.get(key)
        if m is None:
            m = merges[key] = begin(conn, tbl, pk)
        if "d" in rec:
            m.st.seen = R.join(m.st.seen, rec["d"])
            m.got_delete = True
            top = max(top, R.newest(rec["d"]))
        elif "v" in rec:
            conflicts += merge_fields(conn, m, rec, now)
            top = max(top, R.newest(rec.get("s")))
    # Rows parked earlier get another chance each time.
    for tbl, pk in conn.execute("SELECT tbl, pk FROM sync_rows WHERE state = 'parked'").fetchall():
        if (tbl, pk) not in merges:
            merges[(tbl, pk)] = begin(conn, tbl, pk)
    for m in merges.values():
        m.live = m.values is not None and R.alive(m.st.stamps, m.st.seen, m.values.keys())
        if m.live and (m.got_delete or (m.st.seen and not m.was_live)):
            # A purge elsewhere that did not take this row (it holds edits the purging
            # device had not seen): show it restored, not silently still in the trash.
            m.restore = (m.values or {}).get("trashed_at") is not None
    return merges, conflicts, top
