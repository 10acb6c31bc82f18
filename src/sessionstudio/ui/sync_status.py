"""The sync worker's status in the status bar: the worker reports from its own thread,
this adapter hops to the GUI thread with a queued signal before touching the label."""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel


class SyncStatusLabel(QObject):
    _sig_status = Signal(object)

    def __init__(self, label: QLabel, worker, parent: QObject | None = None):
        super().__init__(parent)
        self.label = label
        self._sig_status.connect(self._show, Qt.QueuedConnection)
        if worker is None:
            label.setText("Sync off")
            label.setToolTip("Set up sync with `sessionstudio sync setup` to keep this "
                             "library the same on several devices.")
            return
        worker.subscribe(self._sig_status.emit)
        self._show(worker.status)

    def _show(self, status) -> None:
        self.label.setText(status.summary)
        tip = [f"Target: {status.target}"] if status.target else []
        if status.problems:
            tip += list(status.problems)
        self.label.setToolTip("\n".join(tip))
