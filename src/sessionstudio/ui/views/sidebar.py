"""The session sidebar: search, the folder/session tree, new session/folder, trash.

Every mutation is a library operation on `tasks.write`; rows follow `bridge.sig_changed`
through the model. The owner connects the `sig_*` signals (open a session, show errors)."""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLineEdit, QMenu, QMessageBox,
                               QPushButton, QStyle, QStyledItemDelegate, QTreeView, QVBoxLayout,
                               QWidget)

from ... import library as L
from ..models.session_model import CollapsedRole, IdRole, KindRole, SessionTreeModel, error_text
from .artboard_list import ArtboardList


class _RowDelegate(QStyledItemDelegate):
    """A little air between rows (all rows share one height: uniformRowHeights)."""

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        size.setHeight(size.height() + 6)
        return size


class _Tree(QTreeView):
    """Keys the sidebar owns: Enter opens, Delete trashes, F2 renames."""
    sig_open = Signal(QModelIndex)
    sig_delete = Signal()

    def keyPressEvent(self, event):
        key, current = event.key(), self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
                if current.data(KindRole) == "folder":
                    self.setExpanded(current, not self.isExpanded(current))
                else:
                    self.sig_open.emit(current)
                return
            if key == Qt.Key.Key_Delete:
                self.sig_delete.emit()
                return
            if key == Qt.Key.Key_F2 and current.isValid():
                self.edit(current)
                return
        super().keyPressEvent(event)


