"""The left pane of the canvas: images and videos as a grid of tiles.

One QListView in icon mode over an ItemListModel (ids + lazy rows); tiles are painted by
TileDelegate; the size slider sets the tile size. Items drag out to other apps as files
(exported when the drag starts); files dropped from the OS are offered for import."""

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListView, QSlider, QVBoxLayout, QWidget

from ..models.item_model import ITEM_IDS_MIME, IdRole, ItemListModel
from .tile_delegate import TileActions, TileDelegate

MIN_TILE, MAX_TILE, DEFAULT_TILE = 96, 320, 192


def dropped_paths(mime: QMimeData | None) -> list[str]:
    """Local file paths of an OS drop; [] for our own drags (they carry item ids)."""
    if mime is None or not mime.hasUrls() or mime.hasFormat(ITEM_IDS_MIME):
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class DropListView(QListView):
    """A list view that offers OS file drops (emits their paths) and ignores its own drags."""
    sig_files_dropped = Signal(list)

    def _accept(self, event) -> None:
        if dropped_paths(event.mimeData()):
            event.setDropAction(Qt.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event) -> None:
        self._accept(event)

    def dragMoveEvent(self, event) -> None:
        self._accept(event)

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.setDropAction(Qt.CopyAction)
            event.accept()
            self.sig_files_dropped.emit(paths)
        else:
            event.ignore()

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [self.model().index(r).data(IdRole) for r in rows]

    def select_ids(self, ids) -> None:
        model, selection = self.model(), QItemSelection()
        rows = sorted(r for r in (model.row_of(i) for i in ids) if r >= 0)
        for row in rows:
            selection.select(model.index(row), model.index(row))
        flags = QItemSelectionModel.ClearAndSelect
        self.selectionModel().select(selection, flags)
        if rows:
            self.selectionModel().setCurrentIndex(model.index(rows[0]), QItemSelectionModel.NoUpdate)
            self.scrollTo(model.index(rows[0]))

    def configure_drag_and_drop(self) -> None:
        # After setViewMode/setMovement, which switch dragging and drops off for Static.
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QListView.DragDrop)
        self.setDefaultDropAction(Qt.CopyAction)


class VisualPane(QWidget):
    sig_import_requested = Signal(list)          # paths dropped from the OS
    sig_tile_action = Signal(str, str, QPoint)   # item id, hover action, where to pop a menu
    sig_open_requested = Signal(str)             # double-click / Enter
    sig_selection_changed = Signal()
    sig_tile_size_changed = Signal(int)

    def __init__(self, lib, tasks, bridge, thumbs, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ItemListModel(lib, tasks, self)
        self.view = DropListView(self)
        view = self.view
        view.setViewMode(QListView.IconMode)
        view.setMovement(QListView.Static)
        view.setResizeMode(QListView.Adjust)
        view.setUniformItemSizes(True)
        view.setLayoutMode(QListView.Batched)
        view.setBatchSize(500)
        view.setSelectionMode(QListView.ExtendedSelection)
        view.setSelectionRectVisible(True)
        view.setVerticalScrollMode(QListView.ScrollPerPixel)
        view.verticalScrollBar().setSingleStep(24)
        view.setMouseTracking(True)
        view.setFrameShape(QListView.NoFrame)
        view.setSpacing(0)
        view.configure_drag_and_drop()
        self.actions = TileActions(self)
        self.delegate = TileDelegate(thumbs, self.actions, view)
        view.setItemDelegate(self.delegate)
        view.setModel(self.model)

        self.slider = QSlider(Qt.Horizontal, self)
        self.slider.setRange(MIN_TILE, MAX_TILE)
        self.slider.setSingleStep(8)
        self.slider.setPageStep(32)
        self.slider.setValue(DEFAULT_TILE)
        self.slider.setFixedWidth(150)
        self.slider.setToolTip("Thumbnail size")
        self.count_label = QLabel(self)
        self.count_label.setEnabled(False)   # muted text in every palette
        footer = QHBoxLayout()
        footer.setContentsMargins(8, 2, 8, 4)
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        size_label = QLabel("Size", self)
        size_label.setEnabled(False)
        footer.addWidget(size_label)
        footer.addWidget(self.slider)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(view, 1)
        layout.addLayout(footer)

        view.installEventFilter(self)
        self.slider.valueChanged.connect(self.set_tile_size)
        self.set_tile_size(DEFAULT_TILE)
        view.sig_files_dropped.connect(self.sig_import_requested)
        view.activated.connect(lambda index: self.sig_open_requested.emit(index.data(IdRole)))
        view.selectionModel().selectionChanged.connect(lambda *_: self.sig_selection_changed.emit())
        self.actions.sig_action.connect(self.sig_tile_action)
        bridge.sig_changed.connect(self.model.apply_changes)
        thumbs.sig_ready.connect(self._on_thumbnail_ready)
        bridge.sig_thumbnail_ready.connect(self._on_thumbnail_ready)
        for sig in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            sig.connect(self._update_count)
        self._update_count()

    # -- public --------------------------------------------------------------------------
    def set_session(self, session_id: str | None, kinds) -> None:
        self.model.set_session(session_id, kinds)

    def tile_size(self) -> int:
        return self.delegate.tile_size

    def set_tile_size(self, px: int) -> None:
        px = max(MIN_TILE, min(MAX_TILE, int(px)))
        if self.slider.value() != px:
            self.slider.setValue(px)   # re-enters through valueChanged
            return
        changed = px != self.delegate.tile_size
        self.delegate.tile_size = px
        self._update_grid()
        if self.model.rowCount():
            self.delegate.sizeHintChanged.emit(self.model.index(0))   # relayout once
        if changed:
            self.sig_tile_size_changed.emit(px)

    def _update_grid(self) -> None:
        # Columns share the width evenly, so the grid has no ragged right edge. The
        # scroll bar's width is always set aside, so its appearing cannot re-wrap.
        cell = self.delegate.cell_size() + QSize(6, 6)
        # QListView wraps a cell that ends exactly on the viewport's edge: keep 2 px spare.
        width = (self.view.contentsRect().width() - self.view.verticalScrollBar().sizeHint().width()
                 - 2)
        columns = max(1, width // cell.width())
        grid = QSize(max(cell.width(), width // columns), cell.height())
        if grid != self.view.gridSize():
            self.view.setGridSize(grid)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.view and event.type() == QEvent.Resize:
            self._update_grid()
        return False

    def selected_ids(self) -> list[str]:
        return self.view.selected_ids()

    def select(self, ids) -> None:
        self.view.select_ids(ids)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def handle_drop(self, mime: QMimeData) -> bool:
        """What a drop from the OS does, without a drag: emits the paths; False if none."""
        paths = dropped_paths(mime)
        if paths:
            self.sig_import_requested.emit(paths)
        return bool(paths)

    # -- internals -------------------------------------------------------------------------
    def _on_thumbnail_ready(self, asset_hash: str) -> None:
        for item_id in self.delegate.take_waiting(asset_hash):
            row = self.model.row_of(item_id)
            if row >= 0:
                self.view.update(self.model.index(row))   # that tile's rect only

    def _update_count(self, *_args) -> None:
        n = self.model.rowCount()
        self.count_label.setText("" if n == 0 else f"{n:,} item{'s' if n != 1 else ''}")
