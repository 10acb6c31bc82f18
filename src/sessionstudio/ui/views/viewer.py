"""The item viewer: one item large (image canvas, video or track player) with a toolbar
(Download, Rename, Favorite, Add to Artboard, Delete) and previous/next through the
sequence the owner gives. Keys: Left/Right, Escape, Space, + / - / 0 (fit) / 1 (100 %), F2.

Reads and decoding run on Tasks' reader pool (the thumbnail shows first, the full image
replaces it); changes go through library functions on Tasks' writer."""

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ... import library as L
from ...sync.blobs import is_pending
from .inspector_fields import Details, muted
from .viewer_canvas import ImageCanvas, MediaPage, decode_image
from .viewer_toolbar import ViewerToolbar


def _load(lib, item_id: str) -> Details:
    item = L.get_item(lib, item_id)
    ids = [i.source_item_id for i in item.inputs if i.source_item_id]
    pending = not lib.store.has(item.asset_hash) and is_pending(lib, item.asset_hash)
    return Details(item, sources=L.get_items(lib, ids) if ids else {}, pending=pending)


class ItemViewer(QWidget):
    sig_close_requested = Signal()
    sig_download_requested = Signal(list)   # item ids
    sig_item_deleted = Signal(str)
    sig_item_activated = Signal(str)        # a start/end frame or reference was clicked
    sig_current_changed = Signal(str)
    sig_add_to_artboard_requested = Signal(list, str)   # [item id], board id ('' = a new board)

    def __init__(self, lib, tasks, bridge, thumbs, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib, self._tasks, self._thumbs = lib, tasks, thumbs
        self._sequence: list[str] = []
        self._details: Details | None = None
        self._item_id: str | None = None
        self._token = 0
        self._refreshes = 0  # refresh reads land in any order: only the newest may show
        self._renaming = False
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMinimumSize(360, 240)

        self.bar = bar = ViewerToolbar(self)
        for name in ("prev_button", "next_button", "position_label", "title_edit", "zoom_label",
                     "download_button", "rename_button", "favorite_button", "artboard_button",
                     "delete_button", "close_button"):
            setattr(self, name, getattr(bar, name))   # tests and key handling reach them here
        bar.sig_previous.connect(self.previous_item)
        bar.sig_next.connect(self.next_item)
        bar.sig_download.connect(self.download)
        bar.sig_rename.connect(self.start_rename)
        bar.sig_favorite.connect(self.toggle_favorite)
        bar.sig_delete.connect(self.delete_current)
        bar.sig_close.connect(self.sig_close_requested)
        bar.sig_add_to_artboard.connect(self._add_to_artboard)
        self.title_edit.returnPressed.connect(self._commit_rename)
        self.title_edit.editingFinished.connect(self._commit_rename)

        self.canvas = ImageCanvas(self)
        self.canvas.sig_zoom_changed.connect(self._on_zoom)
        self.media = MediaPage(thumbs, self)
        self.media.sig_item_activated.connect(self.sig_item_activated)
        self.player, self.strip, self.media_title = self.media.player, self.media.strip, self.media.title
        self.player.sig_error.connect(self._show_error)
        self.message = muted(QLabel(self))
        self.message.setAlignment(Qt.AlignCenter)
        self._stack = QStackedWidget(self)
        for page in (self.canvas, self.media, self.message):
            self._stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self._stack, 1)

        bridge.sig_changed.connect(self._on_changed)
        thumbs.sig_ready.connect(self._on_thumb_ready)
        self._update_buttons()

    def resizeEvent(self, event) -> None:
        self.bar.compact(event.size().width())
        super().resizeEvent(event)

    # -- navigation --------------------------------------------------------------------
    def open_item(self, item_id: str, sequence: list[str] | None = None) -> None:
        seq = list(dict.fromkeys(sequence or []))
        self._sequence = seq if item_id in seq else [item_id]
        self._go(item_id)
        self.setFocus()

    def current_item_id(self) -> str | None:
        return self._item_id

    def current_item(self):
        return self._details.item if self._details is not None else None

    def next_item(self) -> None:
        self._step(1)

    def previous_item(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self._item_id in self._sequence:
            i = self._sequence.index(self._item_id) + delta
            if 0 <= i < len(self._sequence):
                self._go(self._sequence[i])

    def _go(self, item_id: str) -> None:
        self._cancel_rename()
        if item_id != self._item_id:
            self.player.unload()
            self.canvas.clear()
            self._details = None
        self._item_id = item_id
        self._token += 1
        token = self._token
        self._update_buttons()
        self._tasks.read(lambda: _load(self._lib, item_id),
                         done=lambda d: token == self._token and self._show(d),
                         failed=lambda e: token == self._token and self._show_error(
                             "This item no longer exists."))
        self.sig_current_changed.emit(item_id)

    # -- showing -----------------------------------------------------------------------
    def _show(self, d: Details) -> None:
        if d.item.trashed_at is not None and self._details is not None:
            self._drop_current(d.item.id)  # trashed elsewhere while shown
            return
        # First show, or the file just arrived from another device (sync).
        first = self._details is None or (self._details.pending and not d.pending)
        self._details = d
        item = d.item
        if not self._renaming:
            self.title_edit.setText(item.name)
            self.title_edit.setCursorPosition(0)
        self.media.set_title(item.name)
        self.bar.show_favorite(item.favorite)
        self._update_buttons()
        if not first:
            return  # a refresh: name or favorite changed; keep the media as it is
        if d.pending:
            self._show_error("This file is still on its way from another device. "
                             "It opens here as soon as sync brings it.")
            return
        path = self._lib.store.path(item.asset_hash)
        if item.kind == "image":
            self._stack.setCurrentWidget(self.canvas)
            self.canvas.set_image(self._thumbs.image(item.asset_hash, item.kind), item.width, item.height)
            token = self._token
            self._tasks.read(lambda: decode_image(path),
                             done=lambda img: token == self._token and self.canvas.set_image(
                                 img, item.width, item.height, full=True))
            return
        self._stack.setCurrentWidget(self.media)
        self.media.show_media(d, path)

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)

    def _update_buttons(self) -> None:
        n = len(self._sequence)
        i = self._sequence.index(self._item_id) if self._item_id in self._sequence else -1
        self.bar.show_position(i, n)
        has = self._details is not None
        self.bar.enable_item_actions(has, zoom=has and self._details.item.kind == "image")

    def _on_zoom(self, scale: float) -> None:
        self.zoom_label.setText(f"Fit · {scale * 100:.0f} %" if self.canvas.is_fit()
                                else f"{scale * 100:.0f} %")

    def _on_thumb_ready(self, asset_hash: str) -> None:
        d = self._details
        if d is not None and d.item.kind == "image" and d.item.asset_hash == asset_hash:
            self.canvas.set_image(self._thumbs.image(asset_hash, "image"), d.item.width, d.item.height)

    def _on_changed(self, changes) -> None:
        if self._item_id is not None and self._item_id in changes.items:
            token, item_id = self._token, self._item_id
            self._refreshes = seq = self._refreshes + 1
            self._tasks.read(lambda: _load(self._lib, item_id),
                             done=lambda d: (token, seq) == (self._token, self._refreshes)
                             and self._show(d))

    # -- actions -----------------------------------------------------------------------
    def set_artboard_choices(self, choices) -> None:
        """() -> [(board id, name)], newest first, for the Add to Artboard menu."""
        self.bar.set_artboard_choices(choices)

    def _add_to_artboard(self, board_id: str) -> None:
        if self._item_id is not None:
            self.sig_add_to_artboard_requested.emit([self._item_id], board_id)

    def download(self) -> None:
        if self._item_id:
            self.sig_download_requested.emit([self._item_id])

    def start_rename(self) -> None:
        if self._details is None:
            return
        self._renaming = True
        self.title_edit.setReadOnly(False)
        self.title_edit.setFocusPolicy(Qt.StrongFocus)
        self.title_edit.setProperty("editing", True)
        self.title_edit.style().polish(self.title_edit)
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def _end_rename(self) -> None:
        self._renaming = False
        self.title_edit.setReadOnly(True)
        self.title_edit.setFocusPolicy(Qt.NoFocus)
        self.title_edit.setProperty("editing", False)
        self.title_edit.style().polish(self.title_edit)
        self.title_edit.setCursorPosition(0)
        self.setFocus()

    def _commit_rename(self) -> None:
        if not self._renaming or self._details is None:
            return
        name, item = self.title_edit.text().strip(), self._details.item
        self._end_rename()
        if name and name != item.name:
            item_id, details = item.id, self._details
            # Shown at once: a second rename or Escape before the change refresh lands must
            # start from the new name, not the one the last load saw.
            details.item = dataclasses.replace(item, name=name)
            self._refreshes += 1     # a refresh already on its way read the old name

            def failed(e):
                if self._details is details:
                    details.item = item
                    self.title_edit.setText(item.name)
                self._tasks.sig_error.emit(str(e))
            self._tasks.write(lambda: L.rename_item(self._lib, item_id=item_id, name=name),
                              failed=failed)
        else:
            self.title_edit.setText(item.name)

    def _cancel_rename(self) -> None:
        if self._renaming:
            self._end_rename()
            if self._details is not None:
                self.title_edit.setText(self._details.item.name)

    def toggle_favorite(self) -> None:
        if self._details is None:
            return
        details = self._details
        item = details.item
        favorite = not item.favorite
        details.item = dataclasses.replace(item, favorite=favorite)  # a second click toggles back
        self._refreshes += 1
        self.bar.show_favorite(favorite)

        def failed(exc):
            if self._details is details:
                details.item = item
                self.bar.show_favorite(item.favorite)
            self._tasks.sig_error.emit(str(exc))
        self._tasks.write(lambda: L.set_favorite(self._lib, item_ids=[item.id], favorite=favorite),
                          failed=failed)

    def delete_current(self) -> None:
        if self._item_id is None or self._details is None:
            return
        item_id = self._item_id
        self.player.stop()
        self._tasks.write(lambda: L.trash_items(self._lib, item_ids=[item_id]),
                          done=lambda _: (self.sig_item_deleted.emit(item_id),
                                          self._drop_current(item_id)))

    def _drop_current(self, item_id: str) -> None:
        if item_id not in self._sequence:
            return
        i = self._sequence.index(item_id)
        self._sequence.remove(item_id)
        if item_id != self._item_id:
            self._update_buttons()
        elif self._sequence:
            self._go(self._sequence[min(i, len(self._sequence) - 1)])
        else:
            self.player.unload()
            self._item_id, self._details = None, None
            self._show_error("Nothing left to show.")
            self._update_buttons()
            self.sig_close_requested.emit()

    # -- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key_Escape:
            self._cancel_rename() if self._renaming else self.sig_close_requested.emit()
        elif key == Qt.Key_Right:
            self.next_item()
        elif key == Qt.Key_Left:
            self.previous_item()
        elif key == Qt.Key_Space and self._stack.currentWidget() is self.media:
            self.player.toggle_play()
        elif key in (Qt.Key_Plus, Qt.Key_Equal):
            self.canvas.zoom_in()
        elif key in (Qt.Key_Minus, Qt.Key_Underscore):
            self.canvas.zoom_out()
        elif key == Qt.Key_0:
            self.canvas.fit()
        elif key == Qt.Key_1:
            self.canvas.actual_size()
        elif key == Qt.Key_F2:
            self.start_rename()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def hideEvent(self, event) -> None:
        self.player.pause()
        super().hideEvent(event)
