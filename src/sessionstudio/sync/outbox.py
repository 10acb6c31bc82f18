"""From the operations log to sync records: the outbox.

Every local write is already in `ops`/`op_rows` (same transaction as the change), so
nothing is lost if the app dies before sync runs. stamp_local() reads the ops this
device made since the last call (remote ones carry ops.origin and are skipped), works
out which rows and fields they touched, and turns each row into one record stamped
with the hybrid logical clock:
  put: {"t": table, "k": id, "v": the row's values, "s": stamp map}
  del: {"t": table, "k": id, "d": tombstone map (the stamps this device had seen)}
Records wait in sync_outbox until published; rows that never went through the journal
(older libraries, rows made before sync was set up) are found and stamped whole.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from . import rows as R
from .hlc import HLC

ALL = None   # "every field" in the touched map


def _touch(touched: dict, key: tuple[str, str], fields, pt: int, image: Any = None) -> None:
    cur = touched.get(key)
    if cur is None:
        touched[key] = cur = {"fields": set(), "all": False, "pt": pt, "image": None}
    if fields is ALL:
        cur["all"] = True
    else:
        cur["fields"].update(fields)
    cur["pt"] = max(cur["pt"], pt)
    if image is not None:
        cur["image"] = image


def _steps(conn: sqlite3.Connection, upto: int) -> tuple[dict, int]:
    """Rows touched by this device's ops after `upto`, and the newest op seq seen.
    Per row: the fields edited, whether it was (re)inserted whole, and the last image
    of it if it was removed (so its tombstone can bring it back later)."""
    touched: dict = {}
    last = upto
    ops = conn.execute("SELECT seq, kind, target_seq, created_at, origin FROM ops WHERE seq > ? "
                       "ORDER BY seq", [upto]).fetchall()
    for op in ops:
        last = op["seq"]
        if op["origin"] is not None:
            continue
        undo = op["kind"] == "undo"
        src = op["target_seq"] if op["kind"] in ("undo", "redo") else op["seq"]
        pt = op["created_at"]
        for s in conn.execute("SELECT tbl, pk, action, before, after FROM op_rows WHERE op_seq = ?",
                              [src]):
            tbl, action = s["tbl"], s["action"]
            if tbl not in R.SYNCED:
                continue
            if action == "u":
                stored = s["before"] or s["after"]
                _touch(touched, (tbl, s["pk"]), set(json.loads(stored)) if stored else ALL, pt)
            elif action == "r":
                lo, hi = (int(x) for x in s["pk"].split("-"))
                for row in json.loads(s["after"] or "[]"):   # rows an undo took away
                    _touch(touched, (tbl, row["id"]), set(), pt, image=row)
                for (pk,) in conn.execute(f"SELECT id FROM {tbl} WHERE rowid BETWEEN ? AND ?", [lo, hi]):
                    _touch(touched, (tbl, pk), ALL, pt)
            elif (action == "i") != undo:
                _touch(touched, (tbl, s["pk"]), ALL, pt)      # inserted, or a purge undone
            else:
                # Removed (a purge, or an insert undone): keep its last image.
                stored = s["before"] if action == "d" else s["after"]
                _touch(touched, (tbl, s["pk"]), set(), pt,
                       image=json.loads(stored) if stored else None)
    return touched, last


def _unstamped(conn: sqlite3.Connection, touched: dict, pt: int) -> None:
    """Catalog rows sync has never seen (made before setup, or outside the journal)."""
    for tbl in R.SYNCED:
        for (pk,) in conn.execute(f"SELECT id FROM {tbl} WHERE id NOT IN "
                                  f"(SELECT pk FROM sync_rows WHERE tbl = '{tbl}')"):
            _touch(touched, (tbl, pk), ALL, pt)


def _clean(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {k: v for k, v in row.items() if k != "_rowid"}


def _edit_stamps(st: R.RowState, hlc: HLC, info: dict, fields) -> None:
    """New stamps for a local edit of `fields` (None: the whole row)."""
    if fields is None:
        floor = max(R.newest(st.stamps), R.newest(st.seen))
        s = hlc.tick(info["pt"], floor=floor if floor != R.ZERO else None)
        st.stamps = {"*": [s, None]}
        return
    floor = max(R.stamp(st.stamps, f) for f in fields)
    s = hlc.tick(info["pt"], floor=floor if floor != R.ZERO else None)
    for f in fields:
        st.stamps[f] = [s, R.stamp(st.stamps, f)]


def stamp_row(conn: sqlite3.Connection, hlc: HLC, tbl: str, pk: str, info: dict) -> list[dict]:
    """Update one row's sync state for a local change; returns the records to publish."""
    st = R.load(conn, tbl, pk)
    row = R.catalog_row(conn, tbl, pk)
    parked = st.state == "parked" and st.image is not None
    if row is None:
        image = _clean(info.get("image"))
        if st.state == "dead" and st.known or (not st.known and image is None):
            return []   # already dead here, or nothing to tell
        out = []
        edited = [f for f in info["fields"] if image and f in image]
        if parked:
            # The catalog held a stale copy (merged values wait in st.image): only the
            # fields edited here come from it.
            image = {**st.image, **{f: image[f] for f in edited}} if image else dict(st.image)
        if image and (edited or info["all"] or not st.known):
            # Made or edited, then removed, before sync ran: publish the row first (a
            # child published meanwhile may name it), so every device's tombstone image
            # agrees with its stamps and can bring the row back if a child needs it.
            _edit_stamps(st, hlc, info, None if info["all"] or not st.known else edited)
            out.append({"t": tbl, "k": pk, "v": image, "s": st.stamps})
        st.seen = R.join(st.seen, st.stamps)
        st.image = image or st.image
        st.state = "dead"
        R.save(conn, st)
        return out + [{"t": tbl, "k": pk, "d": st.seen}]
    if not st.known or st.state == "dead" or info["all"]:
        _edit_stamps(st, hlc, info, None)
        values = {**st.image, **row} if parked else row
        if parked:
            st.image = values
        else:
            st.state, st.image = "live", None
    else:
        fields = [f for f in info["fields"] if f in row]
        if not fields:
            return []
        _edit_stamps(st, hlc, info, fields)
        if parked:
            # Waiting for a parent: the merged values are in image; lay the edit over them.
            values = {**st.image, **{f: row[f] for f in fields}}
            st.image = values
        else:
            values = row
    R.save(conn, st)
    return [{"t": tbl, "k": pk, "v": values, "s": st.stamps}]


