"""WatchService: imports what lands in the watch folders, in a background thread.

File events (watchdog) are only hints: each one marks its folder for a scan after a
short quiet time (debounce), and the scan decides what is new (watch.py). A full
rescan runs at start (files that arrived while the app was closed), periodically
(watchdog can miss events), and again after settle_seconds while files are still
being written. Folders on network file systems, or whose watch cannot be set up
(inotify limits), are polled instead: events do not cross the network.

Only the library's writer runs this. Callbacks (on_imported, and Library.changed
from the imports) arrive on the service's thread; a GUI must hop to its own thread.
Stop the service before closing the library.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..core.changes import Changes
from ..core.errors import NotFound, StudioError
from ..store.locations import on_network_file_system
from .library import Library
from .watch import ScanResult, list_watch_folders, scan_watch_folder

log = logging.getLogger(__name__)
# Events that do not mean new content (watchdog reports our own reads as opened/closed).
_IGNORED_EVENTS = {"opened", "closed_no_write", "deleted"}


class WatchService:
    def __init__(self, lib: Library, *, on_imported: Callable[[Changes], None] | None = None,
                 settle_seconds: float = 1.0, debounce_seconds: float = 0.5,
                 max_delay_seconds: float = 3.0, rescan_seconds: float = 300.0,
                 poll_seconds: float = 5.0, polling: bool | None = None):
        """polling: True polls every folder, False never, None (default) polls only
        folders on network file systems."""
        if lib.readonly:
            raise StudioError("Only the process that writes the library can watch folders.")
        self.lib, self.on_imported = lib, on_imported
        self.settle, self.debounce, self.max_delay = settle_seconds, debounce_seconds, max_delay_seconds
        self.rescan_seconds, self.poll_seconds, self.polling = rescan_seconds, poll_seconds, polling
        self.results: dict[str, ScanResult] = {}  # the last scan of each folder
        self._cond = threading.Condition()
        self._due: dict[str, float] = {}    # folder id -> when to scan (monotonic)
        self._first: dict[str, float] = {}  # folder id -> first event of the current burst
        self._busy = self._stopping = False
        self._observed: dict = {}           # scan_watch_folder's settle memory
        self._watches: dict[str, object] = {}
        self._polled: set[str] = set()
        self._observer = None
        self._thread: threading.Thread | None = None

    # -- control ------------------------------------------------------------------------
    def start(self) -> None:
        from watchdog.observers import Observer

        self._observer = Observer()
        self._observer.daemon = True
        self._observer.start()
        self._thread = threading.Thread(target=self._run, name="watch-folders", daemon=True)
        self._thread.start()
        self.refresh(rescan=True)

    def stop(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)
        if self._thread is not None:
            self._thread.join(timeout)

    def refresh(self, *, rescan: bool = False) -> None:
        """Follow the registry after folders were added or removed; new folders (all,
        with rescan) are scanned at once."""
        folders = {f.id: f for f in list_watch_folders(self.lib) if f.enabled}
        with self._cond:  # the worker reads these; watchdog calls stay outside the lock
            gone = [self._watches.pop(fid) for fid in list(self._watches) if fid not in folders]
            self._polled &= set(folders)
            new = [f for fid, f in folders.items() if fid not in self._watches and fid not in self._polled]
        for watch in gone:
            self._observer.unschedule(watch)
        for folder in new:
            watch = None
            if not (self.polling or (self.polling is None and on_network_file_system(folder.path))):
                try:
                    watch = self._observer.schedule(_Handler(self, folder.id), folder.path,
                                                    recursive=folder.recursive)
                except OSError as exc:  # no such folder, or out of inotify watches: poll
                    log.warning("Polling %s: cannot watch it for events (%s)", folder.path, exc)
            with self._cond:
                if watch is not None:
                    self._watches[folder.id] = watch
                else:
                    self._polled.add(folder.id)
        if rescan:
            self.scan()
        for folder in new:
            self.scan(folder.id)

    def scan(self, folder_id: str | None = None) -> None:
        """Scan one folder (or all) as soon as possible."""
        with self._cond:
            for fid in [folder_id] if folder_id else list(self._watches) + list(self._polled):
                self._due[fid] = time.monotonic()
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no scan is due or running and no file is waiting to settle."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._due and not self._busy, timeout)

    # -- inside -------------------------------------------------------------------------
    def _hint(self, folder_id: str) -> None:
        """A file event: scan after a quiet debounce, but never later than max_delay
        after the burst began (a folder written without pause still gets scanned)."""
        now = time.monotonic()
        with self._cond:
            first = self._first.setdefault(folder_id, now)
            self._due[folder_id] = min(now + self.debounce, first + self.max_delay)
            self._cond.notify_all()

    def _later(self, folder_id: str, delay: float) -> None:
        with self._cond:
            due = time.monotonic() + delay
            self._due[folder_id] = min(self._due.get(folder_id, due), due)

    def _run(self) -> None:
        now = time.monotonic()
        next_poll, next_rescan = now + self.poll_seconds, now + self.rescan_seconds
        while True:
            with self._cond:
                while True:
                    if self._stopping:
                        return
                    now = time.monotonic()
                    if now >= next_poll:
                        next_poll = now + self.poll_seconds
                        for fid in self._polled:
                            self._due.setdefault(fid, now)
                    if now >= next_rescan:
                        next_rescan = now + self.rescan_seconds
                        for fid in list(self._watches) + list(self._polled):
                            self._due.setdefault(fid, now)
                    ready = [fid for fid, at in self._due.items() if at <= now]
                    if ready:
                        break
                    self._cond.wait(min([at - now for at in self._due.values()]
                                        + [next_poll - now, next_rescan - now]))
                for fid in ready:
                    del self._due[fid]
                    self._first.pop(fid, None)
                self._busy = True
            try:
                for fid in ready:
                    self._scan_one(fid)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _scan_one(self, folder_id: str) -> None:
        try:
            result = scan_watch_folder(self.lib, folder_id, settle_seconds=self.settle,
                                       observed=self._observed, should_stop=lambda: self._stopping)
        except NotFound:
            return  # removed meanwhile
        except Exception:  # noqa: BLE001 - one bad scan must not end the service
            log.exception("Scanning watch folder %s failed", folder_id)
            return
        self.results[folder_id] = result
        if result.waiting:  # look again once they could have settled
            self._later(folder_id, self.settle)
        if result.imported and self.on_imported is not None:
            try:
                self.on_imported(result.changes)
            except Exception:  # noqa: BLE001 - the callback's failure is its own
                log.exception("on_imported callback failed")


class _Handler:
    """watchdog's handler protocol (dispatch), without subclassing so that watchdog is
    imported only when the service starts."""

    def __init__(self, service: WatchService, folder_id: str):
        self.service, self.folder_id = service, folder_id

    def dispatch(self, event) -> None:
        if event.event_type in _IGNORED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        name = Path(str(getattr(event, "dest_path", "") or event.src_path)).name
        if name.startswith(".ss-"):  # our own downloads' temp files
            return
        self.service._hint(self.folder_id)
