"""A minimal main window until the window issue lands: the session list, live.

It shows sessions newest first and follows library changes (no polling, no reset on
unrelated changes)."""

import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QListView, QMainWindow, QVBoxLayout, QWidget

from ..library import Library, list_sessions


class _Bridge(QObject):
    # Library.changed may fire on any thread; a queued signal brings it to the GUI thread.
    sig_library_changed = Signal(object)


class SessionListModel(QAbstractListModel):
    """Session ids and names, newest first (the full lazy model comes with the window issue)."""

    def __init__(self, lib: Library):
        super().__init__()
        self._lib = lib
        self._rows = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = list_sessions(self._lib, limit=500)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and index.isValid():
            return self._rows[index.row()].name
        return None


class MainWindow(QMainWindow):
    def __init__(self, lib: Library):
        super().__init__()
        self.setWindowTitle("Session Studio")
        self.model = SessionListModel(lib)
        view = QListView()
        view.setModel(self.model)
        view.setUniformItemSizes(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel("Sessions"))
        layout.addWidget(view)
        self.setCentralWidget(body)
        self.resize(900, 600)
        self._bridge = _Bridge()
        self._bridge.sig_library_changed.connect(self._on_changed, Qt.QueuedConnection)
        lib.changed.connect(self._bridge.sig_library_changed.emit)

    def _on_changed(self, changes) -> None:
        if changes.sessions:
            self.model.reload()


def run_window(lib: Library) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Session Studio")
    window = MainWindow(lib)
    window.show()
    return app.exec()
