"""One sync round, without threads: identity, stamp, publish, pull + merge, assets.

The worker (worker.py) runs rounds in the background; `sessionstudio sync now` runs
one in the foreground. Order matters: local edits are stamped before anything is
merged (so they compete with what arrives), assets go up before the segments naming
them, and the target is checked first: no FORMAT file (empty, missing, unmounted)
means nothing is written and nothing local is touched.
"""

from __future__ import annotations

import hashlib
import json

from ..core.ids import now_ms, uuid7
from . import blobs, layout, outbox
from . import rows as R
from .device import DeviceIdentity, ensure_device
from .hlc import HLC
from .publish import next_seq_on_target, publish
from .pull import pull
from .snapshot import SNAPSHOT_EVERY, write_snapshot
from .targets import TargetConflict, TargetUnavailable, TargetWriteFailed

MASS_DELETE_MIN = 20   # never ask about fewer deletions than this, whatever the fraction


class SyncEngine:
    def __init__(self, lib, target, *, clock=now_ms, mass_delete_min: int = MASS_DELETE_MIN):
        self.lib = lib
        self.target = target
        self.clock = clock
        self.mass_delete_min = mass_delete_min
        self.device: DeviceIdentity | None = None
        self.hlc: HLC | None = None
        self.min_seq = 1
        self.clock_offset: int | None = None   # target clock - our clock, when measured
        self.allowed_deletes: dict[str, int] = {}
        self.clock_notes: dict[str, str] = {}   # device -> "its clock is off by ..."
        self.problems: list[str] = []
        self.last_report: dict = {}
        self._first = True

    # -- small helpers --------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        r = self.lib.query("SELECT value FROM sync_meta WHERE key = ?", [key])
        return r[0][0] if r else default

    def set_meta(self, **values) -> None:
        self.lib.write("Sync: state", lambda tx: [R.meta_set(tx.conn, k, v) for k, v in values.items()],
                       undoable=False)

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def note_reference(self) -> None:
        """After a write: compare our clock with the target's (mtime / server Date)."""
        offset = getattr(self.target, "last_offset_ms", None)
        if offset is not None:
            # Targets measure against the system clock; ours may be injected (tests).
            self.clock_offset = offset - (self.clock() - now_ms())

    def identity(self) -> DeviceIdentity:
        ident = ensure_device(self.lib)
        if self.device is None or ident.id != self.device.id:
            self.device = ident
            self.target.device = ident.id
            self.hlc = HLC(ident.id, clock=self.clock)
            self.hlc.load(self.meta("hlc"))
            self._first = True
            if ident.renewed:   # a copied library: a new device starts its own log
                self.min_seq = 1
                self.set_meta(next_seq=1)
        elif ident.name != self.device.name:   # renamed: the next segment carries the name
            self.device = ident
        return self.device

    # -- target ---------------------------------------------------------------------------
    def read_format(self) -> dict:
        self.target.check_root()
        try:
            data = self.target.read(layout.FORMAT_PATH)
        except FileNotFoundError:
            raise TargetUnavailable(
                f"{self.target.description} has no FORMAT file: it is empty, not mounted, or "
                "not set up. Sync waits and deletes nothing (`sessionstudio sync setup`).") from None
        try:
            return layout.parse_format(data)
        except ValueError as exc:
            raise TargetUnavailable(f"{self.target.description}: {exc}.") from None

    def setup(self, *, create: bool = True) -> dict:
        """Make or join the target (writes FORMAT if there is none) and bind this library
        to its group. A library moving to a new group publishes its whole state again."""
        dev = self.identity()
        try:
            self.target.check_root()
        except TargetUnavailable:
            if not create:
                raise
            self.target.create_root()
        if not self.target.exists(layout.FORMAT_PATH):
            data = layout.format_bytes(uuid7(), dev.id, self.clock())
            try:
                self.target.write_new_atomic(layout.FORMAT_PATH, data, hashlib.sha256(data).hexdigest())
            except TargetConflict:
                pass   # another device made it at the same moment: join theirs
        info = self.read_format()
        old = self.meta("group")
        if old != info["group"]:
            self._bind(info["group"], reseed=old is not None)
        return info

    def _bind(self, group: str, *, reseed: bool) -> None:
        def op(tx) -> None:
            conn = tx.conn
            R.meta_set(conn, "group", group)
            R.meta_set(conn, "next_seq", 1)
            # What was merged from the old target says nothing about the new one.
            conn.execute("DELETE FROM sync_meta WHERE key IN ('covered', 'next_snapshot', "
                         "'since_snapshot')")
            if not reseed:
                # Joining: the first round stamps every row as it is now (full scan), so
                # the history before this moment need not be replayed op by op.
                top = conn.execute("SELECT coalesce(max(seq), 0) FROM ops").fetchone()[0]
                if R.meta_get(conn, "stamped_upto") is None:
                    R.meta_set(conn, "stamped_upto", top)
                return
            # A new target knows nothing: send every row's state again, stamps unchanged.
            conn.execute("DELETE FROM sync_applied")
            conn.execute("DELETE FROM sync_blobs WHERE state = 'up'")
            conn.execute("DELETE FROM sync_outbox")
            records = []
            for st_row in conn.execute("SELECT tbl, pk FROM sync_rows").fetchall():
                st = R.load(conn, *st_row)
                if st.state == "dead":
                    if st.seen:
                        records.append({"t": st.tbl, "k": st.pk, "d": st.seen})
                    continue
                values = st.image if st.state == "parked" else R.catalog_row(conn, st.tbl, st.pk)
                if values is not None:
                    records.append({"t": st.tbl, "k": st.pk, "v": values, "s": st.stamps})
            outbox.queue(conn, records)
        self.lib.write("Sync: join target", op, undoable=False)
        self.min_seq = 1
        self._first = True

    # -- the round ------------------------------------------------------------------------
    def stamp(self, *, full: bool = False) -> int:
        out = {}

        def op(tx) -> None:
            out["n"] = outbox.stamp_local(tx.conn, self.hlc, self.clock(), full=full)
        self.lib.write("Sync: stamp local changes", op, undoable=False)
        return out["n"]

    def run_round(self, *, confirm: bool = False, snapshot: bool = False) -> dict:
        """One full round (`snapshot`: also publish a snapshot of this device's state).
        Raises TargetUnavailable when the target cannot be used."""
        self.problems = []
        dev = self.identity()
        info = self.read_format()
        group = self.meta("group")
        if group is None:
            raise TargetUnavailable("Sync is not set up for this library: run `sessionstudio sync setup`.")
        if group != info["group"]:
            raise TargetUnavailable(
                f"{self.target.description} now holds a different sync group; run "
                "`sessionstudio sync setup` to join it (nothing was changed).")
        self.target.probe_clock()
        self.note_reference()
        now = self.clock()
        report: dict = {"device": dev.id}
        if self._first:
            self.target.cleanup_own_tmp()
            self.min_seq = max(self.min_seq, next_seq_on_target(self.target, dev.id))
            blobs.scan_missing(self.lib, now)
        report["stamped"] = self.stamp(full=self._first)
        writable = True
        try:
            report["up"] = publish(self)
        except (TargetWriteFailed, TargetConflict) as exc:
            writable = False
            self.problem(str(exc))
        report["down"] = pull(self, confirm=confirm)
        if writable:
            try:   # what the merge queued (restores) and edits made meanwhile
                self.stamp()
                more = publish(self)
                report["up"] = {k: report.get("up", {}).get(k, 0) + v for k, v in more.items()}
            except (TargetWriteFailed, TargetConflict) as exc:
                self.problem(str(exc))
        moved = report.get("up", {}).get("records", 0) + report["down"]["records"]
        since = int(self.meta("since_snapshot", "0")) + moved
        if writable and (snapshot or since >= SNAPSHOT_EVERY):
            try:
                report["snapshot"] = write_snapshot(self)
            except (TargetWriteFailed, TargetConflict) as exc:
                self.problem(str(exc))
        elif moved:
            self.set_meta(since_snapshot=since)
        fetched, missing, nbytes = blobs.download(self.lib, self.target, self.clock())
        report["assets"] = {"fetched": fetched, "missing": missing, "bytes": nbytes}
        if self.clock_offset is not None and abs(self.clock_offset) > 2 * 60 * 1000:
            hours = abs(self.clock_offset) / 3_600_000
            self.problem(f"This device's clock ({dev.name}) is {hours:.1f} h "
                         f"{'behind' if self.clock_offset > 0 else 'ahead of'} the sync target's; "
                         "sync goes on, but fix its time.")
        for note in self.clock_notes.values():
            self.problem(note)
        self._first = False
        report["problems"] = list(self.problems)
        report["held"] = report["down"]["held"]
        self.last_report = report
        self.set_meta(last_sync=self.clock(), last_round=json.dumps(
            {"problems": self.problems, "held": report["held"], "at": self.clock()}))
        return report

    # -- status ---------------------------------------------------------------------------
    def counts(self) -> dict:
        return status_counts(self.lib)


def status_counts(lib) -> dict:
    """Pending work and conflicts, from the catalog alone (works read-only)."""
    with lib.reading() as conn:
        assets = conn.execute("SELECT count(*) FROM sync_blobs WHERE state = 'missing'"
                              ).fetchone()[0]
        last = conn.execute("SELECT value FROM sync_meta WHERE key = 'last_sync'").fetchone()
        return {"pending_up": outbox.pending_local(conn), "pending_assets": assets,
                "conflicts": conn.execute("SELECT count(*) FROM sync_conflicts "
                                          "WHERE dismissed = 0").fetchone()[0],
                "last_sync": int(last[0]) if last else None}
