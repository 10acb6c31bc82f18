"""The sync worker in the window: its status in the status bar (a button that opens the
Sync dialog) and the worker's life after the dialog sets a target up. The worker reports
from its own thread; a queued signal hops to the GUI thread before a widget is touched."""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QWidget

OFF_TIP = "Click to keep this library the same on your other devices (a shared folder or WebDAV)."


class SyncStatusLabel(QObject):
    sig_worker_changed = Signal(object)   # the running SyncWorker, or None
    _sig_status = Signal(object)

    def __init__(self, label, worker, parent: QObject | None = None, *, lib=None, tasks=None,
                 dialog_parent: QWidget | None = None):
        super().__init__(parent)
        self.label, self.lib, self.tasks = label, lib, tasks
        self.worker = None
        self.dialog = None
        self._dialog_parent = dialog_parent
        self._owned = False                  # started here (after setup): stopped here too
        self._emit = self._sig_status.emit   # one object, so unsubscribe finds it
        self._sig_status.connect(self._show, Qt.QueuedConnection)
        if isinstance(label, QAbstractButton) and lib is not None:
            label.clicked.connect(self.open_dialog)
        self._attach(worker)

    def _attach(self, worker) -> None:
        if self.worker is not None:
            self.worker.unsubscribe(self._emit)
        self.worker = worker
        if worker is None:
            self.label.setText("Sync off")
            self.label.setToolTip(OFF_TIP)
            return
        worker.subscribe(self._emit)
        self._show(worker.status)

    def _show(self, status) -> None:
        self.label.setText(status.summary)
        tip = [f"Target: {status.target}"] if status.target else []
        if status.problems:
            tip += list(status.problems)
        tip.append("Click for details.")
        self.label.setToolTip("\n".join(tip))
        if self.dialog is not None:
            self.dialog.show_status(status)

    # -- the dialog and setup -----------------------------------------------------------
    def open_dialog(self):
        from .sync_dialog import SyncDialog
        if self.dialog is None:
            self.dialog = SyncDialog(self.lib, self.tasks, self.worker, self._dialog_parent)
            self.dialog.sig_set_up.connect(self.restart)
            self.dialog.finished.connect(self._dialog_closed)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _dialog_closed(self, _result) -> None:
        self.dialog.deleteLater()
        self.dialog = None

    def restart(self) -> None:
        """A target was set up: stop the old worker and start one from the settings,
        off the GUI thread (stopping waits for a round in progress)."""
        from ..sync.worker import start_sync_worker
        old, lib = self.worker, self.lib
        self._restarts = token = getattr(self, "_restarts", 0) + 1
        self._attach(None)
        self.label.setText("Sync starting…")

        def work():
            if old is not None:
                old.stop()
            return start_sync_worker(lib)
        self.tasks.read(work, done=lambda worker: self._use_worker(token, worker))

    def _use_worker(self, token: int, worker) -> None:
        if token != getattr(self, "_restarts", 0):
            # Set up twice quickly, or closed meanwhile: a newer start owns sync; this one
            # must not run beside it.
            if worker is not None:
                self.tasks.read(worker.stop)
            return
        self._owned = worker is not None
        self._attach(worker)
        if self.dialog is not None:
            self.dialog.set_worker(worker)
        self.sig_worker_changed.emit(worker)

    def shutdown(self) -> None:
        self._restarts = getattr(self, "_restarts", 0) + 1
        if self.worker is not None:
            self.worker.unsubscribe(self._emit)
            if self._owned:
                self.worker.stop()
