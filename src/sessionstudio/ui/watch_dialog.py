"""File ▸ Watch folders…: folders (a ComfyUI output folder, say) whose new files are
imported, with their recipes, into a chosen session. Changes go through the library ops
on the serial writer; the watch service is told to pick them up."""

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from ..core.errors import StudioError
from ..library import get_session
from ..library.watch import add_watch_folder, list_watch_folders, remove_watch_folder


class WatchFoldersDialog(QDialog):
    """A handful of rows at most, so a QListWidget is the right tool here."""

    def __init__(self, lib, tasks, *, session_id: str | None, watcher=None, parent=None):
        super().__init__(parent)
        self.lib, self.tasks, self.session_id, self.watcher = lib, tasks, session_id, watcher
        self.setWindowTitle("Watch folders")
        self.setMinimumWidth(560)
        intro = QLabel("New files in these folders (and their subfolders) are imported once "
                       "each, with the prompts and settings other tools wrote into them.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.add_button = QPushButton("Watch a folder…")
        self.remove_button = QPushButton("Stop watching")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.add_button.setEnabled(session_id is not None)
        if session_id is None:
            self.add_button.setToolTip("Open the session that should receive the files first.")
        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentRowChanged.connect(lambda row: self.remove_button.setEnabled(row >= 0))
        self.remove_button.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        self.tasks.read_latest((id(self), "watch folders"),
                               lambda: [(f, _session_name(self.lib, f.session_id))
                                        for f in list_watch_folders(self.lib)], done=self._show)

    def _show(self, rows) -> None:
        self.list.clear()
        for folder, session in rows:
            entry = QListWidgetItem(f"{folder.path}  →  {session}")
            entry.setData(256, folder.id)
            self.list.addItem(entry)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Watch which folder?")
        if path:
            self.add(path)

    def add(self, path: str) -> None:
        sid = self.session_id
        self.tasks.write(lambda: add_watch_folder(self.lib, path=path, session_id=sid),
                         done=lambda _: self._changed(f"Watching {path}."), failed=self._failed)

    def remove_selected(self) -> None:
        entry = self.list.currentItem()
        if entry is not None:
            folder_id = entry.data(256)
            self.tasks.write(lambda: remove_watch_folder(self.lib, folder_id=folder_id),
                             done=lambda _: self._changed("Stopped watching."),
                             failed=self._failed)

    def _changed(self, text: str) -> None:
        self.message.setText(text)
        if self.watcher is not None:
            self.watcher.refresh(rescan=True)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(str(exc) if isinstance(exc, StudioError) else f"Failed: {exc}")


def _session_name(lib, session_id: str) -> str:
    try:
        return get_session(lib, session_id).name
    except StudioError:
        return "(missing session)"
