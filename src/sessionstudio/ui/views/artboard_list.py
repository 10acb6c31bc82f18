"""The sidebar's Artboards section: boards newest first in a small list, + for a new
one, double-click or Enter opens, F2 renames in place, Delete moves to the trash (in
the sidebar's trash mode: the boards in the trash, to restore or delete for good).

The model holds the few boards there are and follows Changes.artboards by re-reading
the list off the GUI thread and inserting, removing or updating rows (never a reset)."""

import dataclasses

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QListView, QMenu,
                               QMessageBox, QToolButton, QVBoxLayout, QWidget)

from ... import library as L
from ..icons import icon

IdRole = Qt.UserRole + 1
MAX_ROWS_SHOWN = 6


class ArtboardListModel(QAbstractListModel):
    sig_rename_requested = Signal(str, str)    # board id, new name

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []                   # Artboard records, newest first

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        board = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.EditRole):
            return board.name
        if role == Qt.ToolTipRole:
            n = board.element_count
            return f"{board.name} — {n} element{'s' if n != 1 else ''}"
        if role == Qt.DecorationRole:
            return icon("image")
        if role == IdRole:
            return board.id
        return None

    def flags(self, index):
        return super().flags(index) | Qt.ItemIsEditable

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        name = str(value).strip()
        if role != Qt.EditRole or not name or name == self.rows[index.row()].name:
            return False
        board = self.rows[index.row()]
        # Shown at once, so renaming straight back compares with the new name, not the old.
        self.rows[index.row()] = dataclasses.replace(board, name=name)
        self.dataChanged.emit(index, index)
        self.sig_rename_requested.emit(board.id, name)
        return True

    def row_of(self, board_id: str) -> int:
        return next((n for n, b in enumerate(self.rows) if b.id == board_id), -1)

    def set_rows(self, boards: list) -> None:
        """Bring the rows to `boards` with row removals, insertions and dataChanged."""
        wanted = {b.id for b in boards}
        for n in range(len(self.rows) - 1, -1, -1):
            if self.rows[n].id not in wanted:
                self.beginRemoveRows(QModelIndex(), n, n)
                del self.rows[n]
                self.endRemoveRows()
        for n, board in enumerate(boards):   # the order (newest first) never changes
            if n < len(self.rows) and self.rows[n].id == board.id:
                if self.rows[n] != board:
                    self.rows[n] = board
                    self.dataChanged.emit(self.index(n), self.index(n))
            else:
                self.beginInsertRows(QModelIndex(), n, n)
                self.rows.insert(n, board)
                self.endInsertRows()


class _BoardList(QListView):
    sig_open = Signal(QModelIndex)
    sig_delete = Signal()

    def keyPressEvent(self, event) -> None:
        if self.state() != QAbstractItemView.EditingState:
            key, current = event.key(), self.currentIndex()
            if key in (Qt.Key_Return, Qt.Key_Enter) and current.isValid():
                self.sig_open.emit(current)
                return
            if key == Qt.Key_Delete:
                self.sig_delete.emit()
                return
            if key == Qt.Key_F2 and current.isValid():
                self.edit(current)
                return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        rows = min(MAX_ROWS_SHOWN, max(1, self.model().rowCount()))
        return QSize(200, rows * max(1, self.sizeHintForRow(0)) + 4)


