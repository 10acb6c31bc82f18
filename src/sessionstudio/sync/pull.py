"""Reading other devices' log segments and merging them in.

Each segment is taken whole or not at all: its SHA-256 must match its name (a file a
cloud client is still writing does not, and is retried next round), and it is marked
applied in the same transaction that merges it. A conflict copy, whose name no longer
states its hash, is taken once its gzip stream and end line are intact. A line that is
not a record is skipped and reported. Everything from one device is merged in one
transaction, after this device's own pending edits are stamped (so they compete), and
is held back if it would delete more than a quarter of the library.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from . import layout, outbox
from . import rows as R
from .apply import apply
from .blobs import note_missing
from .merge import merge_all
from .plan import count_deletions, decide, library_size

SKEW_MS = 2 * 60 * 1000


class DeletesHeld(Exception):
    def __init__(self, device: str, name: str, count: int, total: int):
        super().__init__(f"{name} would delete {count} of {total} sessions and items")
        self.device, self.name, self.count, self.total = device, name, count, total


def _hours(ms: int) -> str:
    h = abs(ms) / 3_600_000
    return f"{h:.1f} h" if h >= 1 else f"{abs(ms) // 60000} min"


def scan(engine) -> tuple[dict, list[str]]:
    """New segments grouped by device: {device: [(path, seq, sha, Segment)]}, and the
    paths still arriving."""
    lib, target, own = engine.lib, engine.target, engine.device.id
    applied = {r[0] for r in lib.query("SELECT path FROM sync_applied")}
    covers = json.loads(engine.meta("covered", "{}"))
    groups: dict[str, list] = defaultdict(list)
    arriving: list[str] = []
    for e in target.list(layout.DEVICES):
        name = e.path.rsplit("/", 1)[-1]
        parsed = layout.parse_segment_name(name)
        if parsed is None or e.path in applied:
            continue
        parts = e.path.split("/")
        dev_dir = parts[1] if len(parts) > 2 else ""
        if dev_dir == own and parsed.conflict is None:
            continue   # our own segment: its records came from this catalog
        if parsed.seq <= covers.get(dev_dir, 0):
            continue   # already in the snapshot this device joined from
        try:
            data = target.read(e.path)
        except FileNotFoundError:
            continue
        intact = hashlib.sha256(data).hexdigest() == parsed.sha
        seg = layout.decode_segment(data)
        if not intact and (parsed.conflict is None or not seg.complete):
            arriving.append(e.path)
            continue
        if seg.bad_lines:
            engine.problem(f"{e.path}: line {', '.join(map(str, seg.bad_lines[:5]))} is corrupt "
                           "and was skipped")
        elif not seg.complete:
            engine.problem(f"{e.path} is damaged (its end is missing); its readable records "
                           "were merged")
        device = str(seg.header.get("device") or dev_dir)
        groups[device].append((e.path, parsed.seq, parsed.sha, seg))
    for segs in groups.values():
        segs.sort(key=lambda s: s[1])
    return groups, arriving


def check_clock(engine, device: str, header: dict) -> None:
    """Name a device whose clock is off (kept until its newer segments say otherwise).
    A header's `offset` is its writer's clock measured against the target (file mtime
    or server Date); `wall` is its clock when written, which sync delay can put behind
    ours, but never ahead."""
    name = header.get("name") or device
    offset = header.get("offset")
    wall = header.get("wall")
    own = engine.clock_offset or 0
    note = None
    if isinstance(offset, int) and abs(offset) > SKEW_MS:
        note = (f"The clock of {name} ({device}) is {_hours(offset)} "
                f"{'behind' if offset > 0 else 'ahead'}; sync goes on, but fix its time.")
    elif isinstance(wall, int) and wall - engine.clock() > SKEW_MS and abs(own) <= SKEW_MS:
        note = (f"The clock of {name} ({device}) is {_hours(wall - engine.clock())} "
                "ahead of this device's; sync goes on, but fix its time.")
    if note:
        engine.clock_notes[device] = note
    else:
        engine.clock_notes.pop(device, None)


def merge_device(engine, device: str, segs: list, allowed: int, *, mark: bool = True) -> dict:
    """Merge one device's new segments in one transaction; raises DeletesHeld."""
    lib, hlc = engine.lib, engine.hlc
    name = str(segs[-1][3].header.get("name") or device)
    records = [r for s in segs for r in s[3].records]
    now = engine.clock()
    result: dict = {}

    def op(tx) -> None:
        conn = tx.conn
        outbox.stamp_local(conn, hlc, now)
        merges, conflicts, top = merge_all(conn, records, now)
        decide(conn, merges)
        deleting = count_deletions(merges)
        total = library_size(conn)
        if deleting >= engine.mass_delete_min and deleting * 4 > total and deleting > allowed:
            raise DeletesHeld(device, name, deleting, total)
        stats = apply(tx, merges, hlc, now)
        stats["conflicts"] = conflicts
        stats["missing"] = note_missing(conn, lib.store, stats.pop("hashes"), now)
        if top != R.ZERO and not hlc.observe(top):
            engine.problem(f"{name} ({device}) sent changes stamped far in the future; "
                           "its clock is wrong.")
        conn.executemany(   # (a snapshot is not a log segment: not marked)
            "INSERT OR REPLACE INTO sync_applied (path, device, seq, sha, records, applied_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(p, device, seq, sha, len(seg.records), now) for p, seq, sha, seg in segs if mark])
        R.meta_set(conn, "hlc", hlc.state())
        names = json.loads(R.meta_get(conn, "device_names", "{}"))
        if names.get(device) != name:   # for "also edited on <name>"
            names[device] = name
            R.meta_set(conn, "device_names", json.dumps(names))
        result.update(stats)

    lib.write(f"Sync from {name}", op, undoable=False, origin=device)
    for problem in result.get("problems", [])[:5]:
        engine.problem(problem)
    result["records"] = len(records)
    return result


def join_from_snapshot(engine) -> int:
    """A device that has merged nothing from others starts from the best snapshot."""
    from .snapshot import best_snapshot
    lib = engine.lib
    if lib.query("SELECT 1 FROM sync_applied LIMIT 1") or engine.meta("covered"):
        return 0
    found = best_snapshot(engine)
    if found is None:
        return 0
    path, seg = found
    device = str(seg.header["device"])
    merge_device(engine, device, [(path, int(seg.header["seq"]), "", seg)], 1 << 62, mark=False)
    covers = {d: int(n) for d, n in seg.header.get("covers", {}).items() if d != engine.device.id}
    engine.set_meta(covered=json.dumps(covers))
    return len(seg.records)


def pull(engine, *, confirm: bool = False) -> dict:
    joined = join_from_snapshot(engine)
    groups, arriving = scan(engine)
    out = {"segments": 0, "records": joined, "conflicts": 0, "arriving": len(arriving),
           "held": [], "snapshot_records": joined}
    if arriving:
        engine.problem(f"{len(arriving)} file(s) still arriving on the target (incomplete); "
                       "retried next round")
    for device in sorted(groups):
        segs = groups[device]
        check_clock(engine, device, segs[-1][3].header)
        allowed = 1 << 62 if confirm else engine.allowed_deletes.get(device, 0)
        try:
            stats = merge_device(engine, device, segs, allowed)
        except DeletesHeld as held:
            out["held"].append({"device": held.device, "name": held.name,
                                "count": held.count, "total": held.total})
            engine.problem(f"Waiting for you: {held} (confirm with `sessionstudio sync now "
                           "--confirm-deletes`).")
            continue
        out["segments"] += len(segs)
        out["records"] += stats["records"]
        out["conflicts"] += stats["conflicts"]
    return out
