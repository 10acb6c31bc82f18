"""A session's items as a flat list model: ids in memory, rows fetched lazily.

The id list (newest first) comes from `list_item_ids`, a single indexed query of about
2 ms for 20,000 ids, so it runs on the GUI thread and the row count is exact at once.
`Item` rows are fetched in batches around the row a view asks for, on the reader pool
when `tasks` is given (a placeholder is shown meanwhile), into a bounded LRU cache.
Library changes are applied as row inserts/removals and dataChanged, never a reset."""

import dataclasses
from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, Qt, QUrl, Signal

from ...core.changes import Changes
from ...core.models import Item
from ...library import Library, get_items, list_item_ids
from ...library.drag_files import DragFiles

ItemRole = Qt.UserRole + 1   # the Item, or None until its row is fetched
IdRole = Qt.UserRole + 2     # the item id (always known)
KindRole = Qt.UserRole + 3   # "image" | "video" | "music" | "voiceover", None until fetched

_ITEM_ROLES = {Qt.DisplayRole, Qt.ToolTipRole, ItemRole, KindRole}
ITEM_IDS_MIME = "application/x-sessionstudio-item-ids"
DRAG_PREPARE_MAX = 12   # files made ahead for a selection up to this size (Ctrl+A: at drag)


class ItemListModel(QAbstractListModel):
    ItemRole, IdRole, KindRole = ItemRole, IdRole, KindRole
    sig_loaded = Signal()            # the id list of a new session/filter is in place
    sig_rows_fetched = Signal(list)  # ids whose Item rows just arrived

    def __init__(self, lib: Library, tasks=None, parent=None, *, batch: int = 200,
                 capacity: int = 1500):
        super().__init__(parent)
        self._lib = lib
        self._tasks = tasks              # None: fetch synchronously (scripts, model tests)
        self._batch = batch
        self._capacity = capacity
        self._session_id: str | None = None
        self._kinds: list[str] = []
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._cache: OrderedDict[str, Item] = OrderedDict()
        self._pending: set[str] = set()
        self._missing: set[str] = set()  # asked for but not returned (purged meanwhile)
        self._edits: dict[str, dict] = {}  # shown before written: laid over rows read meanwhile
        self._generation = 0
        self.drag_files = DragFiles(lib)
        self.fetch_count = 0             # batches requested (tests and benchmarks read it)

    # -- loading -------------------------------------------------------------------------
    def set_session(self, session_id: str | None, kinds: Iterable[str] | None = None) -> None:
        """Show this session's items of these kinds (None: all kinds; []: nothing)."""
        self._session_id = session_id
        self._kinds = list(kinds) if kinds is not None else ["image", "video", "music", "voiceover"]
        self.beginResetModel()   # a different list altogether: the one reset we allow
        self._generation += 1
        self._ids = self._query_ids()
        self._reindex()
        self._cache.clear()
        self._pending.clear()
        self._missing.clear()
        self._edits.clear()
        self.endResetModel()
        self.sig_loaded.emit()

    def session_id(self) -> str | None:
        return self._session_id

    def kinds(self) -> list[str]:
        return list(self._kinds)

    def _query_ids(self) -> list[str]:
        if self._session_id is None or not self._kinds:
            return []
        return list_item_ids(self._lib, session_id=self._session_id, kinds=self._kinds)

    def _reindex(self) -> None:
        self._rows = {iid: row for row, iid in enumerate(self._ids)}

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        iid = self._ids[index.row()]
        if role == IdRole:
            return iid
        if role not in _ITEM_ROLES:
            return None
        item = self._item(index.row())
        if role == ItemRole:
            return item
        if role == Qt.DisplayRole:
            return item.name if item else ""
        if role == Qt.ToolTipRole:
            return (item.prompt or item.name) if item else None
        return item.kind if item else None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemIsDragEnabled if index.isValid() else base

    # -- drag out -----------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return ["text/uri-list", ITEM_IDS_MIME]

    def supportedDragActions(self):
        return Qt.CopyAction

    def prepare_drag(self, item_ids: list[str]) -> None:
        """Make the files a drag of these items would hand out, in the background, so the
        drag itself starts without disk work (called as the selection changes)."""
        # Without tasks the model serves a script or test, not a window: no drags come.
        if self._tasks is not None and 0 < len(item_ids) <= DRAG_PREPARE_MAX:
            self.drag_files.prepare_soon(item_ids)

    def mimeData(self, indexes) -> QMimeData:
        """File URLs for a drag to other apps: the items' files with their recipe, as
        Download writes them. Files prepared for the selection are used as they are; only
        the others are made now (on the GUI thread: the OS needs them before it returns)."""
        ids = [self._ids[i.row()] for i in sorted(indexes, key=lambda i: i.row())
               if i.isValid() and i.row() < len(self._ids)]
        mime = QMimeData()
        mime.setData(ITEM_IDS_MIME, "\n".join(ids).encode("utf-8"))
        files = self.drag_files.for_drag(ids, [self._cache[i] for i in ids if i in self._cache])
        mime.setUrls([QUrl.fromLocalFile(str(files[i])) for i in ids if i in files])
        return mime

    # -- row cache -------------------------------------------------------------------------
    def _item(self, row: int) -> Item | None:
        iid = self._ids[row]
        item = self._cache.get(iid)
        if item is not None:
            self._cache.move_to_end(iid)
            return item
        if iid not in self._pending and iid not in self._missing:
            self._fetch_around(row)
            item = self._cache.get(iid)   # present now when fetching synchronously
        return item

    def _fetch_around(self, row: int) -> None:
        start = (row // self._batch) * self._batch
        wanted = [i for i in self._ids[start:start + self._batch]
                  if i not in self._cache and i not in self._pending and i not in self._missing]
        if not wanted:
            return
        self.fetch_count += 1
        self._pending.update(wanted)
        generation = self._generation
        if self._tasks is None:
            self._fetched(generation, wanted, get_items(self._lib, wanted))
            return
        lib = self._lib
        self._tasks.read(lambda: get_items(lib, wanted),
                         done=lambda rows: self._fetched(generation, wanted, rows),
                         failed=lambda _exc: self._pending.difference_update(wanted))

    def _fetched(self, generation: int, wanted: list[str], rows: dict[str, Item]) -> None:
        if generation != self._generation:
            return  # a different session or filter is shown now
        self._pending.difference_update(wanted)
        for iid in wanted:
            item = rows.get(iid)
            if item is None:
                self._missing.add(iid)
            else:
                if iid in self._edits:      # read before the edit shown early was written
                    item = dataclasses.replace(item, **self._edits[iid])
                self._cache[iid] = item
                self._cache.move_to_end(iid)
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        self._emit_changed([i for i in wanted if i in rows])
        self.sig_rows_fetched.emit([i for i in wanted if i in rows])

    def _emit_changed(self, ids: Iterable[str]) -> None:
        rows = sorted(self._rows[i] for i in ids if i in self._rows)
        if not rows:
            return
        run_start = prev = rows[0]
        for row in rows[1:] + [None]:
            if row is None or row != prev + 1:
                self.dataChanged.emit(self.index(run_start), self.index(prev))
                run_start = row
            prev = row

    @property
    def cache_size(self) -> int:
        return len(self._cache)

    # -- library changes -----------------------------------------------------------------
    def show_edit(self, ids: Iterable[str], **fields) -> None:
        """Show an edit being written (a star, say) before its change arrives, so a second
        click reads the new value. The change then re-reads the rows as usual."""
        ids = [i for i in ids if i in self._rows]
        for iid in ids:
            self._edits.setdefault(iid, {}).update(fields)
            if iid in self._cache:
                self._cache[iid] = dataclasses.replace(self._cache[iid], **fields)
        self._emit_changed(ids)

    def forget(self, ids: Iterable[str]) -> None:
        """Drop cached rows (an edit shown early failed): they are read again."""
        for iid in ids:
            self._edits.pop(iid, None)
        ids = [i for i in ids if self._cache.pop(i, None) is not None]
        self._generation += 1
        self._pending.clear()
        self._emit_changed(ids)

    def apply_changes(self, changes: Changes) -> bool:
        """Follow a library change with row inserts/removals and dataChanged (no reset).
        Returns whether it concerned this model."""
        if self._session_id is None:
            return False
        if self._session_id in changes.sessions and self._session_id not in changes.session_contents:
            self.drag_files.forget()        # renamed, say: the recipes inside name the session
        touched = [i for i in changes.items if i in self._rows]
        if self._session_id not in changes.session_contents and not touched:
            return False
        for iid in touched:
            self._cache.pop(iid, None)
            self._missing.discard(iid)
            self._edits.pop(iid, None)      # the change is here: rows read from now have it
        self._generation += 1     # rows fetched before this change may be stale
        self._pending.clear()
        self._sync_ids(self._query_ids())
        self._emit_changed(touched)
        return True

    def _sync_ids(self, new: list[str]) -> None:
        new_set, old_set = set(new), set(self._rows)
        # Removals, bottom up, in contiguous runs.
        gone = [row for row, iid in enumerate(self._ids) if iid not in new_set]
        while gone:
            last = gone.pop()
            first = last
            while gone and gone[-1] == first - 1:
                first = gone.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            for iid in self._ids[first:last + 1]:
                self._cache.pop(iid, None)
            del self._ids[first:last + 1]
            self._rows = {}
            self.endRemoveRows()
        kept = [i for i in new if i in old_set]
        if kept != self._ids:
            self._reorder(kept)   # kept rows changed order (never by created_at): rare
        # Insertions, top down: before row i both lists agree.
        i = 0
        while i < len(new):
            if new[i] in old_set:
                i += 1
                continue
            j = i
            while j < len(new) and new[j] not in old_set:
                j += 1
            self.beginInsertRows(QModelIndex(), i, j - 1)
            self._ids[i:i] = new[i:j]
            self.endInsertRows()
            i = j
        self._reindex()

    def _reorder(self, kept: list[str]) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._ids[p.row()] if p.isValid() and p.row() < len(self._ids) else None
                for p in persistent]
        self._ids = list(kept)
        self._reindex()
        self.changePersistentIndexList(
            persistent, [self.index(self._rows[i]) if i in self._rows else QModelIndex()
                         for i in held])
        self.layoutChanged.emit()

    # -- lookups ---------------------------------------------------------------------------
    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: str) -> int:
        return self._rows.get(item_id, -1)

    def item_at(self, row: int) -> Item | None:
        """The cached Item of a row (fetching its batch if needed; None while it loads)."""
        return self._item(row) if 0 <= row < len(self._ids) else None

    def cached_item(self, item_id: str) -> Item | None:
        return self._cache.get(item_id)
