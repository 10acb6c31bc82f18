"""Library notifications as Qt signals on the GUI thread.

`Library.changed` fires on whichever thread wrote; views connect to `sig_changed` and
refresh only what the Changes name."""

import threading

from PySide6.QtCore import QObject, Qt, Signal

from ..library import Library


class LibraryBridge(QObject):
    sig_changed = Signal(object)        # core.changes.Changes
    sig_thumbnail_ready = Signal(str)   # asset hash
    _sig_from_worker = Signal(object)
    _sig_thumb_from_worker = Signal(str)

    def __init__(self, lib: Library, parent: QObject | None = None):
        super().__init__(parent)
        self.lib = lib
        self.thumbnailer = lib.thumbnailer
        # A worker thread may be relaying while the GUI thread detaches; once detach()
        # returns no relay is running or will start, so this object can then be freed
        # (emitting on a freed QObject crashes the process).
        self._relay_lock = threading.Lock()
        self._attached = True
        self._sig_from_worker.connect(self._deliver_change, Qt.QueuedConnection)
        self._sig_thumb_from_worker.connect(self._deliver_thumbnail, Qt.QueuedConnection)
        lib.changed.connect(self._relay_change)
        if self.thumbnailer is not None:
            self.thumbnailer.ready.connect(self._relay_thumbnail)

    def _relay_change(self, changes) -> None:
        with self._relay_lock:
            if self._attached:
                self._sig_from_worker.emit(changes)

    def _relay_thumbnail(self, asset_hash: str) -> None:
        with self._relay_lock:
            if self._attached:
                self._sig_thumb_from_worker.emit(asset_hash)

    # On the GUI thread. A change relayed just before detach() arrives after it: views
    # must not hear it then (the library may be closed by now).
    def _deliver_change(self, changes) -> None:
        if self._attached:
            self.sig_changed.emit(changes)

    def _deliver_thumbnail(self, asset_hash: str) -> None:
        if self._attached:
            self.sig_thumbnail_ready.emit(asset_hash)

    def detach(self) -> None:
        with self._relay_lock:
            self._attached = False
        self.lib.changed.disconnect(self._relay_change)
        if self.thumbnailer is not None:
            self.thumbnailer.ready.disconnect(self._relay_thumbnail)
