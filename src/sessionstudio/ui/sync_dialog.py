"""The Sync dialog (click the sync status): where the library syncs to, what waits, what
went wrong, deletions to confirm, values also edited on another device, and setting the
target up. Everything slow (target checks, catalog reads) runs off the GUI thread."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QFrame, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QTableView, QVBoxLayout, QWidget)

from ..settings import Settings
from ..sync.config import SyncConfig
from ..sync.conflicts import (can_use, dismiss_conflicts, field_label, list_conflicts,
                              use_conflict_value, value_text)
from ..sync.device import device_name, rename_device
from ..sync.setup import set_up_sync


def _load_conflicts(lib) -> list[tuple]:
    """(conflict, what it is about, the other value in words), newest last."""
    out = []
    for c in list_conflicts(lib):
        rows = lib.query(f"SELECT name FROM {c.table} WHERE id = ?", [c.row_id]) \
            if c.table in ("items", "sessions", "folders") else []
        what = f"{c.table[:-1].capitalize()} “{rows[0][0]}”" if rows else f"{c.table[:-1]} {c.row_id[-8:]}"
        out.append((c, what, value_text(c, lib)))
    return out


def _left_row(*widgets) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


class ConflictModel(QAbstractTableModel):
    HEADERS = ("Item", "Field", "Value on the other device", "Device")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple] = []

    def set_rows(self, rows: list[tuple]) -> None:
        self.beginResetModel()      # a whole new read: the table is small and shown anew
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        c, what, words = self.rows[index.row()]
        return (what, field_label(c), words, c.device_name)[index.column()]


class SyncDialog(QDialog):
    sig_set_up = Signal()          # a target was set up: (re)start the background worker

    def __init__(self, lib, tasks, worker, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Sync")
        self.resize(720, 560)
        self.lib, self.tasks, self.worker = lib, tasks, None
        self.settings = Settings(lib.paths.settings_path)
        layout = QVBoxLayout(self)

        self.summary = QLabel("Sync off", self)
        self.summary.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.details = QLabel("", self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.problems = QLabel("", self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: palette(link);")
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(self.problems)

        self.held_box = QFrame(self)
        self.held_box.setObjectName("heldBox")
        self.held_box.setStyleSheet("QFrame#heldBox { border: 1px solid palette(highlight);"
                                    " border-radius: 8px; }")
        held = QHBoxLayout(self.held_box)
        self.held_text = QLabel("", self.held_box)
        self.held_text.setWordWrap(True)
        self.confirm_button = QPushButton("Apply deletions", self.held_box)
        self.confirm_button.clicked.connect(self.confirm_deletes)
        held.addWidget(self.held_text, 1)
        held.addWidget(self.confirm_button)
        layout.addWidget(self.held_box)

        self.now_button = QPushButton("Sync now", self)
        self.now_button.clicked.connect(lambda: self.worker and self.worker.hint())
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.clicked.connect(self.toggle_pause)
        layout.addLayout(_left_row(self.now_button, self.pause_button))

        box = QGroupBox("Also edited on another device", self)
        inner = QVBoxLayout(box)
        self.conflicts = ConflictModel(self)
        self.table = QTableView(box)
        self.table.setModel(self.conflicts)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        inner.addWidget(self.table)
        self.use_button = QPushButton("Use this value", box)
        self.use_button.setToolTip("Take the other device's value back (undoable; it then wins everywhere)")
        self.use_button.clicked.connect(self.use_selected)
        self.keep_button = QPushButton("Keep current", box)
        self.keep_button.clicked.connect(self.keep_selected)
        inner.addLayout(_left_row(self.use_button, self.keep_button))
        layout.addWidget(box, 1)

        layout.addWidget(self._setup_box())
        close = QDialogButtonBox(QDialogButtonBox.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.set_worker(worker)
        self.refresh_conflicts()

    # -- setup ------------------------------------------------------------------------
    def _setup_box(self) -> QGroupBox:
        config = SyncConfig.from_settings(self.settings)
        box = QGroupBox("Set up", self)
        form = QFormLayout(box)
        self.name_edit = QLineEdit(box)
        self.name_edit.setToolTip("How your other devices show this one (\"also edited on …\")")
        self.name_button = QPushButton("Rename", box)
        self.name_button.clicked.connect(self.rename_device)
        self.name_edit.returnPressed.connect(self.rename_device)
        line = QHBoxLayout()
        line.addWidget(self.name_edit, 1)
        line.addWidget(self.name_button)
        form.addRow("This device", line)
        self.name_edit.setEnabled(False)        # until the current name is read
        self.name_button.setEnabled(False)
        self.tasks.read(lambda: device_name(self.lib), done=self._show_device_name)
        self.folder_radio = QRadioButton("A shared folder", box)
        self.webdav_radio = QRadioButton("WebDAV", box)
        group = QButtonGroup(box)
        group.addButton(self.folder_radio)
        group.addButton(self.webdav_radio)
        (self.webdav_radio if config.kind == "webdav" else self.folder_radio).setChecked(True)
        form.addRow("Sync through", _left_row(self.folder_radio, self.webdav_radio))
        self.folder_edit = QLineEdit(config.folder, box)
        self.folder_edit.setPlaceholderText("A folder Dropbox, Syncthing, iCloud Drive, OneDrive or a NAS keeps in sync")
        browse = QPushButton("Browse…", box)
        browse.clicked.connect(self._browse)
        line = QHBoxLayout()
        line.addWidget(self.folder_edit, 1)
        line.addWidget(browse)
        form.addRow("Folder", line)
        self.url_edit = QLineEdit(config.url, box)
        self.url_edit.setPlaceholderText("https://cloud.example.com/remote.php/dav/files/you/Studio")
        self.user_edit = QLineEdit(config.user, box)
        self.password_edit = QLineEdit(box)
        self.password_edit.setEchoMode(QLineEdit.Password)
        self.password_edit.setPlaceholderText("unchanged" if config.password else "password or app token")
        form.addRow("WebDAV URL", self.url_edit)
        form.addRow("User", self.user_edit)
        form.addRow("Password", self.password_edit)
        self.setup_button = QPushButton("Set up" if not config.enabled else "Change target", box)
        self.setup_button.clicked.connect(self.set_up)
        self.setup_message = QLabel("", box)
        self.setup_message.setWordWrap(True)
        form.addRow(self.setup_button, self.setup_message)
        return box

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Sync folder", self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)
            self.folder_radio.setChecked(True)

    def set_up(self) -> None:
        folder = self.folder_edit.text() if self.folder_radio.isChecked() else None
        url = None if folder is not None else self.url_edit.text()
        user, password = self.user_edit.text(), self.password_edit.text() or None
        self.setup_button.setEnabled(False)
        self.setup_message.setText("Checking the target…")
        # A target check can take seconds (network): on the reader pool, not the writer.
        self.tasks.read(lambda: set_up_sync(self.lib, self.settings, folder=folder, webdav=url,
                                            user=user, password=password),
                        done=self._set_up_done, failed=self._set_up_failed)

    def _show_device_name(self, name: str) -> None:
        self.name_edit.setText(name)
        self.name_edit.setEnabled(True)
        self.name_button.setEnabled(True)

    def rename_device(self) -> None:
        name = self.name_edit.text()
        self.tasks.write(lambda: rename_device(self.lib, name), done=self._renamed,
                         failed=lambda exc: self.setup_message.setText(f"Not renamed: {exc}"))

    def _renamed(self, dev) -> None:
        self.name_edit.setText(dev.name)
        self.setup_message.setText(f"This device is now called {dev.name}; your other devices "
                                   "show the new name after its next change syncs.")

    def _set_up_done(self, res) -> None:
        self.setup_button.setEnabled(True)
        self.setup_button.setText("Change target")
        self.setup_message.setText(f"This device ({res.device_name}) now syncs through {res.target}.")
        self.sig_set_up.emit()

    def _set_up_failed(self, exc: BaseException) -> None:
        self.setup_button.setEnabled(True)
        self.setup_message.setText(f"Not set up: {exc}")

    # -- status -----------------------------------------------------------------------
    def set_worker(self, worker) -> None:
        """The worker the buttons drive; its status arrives through show_status (from
        SyncStatusLabel, already on the GUI thread)."""
        self.worker = worker
        self.now_button.setEnabled(worker is not None)
        self.pause_button.setEnabled(worker is not None)
        if worker is None:
            self.summary.setText("Sync off")
            self.details.setText("Choose a shared folder or a WebDAV server below to keep this "
                                 "library the same on your other devices.")
            self.problems.setText("")
            self.problems.hide()
            self.held_box.hide()
            return
        self.show_status(worker.status)

    def show_status(self, status) -> None:
        from ..cli.output import when
        self.summary.setText(status.summary)
        self.details.setText(
            f"This device: {status.device_name or '-'}\nTarget: {status.target}\n"
            f"Last sync: {when(status.last_sync)} · waiting to go up: {status.pending_up} · "
            f"to arrive: {status.pending_down}")
        # Held batches have their own box (with a button, not a command line to type).
        self.problems.setText("\n".join(p for p in status.problems
                                        if not (status.held and p.startswith("Waiting for you"))))
        self.problems.setVisible(bool(self.problems.text()))
        self.pause_button.setText("Resume" if status.state == "paused" else "Pause")
        if status.held:
            lines = [f"{h.get('name') or h.get('device')} would delete {h.get('count')} of "
                     f"{h.get('total')} sessions and items in this library." for h in status.held]
            self.held_text.setText("\n".join(lines) + "\nNothing is deleted until you apply it.")
            self.held_box.show()
            self.confirm_button.setEnabled(True)
        else:
            self.held_box.hide()
        self.refresh_conflicts()

    def toggle_pause(self) -> None:
        if self.worker is None:
            return
        if self.worker.status.state == "paused":
            self.worker.resume()
        else:
            self.worker.pause()

    def confirm_deletes(self) -> None:
        if self.worker is not None:
            self.worker.confirm_deletes()
            self.held_text.setText("Applying…")
            self.confirm_button.setEnabled(False)

    # -- conflicts --------------------------------------------------------------------
    def refresh_conflicts(self) -> None:
        # Every status update asks again and reads land in any order: an answer read before
        # "Keep current" was written must not bring the dismissed row back.
        self.tasks.read_latest((id(self), "conflicts"), lambda: _load_conflicts(self.lib),
                               done=self._show_conflicts)

    def _show_conflicts(self, rows) -> None:
        self.conflicts.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self._update_buttons()

    def _selected(self) -> list:
        return [self.conflicts.rows[i.row()][0] for i in self.table.selectionModel().selectedRows()]

    def _update_buttons(self, *_) -> None:
        chosen = self._selected()
        self.use_button.setEnabled(len(chosen) == 1 and can_use(chosen[0]))
        self.keep_button.setEnabled(bool(chosen))

    def use_selected(self) -> None:
        chosen = self._selected()
        if len(chosen) == 1:
            cid = chosen[0].id
            self.tasks.write(lambda: use_conflict_value(self.lib, cid),
                             done=lambda _: self.refresh_conflicts())

    def keep_selected(self) -> None:
        ids = [c.id for c in self._selected()]
        if ids:
            self.tasks.write(lambda: dismiss_conflicts(self.lib, ids),
                             done=lambda _: self.refresh_conflicts())
