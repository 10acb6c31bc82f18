"""The sync worker in the window: its status in the status bar (a button that opens the
Sync dialog) and the worker's life after the dialog sets a target up. The worker reports
from its own thread; a queued signal hops to the GUI thread before a widget is touched."""

import threading

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
        self._restart_request = 0            # only the newest restart starts a worker
        self._restart_lock = threading.Lock()  # one restart at a time stops and starts
        self._retired: list = []             # replaced workers, stopped by the next restart
        self._unattached: list = []          # started off the GUI thread, not yet shown
        self._relay_lock = threading.Lock()  # shutdown() waits for a relay in progress
        self._relaying = True
        self._sig_status.connect(self._show, Qt.QueuedConnection)
        if isinstance(label, QAbstractButton) and lib is not None:
            label.clicked.connect(self.open_dialog)
        self._attach(worker)

    def _emit(self, status) -> None:
        """From the worker's thread. After shutdown() none runs, so this object can be
        freed safely (emitting on a freed QObject crashes the process)."""
        with self._relay_lock:
            if self._relaying:
                self._sig_status.emit(status)

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
        off the GUI thread (stopping waits for a round in progress). Set up twice quickly,
        only the newest restart starts a worker, whichever order the pool runs them in."""
        from ..sync.worker import start_sync_worker
        if self.worker is not None:
            self._retired.append(self.worker)
        self._restart_request = request = self._restart_request + 1
        self._attach(None)
        self.label.setText("Sync starting…")

        def work():
            with self._restart_lock:
                for stale in [*self._retired, *self._unattached]:
                    stale.stop()
                self._retired.clear()
                self._unattached.clear()
                if request != self._restart_request:
                    return None
                worker = start_sync_worker(self.lib)
                if worker is not None:
                    self._unattached.append(worker)
                return worker
        self.tasks.read(work, done=lambda worker: self._use_worker(request, worker))

    def _use_worker(self, request: int, worker) -> None:
        if request != self._restart_request:
            return       # a newer restart stops this one before it starts its own
        if worker in self._unattached:
            self._unattached.remove(worker)
        self._owned = worker is not None
        self._attach(worker)
        if self.dialog is not None:
            self.dialog.set_worker(worker)
        self.sig_worker_changed.emit(worker)

    def shutdown(self) -> None:
        """Stop what this window started. Call it after Tasks.shutdown, so that a restart
        still running has finished and its worker is in `_unattached`."""
        self._restart_request += 1
        with self._relay_lock:
            self._relaying = False
        with self._restart_lock:
            for worker in [*self._retired, *self._unattached]:
                worker.stop()
            self._retired.clear()
            self._unattached.clear()
        if self.worker is not None:
            self.worker.unsubscribe(self._emit)
            if self._owned:
                self.worker.stop()