class ArtboardList(QWidget):
    sig_artboard_open_requested = Signal(str)
    sig_error = Signal(str)

    def __init__(self, lib, tasks, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib, self._tasks = lib, tasks
        self._trash = False
        self._token = 0
        self._edit_when_shown: str | None = None
        self.model = ArtboardListModel(self)
        self.model.sig_rename_requested.connect(self._rename)
        header = QLabel("ARTBOARDS", self)
        header.setStyleSheet("color: palette(placeholder-text); font-size: 11px; font-weight: 600;"
                             " letter-spacing: 1px;")
        self.new_button = QToolButton(self)
        self.new_button.setText("+")
        self.new_button.setToolTip("New board")
        self.new_button.setAutoRaise(True)
        self.new_button.clicked.connect(lambda: self.new_board())
        self.empty_label = QLabel("No boards yet", self)
        self.empty_label.setEnabled(False)
        self.list = _BoardList(self)
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditKeyPressed | QAbstractItemView.SelectedClicked)
        self.list.setContextMenuPolicy(Qt.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.doubleClicked.connect(self._open_index)
        self.list.sig_open.connect(self._open_index)
        self.list.sig_delete.connect(self.delete_selected)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 0, 0)
        top.addWidget(header, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list)
        for sig in (self.model.rowsInserted, self.model.rowsRemoved):
            sig.connect(self._update_size)
        bridge.sig_changed.connect(lambda ch: ch.artboards and self.reload())
        self.reload()

    # -- rows ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self._token += 1
        token, trash, lib = self._token, self._trash, self._lib
        self._tasks.read(lambda: L.list_artboards(lib, trashed=trash),
                         done=lambda rows: token == self._token and self._set_rows(rows))

    def _set_rows(self, rows) -> None:
        self.model.set_rows(rows)
        self._update_size()
        self._edit_if_shown()

    def _edit_if_shown(self) -> None:
        """Rename a new board in place once its row is there (the list may be re-read
        before or after the write that made it reports back)."""
        if self._edit_when_shown and self.model.row_of(self._edit_when_shown) >= 0:
            idx = self.model.index(self.model.row_of(self._edit_when_shown))
            self._edit_when_shown = None
            self.list.setCurrentIndex(idx)
            self.list.edit(idx)

    def _update_size(self, *_) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setText("Nothing in the trash" if self._trash else "No boards yet")
        self.empty_label.setVisible(empty)
        self.list.setVisible(not empty)
        self.list.setFixedHeight(self.list.sizeHint().height())

    def set_trash_mode(self, on: bool) -> None:
        self._trash = on
        self.new_button.setEnabled(not on)
        self.model.set_rows([])
        self.reload()

    def select_board(self, board_id: str | None) -> None:
        row = self.model.row_of(board_id) if board_id else -1
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self.list.clearSelection()

    def selected_ids(self) -> list[str]:
        return [i.data(IdRole) for i in self.list.selectionModel().selectedRows()]

    # -- actions --------------------------------------------------------------------------------
    def _write(self, fn, done=None) -> None:
        self._tasks.write(fn, done=done, failed=lambda exc: self.sig_error.emit(str(exc)))

    def new_board(self, name: str = "New board") -> None:
        """Create a board, open it, and start renaming it in the list."""
        lib = self._lib

        def done(changes):
            self._edit_when_shown = changes.created[0]
            self.sig_artboard_open_requested.emit(changes.created[0])
            self._edit_if_shown()
        self._write(lambda: L.create_artboard(lib, name=name), done=done)

    def _rename(self, board_id: str, name: str) -> None:
        lib = self._lib
        self._token += 1        # a list read already on its way has the old name
        self._tasks.write(lambda: L.rename_artboard(lib, artboard_id=board_id, name=name),
                          failed=lambda exc: (self.sig_error.emit(str(exc)), self.reload()))

    def _open_index(self, idx: QModelIndex) -> None:
        if idx.isValid() and not self._trash:
            self.sig_artboard_open_requested.emit(idx.data(IdRole))

    def delete_selected(self) -> None:
        ids, lib = self.selected_ids(), self._lib
        if not ids:
            return
        if self._trash:
            return self.purge_selected()
        self._write(lambda: [L.trash_artboard(lib, artboard_id=i) for i in ids])

    def restore_selected(self) -> None:
        ids, lib = self.selected_ids(), self._lib
        self._write(lambda: [L.restore_artboard(lib, artboard_id=i) for i in ids])

    def purge_selected(self) -> None:
        ids, lib = self.selected_ids(), self._lib
        answer = QMessageBox.question(
            self, "Delete permanently", "Delete the selected board permanently? Its items stay "
            "in their sessions.", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if ids and answer == QMessageBox.Yes:
            self._write(lambda: [L.purge_artboard(lib, artboard_id=i) for i in ids])

    def build_menu(self, idx: QModelIndex) -> QMenu:
        menu = QMenu(self)
        if not idx.isValid():
            if not self._trash:
                menu.addAction("New board", self.new_board)
            return menu
        if self._trash:
            menu.addAction("Restore", self.restore_selected)
            menu.addAction("Delete permanently…", self.purge_selected)
        else:
            menu.addAction("Open", lambda: self._open_index(idx))
            menu.addAction("Rename", lambda: self.list.edit(idx))
            menu.addSeparator()
            menu.addAction("Move to trash", self.delete_selected)
        return menu

    def _show_menu(self, pos) -> None:
        idx = self.list.indexAt(pos)
        if idx.isValid():
            self.list.setCurrentIndex(idx)
        menu = self.build_menu(idx)
        if not menu.isEmpty():
            menu.exec(self.list.viewport().mapToGlobal(pos))