def queue(conn: sqlite3.Connection, records: list[dict]) -> None:
    conn.executemany("INSERT INTO sync_outbox (body) VALUES (?)",
                     [(json.dumps(r, separators=(",", ":"), ensure_ascii=False),) for r in records])


def stamp_local(conn: sqlite3.Connection, hlc: HLC, now: int, *, full: bool = False) -> int:
    """Stamp this device's unpublished changes into the outbox. Call inside a write
    transaction. `full` also looks for rows sync has never seen (a scan of every
    table: done once per start, not every round). Returns how many records were queued."""
    upto = int(R.meta_get(conn, "stamped_upto", "0"))
    touched, last = _steps(conn, upto)
    if full:
        _unstamped(conn, touched, now)
    order = {t: i for i, t in enumerate(R.SYNCED)}
    records = []
    # Parents first, so a receiver seldom has to park a child waiting for its parent.
    for (tbl, pk), info in sorted(touched.items(), key=lambda kv: order[kv[0][0]]):
        records.extend(stamp_row(conn, hlc, tbl, pk, info))
    queue(conn, records)
    if last != upto:
        R.meta_set(conn, "stamped_upto", last)
    R.meta_set(conn, "hlc", hlc.state())
    return len(records)


def pending_local(conn: sqlite3.Connection) -> int:
    """Local changes not yet published: queued records plus ops not yet stamped."""
    upto = int(R.meta_get(conn, "stamped_upto", "0"))
    ops = conn.execute("SELECT count(*) FROM ops WHERE seq > ? AND origin IS NULL", [upto]).fetchone()[0]
    return conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] + ops