class SessionSidebar(QWidget):
    sig_session_selected = Signal(str)
    sig_session_open_requested = Signal(str)
    sig_new_session_requested = Signal()
    sig_artboard_open_requested = Signal(str)   # from the Artboards section
    sig_error = Signal(str)

    def __init__(self, lib, tasks, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib, self._tasks = lib, tasks
        self._restoring = False          # expansion set by code, not by the user
        self._pending_edit: str | None = None
        self.model = SessionTreeModel(lib, tasks, bridge, self)
        self.model.sig_error.connect(self.sig_error)

        style = self.style()
        self.new_session_button = QPushButton("New session")
        self.new_session_button.setDefault(True)
        self.new_folder_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder), "New folder")
        self.search = QLineEdit(placeholderText="Search sessions and prompts", clearButtonEnabled=True)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self.tree = _Tree()
        self.trash_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), "Trash", checkable=True)
        self.restore_button = QPushButton("Restore")
        self.purge_button = QPushButton("Delete permanently")
        self._setup_tree()
        # Artboards section (views/artboard_list.py): boards under the session tree.
        self.artboards = ArtboardList(lib, tasks, bridge, self)
        self.artboards.sig_artboard_open_requested.connect(self.sig_artboard_open_requested)
        self.artboards.sig_error.connect(self.sig_error)

        top = QHBoxLayout()
        top.addWidget(self.new_session_button, 1)
        top.addWidget(self.new_folder_button)
        trash_actions = QHBoxLayout()
        trash_actions.addWidget(self.restore_button)
        trash_actions.addWidget(self.purge_button)
        trash_actions.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.trash_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.artboards)        # Artboards section
        layout.addLayout(trash_actions)
        layout.addLayout(bottom)

        self.new_session_button.clicked.connect(self.sig_new_session_requested)
        self.new_folder_button.clicked.connect(lambda: self.new_folder())
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self._debounce.timeout.connect(lambda: self.model.set_filter(self.search.text()))
        self.trash_button.toggled.connect(self.set_trash_mode)
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(self.delete_selected_permanently)
        self._update_buttons()
        self._restore_expansion(QModelIndex(), 0, -1)

    def _setup_tree(self) -> None:
        t = self.tree
        t.setModel(self.model)
        t.setItemDelegate(_RowDelegate(t))
        t.setUniformRowHeights(True)
        t.setHeaderHidden(True)
        t.setAnimated(False)
        t.setIndentation(16)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        t.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        t.setDefaultDropAction(Qt.DropAction.MoveAction)
        t.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.SelectedClicked)
        t.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        t.customContextMenuRequested.connect(self._show_menu)
        t.doubleClicked.connect(self._open_index)
        t.sig_open.connect(self._open_index)
        t.sig_delete.connect(self.delete_selected)
        t.expanded.connect(lambda idx: self._remember_expansion(idx, False))
        t.collapsed.connect(lambda idx: self._remember_expansion(idx, True))
        t.selectionModel().selectionChanged.connect(self._on_selection)
        t.verticalScrollBar().valueChanged.connect(lambda _: self._fetch_visible())
        self.model.modelReset.connect(lambda: self._restore_expansion(QModelIndex(), 0, -1))
        self.model.rowsInserted.connect(self._restore_expansion)

    # -- public ------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def select_session(self, session_id: str) -> bool:
        """Select and show a session, loading pages up to it if needed (bounded)."""
        idx = self.model.locate_session(session_id)
        if not idx.isValid():
            return False
        parent = idx.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.tree.scrollTo(idx)
        return True

    def selected(self) -> tuple[list[str], list[str]]:
        """(session ids, folder ids) selected."""
        sessions, folders = [], []
        for idx in self.tree.selectionModel().selectedRows():
            kind = idx.data(KindRole)
            (sessions if kind == "session" else folders if kind == "folder" else []).append(idx.data(IdRole))
        return sessions, folders

    def set_trash_mode(self, on: bool) -> None:
        if self.trash_button.isChecked() != on:
            self.trash_button.setChecked(on)      # comes back here through toggled
            return
        if on:
            self.search.clear()
            self.model.set_filter("")
        self.search.setEnabled(not on)
        self.new_folder_button.setEnabled(not on)
        self.model.set_trash(on)
        self.artboards.set_trash_mode(on)       # Artboards section: trashed boards
        self._update_buttons()

    def new_folder(self, parent_id: str | None = None) -> None:
        """Create "New folder" and start renaming it inline once it is shown."""
        if self.model.mode == "search":
            self.search.clear()
            self.model.set_filter("")
        lib = self._lib
        self._write(lambda: L.create_folder(lib, name="New folder", parent_id=parent_id),
                    done=lambda changes: self._edit_folder(changes.created[0]))

    def delete_selected(self) -> None:
        """Delete key: to the trash (Ctrl+Z undoes); in the trash, delete for good."""
        if self.model.mode == "trash":
            return self.delete_selected_permanently()
        sessions, folders = self.selected()
        if sessions or folders:
            self._write(lambda: self._each(sessions, folders, L.trash_sessions, L.trash_folder))

    def restore_selected(self) -> None:
        sessions, folders = self.selected()
        if sessions or folders:
            self._write(lambda: self._each(sessions, folders, L.restore_sessions, L.restore_folder))

    def delete_selected_permanently(self) -> None:
        sessions, folders = self.selected()
        count = len(sessions) + len(folders)
        if self.model.mode != "trash" or not count:
            return
        what = "this" if count == 1 else f"these {count}"
        answer = QMessageBox.question(
            self, "Delete permanently",
            f"Delete {what} permanently? {'It' if count == 1 else 'They'} will be gone from the "
            "trash, with every image, video and track inside.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda: self._each(sessions, folders, L.purge_sessions, L.purge_folder))

    # -- internals ---------------------------------------------------------------------------
    def _each(self, sessions, folders, session_op, folder_op) -> None:
        if sessions:
            session_op(self._lib, session_ids=sessions)
        for fid in folders:
            folder_op(self._lib, folder_id=fid)

    def _write(self, fn, done=None) -> None:
        self._tasks.write(fn, done=done, failed=lambda exc: self.sig_error.emit(error_text(exc)))

    def _move_sessions(self, sessions: list[str], folder_id: str | None) -> None:
        lib = self._lib
        self._write(lambda: L.move_sessions(lib, session_ids=sessions, folder_id=folder_id))

    def _open_index(self, idx: QModelIndex) -> None:
        if idx.data(KindRole) == "session":
            self.sig_session_open_requested.emit(idx.data(IdRole))

    def _on_selection(self, *_) -> None:
        rows = self.tree.selectionModel().selectedRows()
        if len(rows) == 1 and rows[0].data(KindRole) == "session":
            self.sig_session_selected.emit(rows[0].data(IdRole))
        self._update_buttons()

    def _update_buttons(self) -> None:
        trash = self.model.mode == "trash"
        has = bool(self.tree.selectionModel().selectedRows())
        for button in (self.restore_button, self.purge_button):
            button.setVisible(trash)
            button.setEnabled(trash and has)

    def _remember_expansion(self, idx: QModelIndex, collapsed: bool) -> None:
        if not self._restoring and idx.data(KindRole) == "folder":
            self.model.set_folder_collapsed(idx, collapsed)
        if not collapsed:
            QTimer.singleShot(0, self._fetch_visible)

    def _restore_expansion(self, parent: QModelIndex, first: int, last: int) -> None:
        """Folders open as they were left (Folder.collapsed); day groups are plain rows."""
        if self.model.mode != "tree":
            return
        self._restoring = True
        try:
            rows = range(first, last + 1) if last >= 0 else range(self.model.rowCount(parent))
            for row in rows:
                idx = self.model.index(row, 0, parent)
                if idx.data(KindRole) != "folder":
                    break                         # folders come first
                self.tree.setExpanded(idx, not idx.data(CollapsedRole))
                self._restore_expansion(idx, 0, -1)
        finally:
            self._restoring = False
        if self._pending_edit:
            self._edit_folder(self._pending_edit)

    def _fetch_visible(self) -> None:
        """The view asks for more loose sessions itself; an expanded folder scrolled to its
        end gets its next page here."""
        viewport = self.tree.viewport().rect()
        for idx in self.model.folder_indexes():
            n = self.model.rowCount(idx)
            if n and self.model.canFetchMore(idx) and self.tree.isExpanded(idx):
                if self.tree.visualRect(self.model.index(n - 1, 0, idx)).intersects(viewport):
                    self.model.fetchMore(idx)

    def _edit_folder(self, folder_id: str) -> None:
        idx = self.model.index_for_folder(folder_id)
        self._pending_edit = None if idx.isValid() else folder_id
        if idx.isValid():
            if idx.parent().isValid():
                self.tree.expand(idx.parent())
            self.tree.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.tree.scrollTo(idx)
            self.tree.edit(idx)

    def build_menu(self, idx: QModelIndex) -> QMenu:
        """The context menu for a row (or the empty area)."""
        menu = QMenu(self)
        kind, rid = idx.data(KindRole), idx.data(IdRole)
        sessions, _ = self.selected()
        targets = sessions if rid in sessions else [rid]
        if self.model.mode == "trash":
            if kind in ("session", "folder"):
                menu.addAction("Restore", self.restore_selected)
                menu.addAction("Delete permanently…", self.delete_selected_permanently)
        elif kind == "session":
            menu.addAction("Open", lambda: self.sig_session_open_requested.emit(rid))
            menu.addAction("Rename", lambda: self.tree.edit(idx))
            move = menu.addMenu("Move to folder")
            for fid, name, depth in self.model.folder_choices():
                move.addAction("    " * depth + name, lambda f=fid: self._move_sessions(targets, f))
            move.addSeparator()
            move.addAction("Top level", lambda: self._move_sessions(targets, None))
            menu.addSeparator()
            menu.addAction("Move to trash", self.delete_selected)
        elif kind == "folder":
            menu.addAction("New folder inside", lambda: self.new_folder(rid))
            menu.addAction("Rename", lambda: self.tree.edit(idx))
            menu.addSeparator()
            menu.addAction("Move to trash", self.delete_selected)
        else:
            menu.addAction("New session", self.sig_new_session_requested.emit)
            menu.addAction("New folder", self.new_folder)
        return menu

    def _show_menu(self, pos) -> None:
        idx = self.tree.indexAt(pos)
        if idx.isValid() and not self.tree.selectionModel().isSelected(idx) and idx.data(KindRole) != "group":
            self.tree.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        menu = self.build_menu(idx)
        if not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(pos))
