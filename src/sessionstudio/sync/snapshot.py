"""Snapshots: a device's whole merged state in one file, so a new device joins fast.

    snapshots/<device>/<seq>.<sha256>.jsonl.gz   header: {"kind": "snapshot",
                                                          "covers": {device: seq, ...}}

A snapshot holds every row's state (values and stamps, tombstones with their images),
and `covers` names, per device, the log segments 1..seq whose records it already holds.
A device that has merged nothing yet merges the best snapshot, then reads only the
segments after what it covers. Merging is idempotent and order-free, so a snapshot is
never wrong to apply, only possibly unnecessary; segments are never deleted.
"""

from __future__ import annotations

import hashlib
import json

from . import layout
from . import rows as R

SNAPSHOTS = "snapshots"
SNAPSHOT_EVERY = 20_000   # records published or merged since the last snapshot


def snapshot_path(device: str, seq: int, sha: str) -> str:
    return f"{SNAPSHOTS}/{device}/{seq:010d}.{sha}{layout.SEGMENT_EXT}"


def covered(lib, own: str, own_published: int) -> dict[str, int]:
    """Per device, the longest run of segments 1..n this catalog has merged."""
    seqs: dict[str, set[int]] = {}
    for dev, seq in lib.query("SELECT device, seq FROM sync_applied"):
        seqs.setdefault(dev, set()).add(seq)
    with lib.reading() as conn:
        prior = json.loads(R.meta_get(conn, "covered", "{}"))
    out = {}
    for dev, have in seqs.items():
        n = prior.get(dev, 0)
        while n + 1 in have:
            n += 1
        out[dev] = n
    for dev, n in prior.items():
        out[dev] = max(out.get(dev, 0), n)
    if own_published:
        out[own] = own_published
    return out


def state_records(lib) -> list[dict]:
    out = []
    with lib.reading() as conn:
        for tbl, pk in conn.execute("SELECT tbl, pk FROM sync_rows ORDER BY tbl, pk").fetchall():
            st = R.load(conn, tbl, pk)
            values = st.image if st.state != "live" else R.catalog_row(conn, tbl, pk)
            if values is not None and st.stamps:
                out.append({"t": tbl, "k": pk, "v": values, "s": st.stamps})
            if st.state == "dead" and st.seen:
                out.append({"t": tbl, "k": pk, "d": st.seen})
    order = {t: i for i, t in enumerate(R.SYNCED)}
    out.sort(key=lambda r: (order[r["t"]], "d" in r))
    return out


def write_snapshot(engine) -> str:
    """Publish this device's state as a snapshot; returns its path."""
    lib, dev = engine.lib, engine.device
    published = int(engine.meta("next_seq", "1")) - 1
    covers = covered(lib, dev.id, published)
    seq = int(engine.meta("next_snapshot", "1"))
    header = {"device": dev.id, "name": dev.name, "seq": seq, "kind": "snapshot",
              "covers": covers, "wall": engine.clock(), "format": 1}
    data = layout.encode_segment(header, state_records(lib))
    sha = hashlib.sha256(data).hexdigest()
    path = snapshot_path(dev.id, seq, sha)
    engine.target.write_new_atomic(path, data, sha)
    engine.set_meta(next_snapshot=seq + 1, since_snapshot=0)
    return path


def best_snapshot(engine):
    """(path, Segment) of the snapshot covering the most segments, or None."""
    best = None
    for e in engine.target.list(SNAPSHOTS):
        parsed = layout.parse_segment_name(e.path.rsplit("/", 1)[-1])
        if parsed is None or parsed.conflict is not None:
            continue
        try:
            data = engine.target.read(e.path)
        except FileNotFoundError:
            continue
        if hashlib.sha256(data).hexdigest() != parsed.sha:
            continue   # still arriving
        seg = layout.decode_segment(data)
        if not seg.complete or seg.header.get("kind") != "snapshot":
            continue
        score = sum(seg.header.get("covers", {}).values())
        if best is None or score > best[0]:
            best = (score, e.path, seg)
    return (best[1], best[2]) if best else None
