"""The session sidebar's model: folders, then day groups of loose sessions, newest first.

Holds ids, names and times only. Loose sessions load in keyset pages of 200 through
canFetchMore/fetchMore on the root; a folder's sessions load the same way when it is
expanded. Library changes update rows in place (dataChanged / insert / remove / move);
only a mode switch (search, trash) or a bulk import resets the model."""

from datetime import datetime

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from ... import library as L
from ...core.errors import NotFound, StudioError
from .session_nodes import (MIME_IDS, GroupNode, Node, SessionNode, TreeRows, decode_ids,
                            encode_ids, walk)

IdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
CollapsedRole = Qt.ItemDataRole.UserRole + 3   # folders: remembered collapsed state
PAGE_SIZE = 200


def error_text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, StudioError) else f"Something went wrong: {exc}"


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%d %b %Y %H:%M")


class SessionTreeModel(TreeRows, QAbstractItemModel):
    IdRole, KindRole, CollapsedRole = IdRole, KindRole, CollapsedRole
    sig_error = Signal(str)
    sig_mode_changed = Signal(str)        # "tree" | "search" | "trash"
    sig_filter_applied = Signal(str)      # the search text now shown ("" = the tree)

    def __init__(self, lib, tasks, bridge=None, parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._lib, self._tasks, self._page_size = lib, tasks, page_size
        self._filter, self._trash, self._search_gen = "", False, 0
        self._mode, self._style = "tree", {}
        # Names being written (id -> name): a refresh for another change, read before the
        # write commits, must not show the old name again meanwhile.
        self._renames: dict[str, str] = {}
        self._clear()
        self._build([])
        if bridge is not None:
            bridge.sig_changed.connect(self.apply_changes)

    # -- state ---------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def _reset_to(self, mode: str, matches=()) -> None:
        self.beginResetModel()
        self._mode = mode
        self._clear()
        self._build(list(matches))
        self.endResetModel()
        self.sig_mode_changed.emit(mode)

    def reload(self) -> None:
        """Rebuild the current mode (a day change, a bulk import)."""
        if self._mode == "search":
            self._run_search()
        else:
            self._reset_to(self._mode)

    # -- tree structure --------------------------------------------------------------------
    def _node(self, index: QModelIndex) -> Node | None:
        return self._nodes.get(index.internalId()) if index.isValid() else self._root

    def _index(self, node: Node | None) -> QModelIndex:
        if node is None or node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.children.index(node), 0, node.uid)

    def index(self, row, column, parent=QModelIndex()):
        p = self._node(parent)
        if p is None or column != 0 or not 0 <= row < len(p.children):
            return QModelIndex()
        return self.createIndex(row, 0, p.children[row].uid)

    def parent(self, index=None):
        if index is None:
            return QObject.parent(self)
        node = self._node(index) if index.isValid() else None
        return self._index(node.parent) if node is not None else QModelIndex()

    def rowCount(self, parent=QModelIndex()):
        node = self._node(parent) if parent.column() <= 0 else None
        return len(node.children) if node is not None else 0

    def columnCount(self, parent=QModelIndex()):
        return 1

    def hasChildren(self, parent=QModelIndex()):
        node = self._node(parent)
        return node is not None and bool(node.children or not node.page.exhausted)

    def canFetchMore(self, parent):
        node = self._node(parent)
        return node is not None and node.kind in ("root", "folder") and not node.page.exhausted

    def fetchMore(self, parent):
        node = self._node(parent)
        if node is None or node.page.exhausted:
            return
        n = self._page_size
        rows = L.list_sessions(self._lib, folder=node.id if node.kind == "folder" else
                               (None if self._mode == "tree" else L.ANY_FOLDER),
                               trashed=self._mode == "trash", limit=n + 1, before=node.page.cursor)
        node.page.exhausted = len(rows) <= n
        rows = rows[:n]
        if rows:
            node.page.cursor = (rows[-1].created_at, rows[-1].id)
        new: list[Node] = []
        grouped = node is self._root and self._mode == "tree"
        headers = set(self._groups)
        for s in rows:
            if s.id in self._sessions:
                continue
            if grouped:
                g = self._days.group_of(s.created_at)
                if g.key not in headers:       # pages are in order: a new group starts here
                    headers.add(g.key)
                    new.append(GroupNode(g.key, g.label, g.end))
            new.append(SessionNode(s))
        if new:
            self._insert(node, len(node.children), new)

    # -- data --------------------------------------------------------------------------------
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        node = self._node(index) if index.isValid() else None
        if node is None:
            return None
        kind = node.kind
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, IdRole, KindRole):
            return kind if role == KindRole else node.id if role == IdRole else node.name
        if role == CollapsedRole:
            return getattr(node, "collapsed", None)
        if kind == "group":
            if role == Qt.ItemDataRole.FontRole:
                return self._cached("font", self._group_font)
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._cached("grey", lambda: QColor(128, 128, 128))
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = QStyle.StandardPixmap.SP_DirIcon if kind == "folder" else QStyle.StandardPixmap.SP_FileIcon
            return self._cached(kind, lambda: QApplication.style().standardIcon(pixmap))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{node.name}\nCreated {_when(node.created_at)}"
            return tip + (f"\nIn the trash since {_when(node.trashed_at)}" if node.trashed_at else "")
        return None

    def _cached(self, key, make):
        if key not in self._style:
            self._style[key] = make()
        return self._style[key]

    @staticmethod
    def _group_font() -> QFont:
        font = QFont(QApplication.font())
        font.setBold(True)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        return font

    def flags(self, index):
        F = Qt.ItemFlag
        tree = self._mode == "tree"
        node = self._node(index) if index.isValid() else None
        if not index.isValid():
            return F.ItemIsDropEnabled if tree else F.NoItemFlags
        if node is None:
            return F.NoItemFlags
        if node.kind == "group":
            return F.ItemIsEnabled | (F.ItemIsDropEnabled if tree else F.NoItemFlags)
        flags = F.ItemIsEnabled | F.ItemIsSelectable
        if self._mode != "trash":
            flags |= F.ItemIsEditable
        if tree:
            flags |= F.ItemIsDragEnabled | (F.ItemIsDropEnabled if node.kind == "folder" else F.NoItemFlags)
        if node.kind == "session" or self._mode == "trash":
            flags |= F.ItemNeverHasChildren
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        node = self._node(index) if index.isValid() else None
        if (role != Qt.ItemDataRole.EditRole or node is None or node.kind == "group"
                or self._mode == "trash"):
            return False
        name = str(value or "").strip()
        if not name or name == node.name:
            return False
        old, node.name = node.name, name          # shown at once, confirmed by the change
        self.dataChanged.emit(index, index)
        lib = self._lib
        self._renames[node.id] = name
        if node.kind == "session":
            fn = lambda: L.rename_session(lib, session_id=node.id, name=name)  # noqa: E731
        else:
            fn = lambda: L.rename_folder(lib, folder_id=node.id, name=name)  # noqa: E731
        self._tasks.write(fn, done=lambda _: self._rename_written(node.id, name),
                          failed=lambda exc: self._rename_failed(node, old, name, exc))
        return True

    def _rename_written(self, node_id: str, name: str) -> None:
        if self._renames.get(node_id) == name:     # not renamed again meanwhile
            del self._renames[node_id]

    def _rename_failed(self, node: Node, old: str, name: str, exc: BaseException) -> None:
        self._rename_written(node.id, name)
        if self._nodes.get(node.uid) is node and node.name == name:
            node.name = old
            idx = self._index(node)
            self.dataChanged.emit(idx, idx)
        self.sig_error.emit(error_text(exc))

    # -- drag and drop -------------------------------------------------------------------------
    def mimeTypes(self):
        return [MIME_IDS]

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes):
        entries = []
        for idx in indexes:
            node = self._node(idx) if idx.isValid() else None
            if node is not None and node.kind in ("session", "folder") and (node.kind, node.id) not in entries:
                entries.append((node.kind, node.id))
        mime = QMimeData()
        mime.setData(MIME_IDS, QByteArray(encode_ids(entries)))
        return mime

    def _drop_target(self, parent: QModelIndex) -> str | None:
        node = self._node(parent) if parent.isValid() else None
        if node is not None and node.kind == "session":
            node = node.parent
        return node.id if node is not None and node.kind == "folder" else None

    def canDropMimeData(self, data, action, row, column, parent):
        if self._mode != "tree" or data is None or not data.hasFormat(MIME_IDS):
            return False
        entries = decode_ids(data.data(MIME_IDS).data())
        if not entries:
            return False
        target = self._drop_target(parent)
        chain = set(self._ancestors(self._folders[target])) | {target} if target in self._folders else set()
        return not any(kind == "folder" and fid in chain for kind, fid in entries)

    def dropMimeData(self, data, action, row, column, parent):
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self._drop_target(parent)
        entries = decode_ids(data.data(MIME_IDS).data())
        dragged = {i for k, i in entries if k == "folder"}
        sessions, folders = [], []
        for kind, rid in entries:
            node = (self._sessions if kind == "session" else self._folders).get(rid)
            if node is None or dragged & set(self._ancestors(node)):
                continue                          # it moves with its folder
            here = self._ancestors(node)[:1] or [None]
            if here[0] != target:
                (sessions if kind == "session" else folders).append(rid)
        if not sessions and not folders:
            return False
        lib = self._lib

        def op():
            if sessions:
                L.move_sessions(lib, session_ids=sessions, folder_id=target)
            for fid in folders:
                L.move_folder(lib, folder_id=fid, parent_id=target)
        self._tasks.write(op, failed=lambda exc: self.sig_error.emit(error_text(exc)))
        return True

    # -- modes -------------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Non-empty: a flat list of sessions matching names and prompts (read off the
        GUI thread); empty: back to the tree."""
        text = (text or "").strip()
        if text == self._filter:
            return
        self._filter = text
        self._search_gen += 1
        if self._trash:
            return
        if text:
            self._run_search()
        elif self._mode == "search":
            self._reset_to("tree")
            self.sig_filter_applied.emit("")

    def _run_search(self) -> None:
        self._search_gen += 1
        gen, text, lib = self._search_gen, self._filter, self._lib

        def done(rows):
            if gen == self._search_gen and not self._trash:
                self._reset_to("search", rows)
                self.sig_filter_applied.emit(text)
        self._tasks.read(lambda: L.sessions_matching(lib, text), done=done,
                         failed=lambda exc: self.sig_error.emit(error_text(exc)))

    def set_trash(self, on: bool) -> None:
        """Show trashed folders and sessions (flat, newest first) instead of the tree."""
        if bool(on) == self._trash:
            return
        self._trash = bool(on)
        self._reset_to("trash" if on else "tree")
        if not on and self._filter:
            self._run_search()

    # -- helpers for views -----------------------------------------------------------------------
    def index_for_session(self, session_id: str) -> QModelIndex:
        return self._index(self._sessions.get(session_id))

    def index_for_folder(self, folder_id: str) -> QModelIndex:
        return self._index(self._folders.get(folder_id))

    def loaded_session_count(self) -> int:
        return len(self._sessions)

    def folder_indexes(self) -> list[QModelIndex]:
        return [self._index(n) for n in self._folders.values()]

    def folder_choices(self) -> list[tuple[str, str, int]]:
        """(id, name, depth) of every folder in tree order, for "Move to folder"."""
        if self._mode == "trash":
            return [(f.id, f.name, 0) for f in L.list_folders(self._lib)]
        return [(n.id, n.name, len(self._ancestors(n))) for n in walk(self._root) if n.kind == "folder"]

    def locate_session(self, session_id: str, *, max_pages: int = 50) -> QModelIndex:
        """The session's index, loading pages up to it (at most `max_pages`)."""
        if session_id not in self._sessions and self._mode != "search":
            try:
                s = L.get_session(self._lib, session_id)
            except NotFound:
                return QModelIndex()
            if (s.trashed_at is not None) == (self._mode == "trash"):
                container = self._folders.get(s.folder_id) if self._mode == "tree" and s.folder_id else self._root
                for _ in range(max_pages):
                    if container is None or session_id in self._sessions or container.page.exhausted:
                        break
                    self.fetchMore(self._index(container))
        return self.index_for_session(session_id)

    def set_folder_collapsed(self, index: QModelIndex, collapsed: bool) -> None:
        """Remember a folder's expansion (view state: not undoable)."""
        node = self._node(index) if index.isValid() else None
        if node is None or node.kind != "folder" or self._mode != "tree":
            return
        node.collapsed = collapsed
        lib, fid = self._lib, node.id
        self._tasks.write(lambda: L.set_folder_collapsed(lib, folder_id=fid, collapsed=collapsed),
                          failed=lambda exc: self.sig_error.emit(error_text(exc)))
