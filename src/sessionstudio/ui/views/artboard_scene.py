"""A board as a QGraphicsScene: one graphics item per element, kept in step with the
catalog without rebuilding. Every change is a library operation on tasks.write; the
scene then follows Changes.artboards (and changes to the items it shows): the board is
re-read off the GUI thread and each element updated in place, added or removed.

Drags are committed on mouse release as ONE move_elements call however many elements
moved, so one undo puts them all back. Pictures start as the 256 px thumbnail and are
decoded sharper off the GUI thread when zoomed in."""

import math
from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QTransform
from PySide6.QtWidgets import QGraphicsScene, QMenu

from ... import library as L
from ...core.errors import NotFound
from ...library.artboard_elements import NOTE_SIZE
from .artboard_element import ElementItem
from .artboard_items import NoteItem, PictureItem, TrackItem, make_item
from .artboard_playback import BoardPlayback

THUMB_PX = 256


def decode_scaled(path, longest: int) -> QImage:
    """An image no larger than `longest` on its long side (a worker thread: QImage only)."""
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > longest:
        reader.setScaledSize(size.scaled(QSize(longest, longest), Qt.KeepAspectRatio))
    return reader.read()


class ArtboardScene(QGraphicsScene):
    sig_board_changed = Signal(object)   # the Artboard as last read (name, elements)
    sig_board_gone = Signal()            # trashed or deleted while shown
    sig_error = Signal(str)

    def __init__(self, lib, tasks, bridge, thumbs, parent=None):
        super().__init__(parent)
        self._lib, self._tasks, self._thumbs = lib, tasks, thumbs
        self.board_id: str | None = None
        self.board = None
        self._items: dict[str, ElementItem] = {}
        self._token = 0
        self._dirty = False               # a change arrived mid-drag: re-read on release
        self._scale = 1.0
        self._sharpening: set[str] = set()
        self._edit_when_shown: str | None = None
        self._menu: QMenu | None = None
        self.playback = BoardPlayback(self)
        self.playback.sig_error.connect(self.sig_error)
        bridge.sig_changed.connect(self._on_changed)
        thumbs.sig_ready.connect(self._on_thumb)

    # -- loading and following changes ------------------------------------------------------
    def open(self, board_id: str | None) -> None:
        self.playback.stop()
        for item in list(self._items.values()):
            self.removeItem(item)
        self._items.clear()
        self.board_id, self.board = board_id, None
        if board_id is not None:
            self.reload()

    def reload(self) -> None:
        self._token += 1
        token, board_id = self._token, self.board_id
        self._tasks.read(lambda: L.get_artboard(self._lib, board_id),
                         done=lambda b: token == self._token and self._apply(b),
                         failed=lambda e: token == self._token and self._failed(e))

    def _failed(self, exc) -> None:
        if isinstance(exc, NotFound):
            self.open(None)
            self.sig_board_gone.emit()
        else:
            self.sig_error.emit(str(exc))

    def _apply(self, board) -> None:
        if board.trashed_at is not None:
            self.open(None)
            self.sig_board_gone.emit()
            return
        if self.mouseGrabberItem() is not None:
            self._dirty = True            # never yank an element from under the pointer
            return
        self.board = board
        seen = set()
        for e in board.elements:
            seen.add(e.id)
            item = self._items.get(e.id)
            if item is None:
                item = self._items[e.id] = make_item(e)
                item.set_view_scale(self._scale)
                self.addItem(item)
            else:
                item.set_element(e)
            self._feed(item)
        for eid in [eid for eid in self._items if eid not in seen]:
            item = self._items.pop(eid)
            self.playback.release(item)
            self.removeItem(item)
        if self._edit_when_shown in self._items:
            self._start_edit(self._edit_when_shown)
        self.sig_board_changed.emit(board)

    def _on_changed(self, changes) -> None:
        if self.board_id is None:
            return
        if self.board_id in changes.artboards or changes.items & self._shown_item_ids():
            self.reload()

    def _shown_item_ids(self) -> set[str]:
        return {i.element.item_id for i in self._items.values() if i.element.item_id}

    # -- pictures and waveforms -----------------------------------------------------------
    def _feed(self, item: ElementItem) -> None:
        e = item.element
        if e.status != "ok":
            return
        if isinstance(item, PictureItem):
            item.set_image(self._thumbs.image(e.item.asset_hash, e.item.kind))
            self._sharpen(item)
        elif isinstance(item, TrackItem) and item.peaks is None:
            item.set_peaks(self._thumbs.waveform(e.item.asset_hash))

    def _on_thumb(self, asset_hash: str) -> None:
        for item in self._items.values():
            if item.element.item is not None and item.element.item.asset_hash == asset_hash:
                self._feed(item)

    def _sharpen(self, item: PictureItem) -> None:
        """Decode the image larger when it is shown larger than what it has."""
        e = item.element
        if e.item.kind != "image" or e.id in self._sharpening:
            return
        ratio = self.views()[0].devicePixelRatioF() if self.views() else 1.0
        needed = max(item.rect().width(), item.rect().height()) * self._scale * ratio
        if needed <= max(THUMB_PX, item.resolution * 1.15):
            return
        bucket = 512 * 2 ** max(0, math.ceil(math.log2(needed / 512)))   # 512, 1024, 2048
        target = min(bucket, 2048, max(e.item.width or 0, e.item.height or 0) or 2048)
        if target <= item.resolution:
            return
        self._sharpening.add(e.id)
        path = self._lib.store.path(e.item.asset_hash)

        def done(img, eid=e.id):
            self._sharpening.discard(eid)
            if self._items.get(eid) is item:
                item.set_image(img, sharp=True)
        self._tasks.read(lambda: decode_scaled(path, target), done=done,
                         failed=lambda _e, eid=e.id: self._sharpening.discard(eid))

    def set_view_scale(self, scale: float, *, sharpen: bool = True) -> None:
        """The view's zoom: handle sizes follow it at once, sharper decodes when asked
        (the view asks once the zoom settles, not at every wheel notch)."""
        self._scale = scale
        for item in self._items.values():
            item.set_view_scale(scale)
        if sharpen:
            self.sharpen_all()

    def sharpen_all(self) -> None:
        for item in self._items.values():
            if isinstance(item, PictureItem) and item.element.status == "ok":
                self._sharpen(item)

    # -- reading the scene ----------------------------------------------------------------
    def element_items(self) -> list[ElementItem]:
        return list(self._items.values())

    def item_for(self, element_id: str) -> ElementItem | None:
        return self._items.get(element_id)

    def selected_ids(self) -> list[str]:
        return [i.element_id for i in self.selectedItems() if isinstance(i, ElementItem)]

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self._items.values():
            rect = rect.united(item.scene_rect())
        return rect

    def element_at(self, pos: QPointF) -> ElementItem | None:
        for item in self.items(pos, Qt.IntersectsItemShape, Qt.DescendingOrder, QTransform()):
            while item is not None and not isinstance(item, ElementItem):
                item = item.parentItem()
            if item is not None:
                return item
        return None

    # -- committing edits -----------------------------------------------------------------
    def _write(self, fn, done=None) -> None:
        # An edit is shown before it is written; a reload already on its way read the board
        # before it and would snap it back. The write's own change brings the next reload.
        self._token += 1
        self._tasks.write(fn, done=done, failed=lambda exc: (self.sig_error.emit(str(exc)),
                                                             self.reload()))

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        moves = {}
        for item in self._items.values():
            x, y = round(item.x()), round(item.y())
            if not item.is_resizing() and (item.x(), item.y()) != (item.element.x, item.element.y):
                item.setPos(x, y)                        # whole board pixels
                item.element = replace(item.element, x=float(x), y=float(y))   # shown as it will be
                moves[item.element_id] = (x, y)
        if moves:
            lib = self._lib
            self._write(lambda: L.move_elements(lib, moves=moves))
        if self._dirty:       # a change came during the drag
            self._dirty = False
            if not moves:     # else the move's own change reloads, after it is written
                self.reload()

    def commit_resize(self, item: ElementItem) -> None:
        r = item.scene_rect()
        x, y, w, h = round(r.x()), round(r.y()), round(r.width()), round(r.height())
        item.element = replace(item.element, x=float(x), y=float(y), w=float(w), h=float(h))
        item.set_element(item.element)
        self.playback.fit_video()
        if isinstance(item, PictureItem):
            self._sharpen(item)
        lib, eid = self._lib, item.element_id
        self._write(lambda: L.resize_element(lib, element_id=eid, w=w, h=h, x=x, y=y))

    def commit_note(self, item: NoteItem, text: str, h: float | None) -> None:
        if text == item.element.text and h is None:
            return
        item.set_element(replace(item.element, text=text, h=round(h) if h else item.element.h))
        lib, eid, new_h = self._lib, item.element_id, round(h) if h else None
        self._write(lambda: L.edit_note(lib, element_id=eid, text=text, h=new_h))

    def restack(self, element_ids: list[str], to: str) -> None:
        if element_ids:
            lib, ids = self._lib, list(element_ids)
            self._write(lambda: L.set_z(lib, element_ids=ids, to=to))

    def remove(self, element_ids: list[str]) -> None:
        if element_ids:
            lib, ids = self._lib, list(element_ids)
            self._write(lambda: L.remove_elements(lib, element_ids=ids))

    def add_note_at(self, centre: QPointF, text: str = "", *, edit: bool = True) -> None:
        """A note centred on `centre` (board coordinates), edited as soon as it shows."""
        if self.board_id is None:
            return
        lib, board_id = self._lib, self.board_id
        x, y = round(centre.x() - NOTE_SIZE[0] / 2), round(centre.y() - NOTE_SIZE[1] / 2)

        def done(changes):
            if edit and changes.created:
                self._edit_when_shown = changes.created[0]
                if changes.created[0] in self._items:
                    self._start_edit(changes.created[0])
        self._write(lambda: L.add_note(lib, artboard_id=board_id, text=text, x=x, y=y), done=done)

    def _start_edit(self, element_id: str) -> None:
        self._edit_when_shown = None
        item = self._items.get(element_id)
        if isinstance(item, NoteItem):
            self.clearSelection()
            item.setSelected(True)
            item.start_edit()

    def editing(self) -> bool:
        return any(isinstance(i, NoteItem) and i.editing for i in self._items.values())

    # -- playing in place ----------------------------------------------------------------
    def toggle_playback(self, item: ElementItem) -> None:
        e = item.element
        if e.status == "ok" and e.item.kind in ("video", "music", "voiceover"):
            self.playback.toggle(item, self._lib.store.path(e.item.asset_hash), e.item.mime)

    def mousePressEvent(self, event) -> None:
        item = self.element_at(event.scenePos()) if event.button() == Qt.LeftButton else None
        local = item.mapFromScene(event.scenePos()) if item is not None else None
        if isinstance(item, (PictureItem, TrackItem)) and item.corner_at(local) is None:
            playable = isinstance(item, TrackItem) or item.kind == "video"
            if playable and item.element.status == "ok" and item.play_rect().contains(local):
                self.toggle_playback(item)
                event.accept()
                return
        super().mousePressEvent(event)

    # -- context menu --------------------------------------------------------------------
    def build_menu(self, item: ElementItem | None, scene_pos: QPointF) -> QMenu:
        menu = QMenu()
        if item is None:
            menu.addAction("Add note here", lambda: self.add_note_at(scene_pos))
            return menu
        if not item.isSelected():
            self.clearSelection()
            item.setSelected(True)
        ids = self.selected_ids()
        menu.addAction("Bring to front", lambda: self.restack(ids, "front"))
        menu.addAction("Send to back", lambda: self.restack(ids, "back"))
        if isinstance(item, NoteItem) and len(ids) == 1:
            menu.addAction("Edit note", item.start_edit)
        menu.addSeparator()
        menu.addAction("Remove from board", lambda: self.remove(ids))
        return menu

    def contextMenuEvent(self, event) -> None:
        item = self.element_at(event.scenePos())
        if isinstance(item, NoteItem) and item.editing:
            super().contextMenuEvent(event)       # the text's own Cut/Copy/Paste menu
            return
        self._menu = self.build_menu(item, event.scenePos())
        self._menu.popup(event.screenPos())
