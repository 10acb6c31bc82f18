"""Library notifications as Qt signals on the GUI thread.

`Library.changed` fires on whichever thread wrote; views connect to `sig_changed` and
refresh only what the Changes name."""

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
        self._sig_from_worker.connect(self.sig_changed, Qt.QueuedConnection)
        self._sig_thumb_from_worker.connect(self.sig_thumbnail_ready, Qt.QueuedConnection)
        lib.changed.connect(self._sig_from_worker.emit)
        if lib.thumbnailer is not None:
            lib.thumbnailer.ready.connect(self._sig_thumb_from_worker.emit)

    def detach(self) -> None:
        self.lib.changed.disconnect(self._sig_from_worker.emit)
        if self.lib.thumbnailer is not None:
            self.lib.thumbnailer.ready.disconnect(self._sig_thumb_from_worker.emit)
