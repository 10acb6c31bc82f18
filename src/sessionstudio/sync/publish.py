"""Publishing the outbox: assets first, then the log segment that names them.

A segment is written once under devices/<device>/log/<seq>.<sha256>.jsonl.gz and its
records leave the outbox only after it read back intact. A crash (or kill -9) between
the two leaves the records queued: they go out again in the next segment, and readers
merge the duplicates away. The next sequence number is never below what the target
already holds for this device, so a restored or re-run library never reuses a name.
"""

from __future__ import annotations

import hashlib
import json

from . import blobs, layout
from . import rows as R

SEGMENT_RECORDS = 5000
SEGMENT_BYTES = 8 << 20


def next_seq_on_target(target, device: str) -> int:
    top = 0
    for e in target.list(f"{layout.DEVICES}/{device}"):
        parsed = layout.parse_segment_name(e.path.rsplit("/", 1)[-1])
        if parsed:
            top = max(top, parsed.seq)
    return top + 1


def _batch(lib) -> tuple[list[dict], int]:
    rows = lib.query("SELECT n, body FROM sync_outbox ORDER BY n LIMIT ?", [SEGMENT_RECORDS])
    records, size, last = [], 0, 0
    for n, body in rows:
        if records and size + len(body) > SEGMENT_BYTES:
            break
        records.append(json.loads(body))
        size += len(body)
        last = n
    return records, last


def publish(engine) -> dict:
    """Send everything queued. Returns counts; raises TargetError if the target refuses
    (what was not sent stays queued)."""
    lib, target = engine.lib, engine.target
    out = {"records": 0, "segments": 0, "blobs": 0, "bytes": 0}
    while True:
        records, last = _batch(lib)
        if not records:
            return out
        up, nbytes = blobs.upload(lib, target, blobs.referenced_hashes(records))
        out["blobs"] += len(up)
        out["bytes"] += nbytes
        seq = max(int(engine.meta("next_seq", "1")), engine.min_seq)
        header = {"device": engine.device.id, "name": engine.device.name, "seq": seq,
                  "wall": engine.clock(), "offset": engine.clock_offset, "format": 1}
        data = layout.encode_segment(header, records)
        sha = hashlib.sha256(data).hexdigest()
        target.write_new_atomic(layout.segment_path(engine.device.id, seq, sha), data, sha)
        engine.note_reference()
        out["bytes"] += len(data)

        def done(tx, last=last, seq=seq, up=up) -> None:
            tx.conn.execute("DELETE FROM sync_outbox WHERE n <= ?", [last])
            R.meta_set(tx.conn, "next_seq", seq + 1)
            blobs.mark_up(tx.conn, up, engine.clock())
        lib.write("Sync: published", done, undoable=False)
        engine.min_seq = seq + 1
        out["records"] += len(records)
        out["segments"] += 1
