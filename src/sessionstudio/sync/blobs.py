"""Assets between the local store and the target's blobs/ folder.

Up: before a segment that names an asset is published, the asset is uploaded (then
remembered as 'up' so it is not checked again). Down: an item whose asset has not
arrived is listed in sync_blobs as 'missing' (the item shows as pending); each round
tries to fetch it, and its bytes enter the store only if their SHA-256 matches. A blob
that is absent or does not match yet is "still syncing": kept missing, tried again.
"""

from __future__ import annotations

import os

from ..core.errors import StoreError
from . import layout
from .transfer import copy_hashed, run_parallel


def referenced_hashes(records: list[dict]) -> set[str]:
    out = set()
    for r in records:
        h = (r.get("v") or {}).get("asset_hash")
        if h and r.get("t") in ("items", "item_inputs"):
            out.add(h)
    return out


def upload(lib, target, hashes: set[str]) -> tuple[list[str], int]:
    """Upload what the target lacks, two at a time. Returns (hashes now known up, bytes
    written); raises the first TargetError after the others are done."""
    if not hashes:
        return [], 0
    with lib.reading() as conn:
        todo = [h for h in sorted(hashes) if lib.store.has(h) and not conn.execute(
            "SELECT 1 FROM sync_blobs WHERE hash = ? AND state = 'up'", [h]).fetchone()]
    # (Not in the store: it came from elsewhere and has not arrived; its owner uploads it.)

    def one(h: str) -> int:
        path = layout.blob_path(h)
        if target.exists(path):
            return 0
        src = lib.store.path(h)
        return src.stat().st_size if target.write_new_atomic(path, src, h) else 0
    results = run_parallel(one, todo)
    done = [h for h, r in zip(todo, results) if not isinstance(r, Exception)]
    written = sum(r for r in results if not isinstance(r, Exception))
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        lib.write("Sync: assets sent", lambda tx: mark_up(tx.conn, done, 0), undoable=False)
        raise errors[0]
    return done, written


def mark_up(conn, hashes: list[str], now: int) -> None:
    conn.executemany("INSERT OR REPLACE INTO sync_blobs (hash, state, since) VALUES (?, 'up', ?)",
                     [(h, now) for h in hashes])


def note_missing(conn, store, hashes, now: int) -> int:
    """Record the assets the catalog now names but the store lacks."""
    missing = [(h, now) for h in hashes if not store.has(h)]
    conn.executemany("INSERT OR IGNORE INTO sync_blobs (hash, state, since) VALUES (?, 'missing', ?)",
                     missing)
    return len(missing)


def scan_missing(lib, now: int) -> None:
    """Once per start: every asset the catalog names that the store lacks."""
    hashes = {r[0] for r in lib.query("SELECT DISTINCT asset_hash FROM items UNION "
                                      "SELECT DISTINCT asset_hash FROM item_inputs "
                                      "WHERE asset_hash IS NOT NULL") if r[0]}
    lib.write("Sync: find missing assets", lambda tx: note_missing(tx.conn, lib.store, hashes, now),
              undoable=False)


def _find(target, h: str) -> str | None:
    """The blob's path, or a cloud client's copy of it when only that exists."""
    path = layout.blob_path(h)
    if target.exists(path):
        return path
    for e in target.list(path.rsplit("/", 1)[0]):
        parsed = layout.parse_blob_name(e.path.rsplit("/", 1)[-1])
        if parsed and parsed[0] == h:
            return e.path
    return None


def _fetch(lib, target, h: str) -> int:
    """Copy one blob into the store, hashing as it comes; only a match gets in."""
    path = _find(target, h)
    if path is None:
        raise FileNotFoundError("not on the target yet")
    fd, tmp = lib.store.new_temp()
    try:
        with os.fdopen(fd, "wb") as out, target.open(path) as src:
            got, size = copy_hashed(src, out.fileno(), readback_path=tmp)
        if got != h:
            raise StoreError(f"{path} is incomplete or damaged (still syncing?)")
        lib.store.adopt(tmp, h)
        tmp = None
        return size
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def download(lib, target, now: int, limit: int | None = None) -> tuple[int, int, int]:
    """Fetch missing assets, two at a time. Returns (fetched, still missing, bytes)."""
    missing = [r[0] for r in lib.query("SELECT hash FROM sync_blobs WHERE state = 'missing' "
                                       "ORDER BY since")]
    missing = missing[:limit] if limit else missing
    todo = [h for h in missing if not lib.store.has(h)]
    results = dict(zip(todo, run_parallel(lambda h: _fetch(lib, target, h), todo)))
    got = [h for h in missing if not isinstance(results.get(h, 0), Exception)]
    failed = [(h, str(r)) for h, r in results.items() if isinstance(r, Exception)]
    fetched = sum(1 for r in results.values() if not isinstance(r, Exception))
    nbytes = sum(r for r in results.values() if not isinstance(r, Exception))

    def op(tx) -> None:
        tx.conn.executemany("DELETE FROM sync_blobs WHERE hash = ?", [(h,) for h in got])
        # The items showing these as pending repaint from this change (previews, players).
        # (No index on asset_hash: one scan per 500 arrivals, not one per asset.)
        for i in range(0, len(got), 500):
            part = got[i:i + 500]
            for iid, sid in tx.conn.execute(
                    f"SELECT id, session_id FROM items WHERE asset_hash IN ({','.join('?' * len(part))})",
                    part).fetchall():
                tx.changes.touch("items", iid)
                tx.changes.session_contents.add(sid)
        tx.conn.executemany("UPDATE sync_blobs SET attempts = attempts + 1, error = ? WHERE hash = ?",
                            [(err, h) for h, err in failed])
    if got or failed:
        lib.write("Sync: assets arrived", op, undoable=False)
    return fetched, len(missing) - len(got), nbytes


def pending_assets(lib) -> set[str]:
    """Assets named by items that have not arrived from another device yet."""
    return {r[0] for r in lib.query("SELECT hash FROM sync_blobs WHERE state = 'missing'")}


def is_pending(lib, asset_hash: str) -> bool:
    return bool(lib.query("SELECT 1 FROM sync_blobs WHERE hash = ? AND state = 'missing'",
                          [asset_hash]))

