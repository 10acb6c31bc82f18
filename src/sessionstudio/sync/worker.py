"""The background sync worker: a thread that runs rounds when told something changed.

Rounds run on start, every `interval_s` (a full rescan: file events are only hints and
some get lost), after local edits (Library.changed) and after file events on the target
(watchdog), each hint debounced so a burst makes one round. Network mounts deliver no
reliable events: they are polled every `poll_s` instead. Status goes to a plain
StatusBoard; the UI subscribes and marshals to its own thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..core.ids import now_ms
from .engine import MASS_DELETE_MIN, SyncEngine
from .status import StatusBoard, SyncStatus
from .targets import FolderTarget, TargetUnavailable

log = logging.getLogger(__name__)


def _is_network_mount(path: Path) -> bool:
    from ..store import locations
    try:
        return locations._network_reason(path, None) is not None
    except Exception:
        return False


class SyncWorker:
    def __init__(self, lib, target, *, clock=now_ms, interval_s: float = 180.0,
                 debounce_s: float = 2.0, poll_s: float = 30.0, watch: bool = True,
                 mass_delete_min: int = MASS_DELETE_MIN, paused: bool = False,
                 settings_path=None):
        self.engine = SyncEngine(lib, target, clock=clock, mass_delete_min=mass_delete_min)
        self.lib = lib
        self.target = target
        self.board = StatusBoard()
        self.interval_s = interval_s
        self.debounce_s = debounce_s
        self.poll_s = poll_s
        self.watch = watch
        self._paused = paused
        self.settings_path = settings_path   # re-read each round: `sync pause` from the CLI
        self._confirm = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Condition()
        self._rounds = 0
        self._thread: threading.Thread | None = None
        self._observer = None
        self._polling = False
        self.board.update(state="paused" if paused else "idle", target=target.description)

    # -- control --------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self.lib.changed.connect(self._on_local_change)
        self._start_watch()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        self.lib.changed.disconnect(self._on_local_change)
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def hint(self) -> None:
        """Something may have changed (a local edit, a file event): sync soon."""
        self._wake.set()

    def pause(self) -> None:
        self._paused = True
        self._save_paused(True)
        self.board.update(state="paused")

    def resume(self) -> None:
        self._paused = False
        self._save_paused(False)
        self.hint()

    def _save_paused(self, value: bool) -> None:
        if self.settings_path is not None:
            from ..settings import Settings
            Settings(self.settings_path).set("sync_paused", value)

    def _read_paused(self) -> None:
        if self.settings_path is not None:
            from ..settings import Settings
            try:
                self._paused = Settings(self.settings_path).get("sync_paused")
            except Exception:   # an unreadable settings file must not stop sync
                pass

    def confirm_deletes(self) -> None:
        """Let the held batches through (the deletions they would make, or fewer)."""
        for held in self.engine.last_report.get("held", []):
            self.engine.allowed_deletes[held["device"]] = held["count"]
        self.hint()

    def sync_now(self, timeout: float | None = 60.0) -> bool:
        """Ask for a round and wait for it; False on timeout (or if not running)."""
        if self._thread is None:
            return False
        with self._done:
            target = self._rounds + 1
            self._wake.set()
            return self._done.wait_for(lambda: self._rounds >= target or self._stop.is_set(), timeout)

    @property
    def status(self) -> SyncStatus:
        return self.board.current

    def subscribe(self, fn) -> None:
        self.board.subscribe(fn)

    def unsubscribe(self, fn) -> None:
        self.board.unsubscribe(fn)

    # -- internals ------------------------------------------------------------------------
    def _on_local_change(self, changes) -> None:  # noqa: ARG002
        if threading.current_thread() is not self._thread:   # our own merges: no echo
            self.hint()

    def _start_watch(self) -> None:
        """Watch devices/ only (blobs/ would cost an inotify watch per folder), once a
        round has shown the target is really there."""
        if self._observer is not None or not (self.watch and isinstance(self.target, FolderTarget)):
            return
        root = self.target.root
        devices = root / "devices"
        if not (root / "FORMAT").is_file():
            return
        if self._polling or _is_network_mount(root):
            self._polling = True
            self.interval_s = min(self.interval_s, self.poll_s)   # events do not cross NFS/SMB
            return
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            return
        worker = self
        own_tmp = str(root / "tmp")
        try:
            devices.mkdir(exist_ok=True)
        except OSError:
            return

        class Hint(FileSystemEventHandler):
            def on_any_event(self, event):
                path = str(getattr(event, "dest_path", "") or event.src_path)
                if event.event_type in ("opened", "closed_no_write"):
                    return   # reads (ours included) are not news
                if not path.startswith(own_tmp) and not path.endswith(".part"):
                    worker.hint()
        try:
            observer = Observer()
            observer.schedule(Hint(), str(devices), recursive=True)
            observer.start()
            self._observer = observer
            if self._thread is not None:
                self.hint()   # anything that landed before the watch began
        except (OSError, RuntimeError) as exc:   # e.g. out of inotify watches: rescans still run
            log.warning("sync: no file events for %s (%s); rescanning every %ss", root, exc,
                        self.interval_s)

    def _wait_for_work(self) -> None:
        self._wake.wait(self.interval_s)
        # Debounce: a burst of edits or file events makes one round.
        for _ in range(10):
            if self._stop.is_set() or not self._wake.is_set():
                break
            self._wake.clear()
            if not self._wake.wait(self.debounce_s):
                break
        self._wake.clear()

    def _loop(self) -> None:
        first = True
        while not self._stop.is_set():
            if not first:
                self._wait_for_work()
                if self._stop.is_set():
                    break
            first = False
            self._read_paused()
            if self._paused:
                self.board.update(state="paused")
            else:
                self._round()
            with self._done:
                self._rounds += 1
                self._done.notify_all()

    def _round(self) -> None:
        engine = self.engine
        self.board.update(state="syncing")
        confirm, self._confirm = self._confirm, False
        fields: dict = {}
        try:
            report = engine.run_round(confirm=confirm)
            self._start_watch()
            state = "waiting" if report["held"] else ("error" if report["problems"] else "idle")
            fields = {"problems": tuple(report["problems"]), "held": tuple(report["held"]),
                      "pending_down": report["down"]["arriving"] + report["assets"]["missing"]}
        except TargetUnavailable as exc:
            state, fields = "offline", {"problems": (str(exc),)}
        except Exception as exc:   # keep the thread alive; the problem is shown, retried later
            log.exception("sync round failed")
            state, fields = "error", {"problems": (f"{type(exc).__name__}: {exc}",)}
        try:
            counts = engine.counts()
        except Exception:
            counts = {}
        dev = engine.device
        self.board.update(state=state, device=dev.id if dev else "",
                          device_name=dev.name if dev else "", **counts, **fields)


def start_sync_worker(lib, settings_path=None) -> SyncWorker | None:
    """The app's background sync, as set up with `sessionstudio sync setup`; None when
    sync is off or its settings cannot make a target (the reason is logged)."""
    from ..core.errors import StudioError
    from ..settings import Settings
    from .config import SyncConfig
    path = settings_path or lib.paths.settings_path
    config = SyncConfig.from_settings(Settings(path))
    if not config.enabled:
        return None
    try:
        target = config.make_target()
    except StudioError as exc:
        log.warning("sync not started: %s", exc)
        return None
    worker = SyncWorker(lib, target, paused=config.paused, settings_path=path)
    worker.start()
    return worker
