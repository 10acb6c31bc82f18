"""The viewer's toolbar: previous/next with the position, the item's name (edited in
place for Rename), zoom, and Download, Rename, Favorite, Add to Artboard, Delete, Close.

It only shows state and reports clicks (`sig_*`); the viewer decides what they do."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QLineEdit, QToolButton

from ..widgets.tool_button import tool_button
from .artboard_menu import artboard_menu
from .inspector_fields import muted

COMPACT_BELOW = 760   # narrower than this, labelled buttons show their icon only

STYLE = (
    "QFrame#viewerToolbar { border-bottom: 1px solid palette(mid); }"
    "QFrame#viewerToolbar QToolButton { padding: 4px 10px; border-radius: 6px; }"
    "QFrame#viewerToolbar QToolButton:hover { background: rgba(128,128,128,0.18); }"
    "QFrame#viewerToolbar QToolButton:checked { color: palette(highlight); font-weight: 600; }"
    "QLineEdit#viewerTitle { border: 1px solid transparent; background: transparent;"
    " font-weight: 600; padding: 3px 6px; }"
    "QLineEdit#viewerTitle[editing=\"true\"] { border-color: palette(highlight);"
    " background: palette(base); }")


class ViewerToolbar(QFrame):
    sig_previous = Signal()
    sig_next = Signal()
    sig_download = Signal()
    sig_rename = Signal()
    sig_favorite = Signal()
    sig_delete = Signal()
    sig_close = Signal()
    sig_add_to_artboard = Signal(str)   # board id ('' = a new board)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("viewerToolbar")
        self.setStyleSheet(STYLE)
        self.prev_button = self._button("‹", "Previous (Left arrow)", self.sig_previous)
        self.next_button = self._button("›", "Next (Right arrow)", self.sig_next)
        for b in (self.prev_button, self.next_button):
            f = QFont(b.font())
            f.setPointSizeF(f.pointSizeF() * 1.9)
            b.setFont(f)
        self.position_label = muted(QLabel(self))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("viewerTitle")
        self.title_edit.setReadOnly(True)
        self.title_edit.setFocusPolicy(Qt.NoFocus)
        self.zoom_label = muted(QLabel(self))
        self.download_button = self._button("Download", "Save a copy of the original file",
                                            self.sig_download, "download")
        self.rename_button = self._button("Rename", "Rename (F2)", self.sig_rename)
        self.favorite_button = self._button("Favorite", "Add to favorites", self.sig_favorite,
                                            "favorite")
        self.favorite_button.setCheckable(True)
        self.artboard_button = self._button("Add to Artboard",
                                            "Put this item on a board (or a new one)", None)
        self._artboard_choices = None
        self.artboard_button.setMenu(artboard_menu(self.artboard_button, lambda: (
            self._artboard_choices() if self._artboard_choices else []),
            self.sig_add_to_artboard.emit))
        self.artboard_button.setPopupMode(QToolButton.InstantPopup)
        self.delete_button = self._button("Delete", "Move to the trash", self.sig_delete, "delete")
        self.close_button = self._button("✕", "Close (Esc)", self.sig_close)
        row = QHBoxLayout(self)
        # The bar may be narrower than its buttons (they turn icon-only, see resizeEvent):
        # otherwise the viewer's width would set the whole window's minimum width.
        row.setSizeConstraint(QLayout.SetNoConstraint)
        self.setMinimumWidth(0)
        self._labelled = (self.download_button, self.favorite_button, self.delete_button)
        row.setContentsMargins(8, 6, 8, 6)
        row.setSpacing(4)
        for w in (self.prev_button, self.next_button, self.position_label):
            row.addWidget(w)
        row.addSpacing(8)
        row.addWidget(self.title_edit, 1)
        for w in (self.zoom_label, self.download_button, self.rename_button, self.favorite_button,
                  self.artboard_button, self.delete_button, self.close_button):
            row.addWidget(w)

    def _button(self, text, tip, signal, icon_name: str | None = None) -> QToolButton:
        return tool_button(self, text, tip, signal.emit if signal is not None else None,
                           icon_name, icon_px=16)

    def compact(self, width: int) -> None:
        """Icon-only labelled buttons when the viewer is narrow."""
        style = Qt.ToolButtonIconOnly if width < COMPACT_BELOW else Qt.ToolButtonTextBesideIcon
        for b in self._labelled:
            b.setToolButtonStyle(style)

    def set_artboard_choices(self, choices) -> None:
        """() -> [(board id, name)], newest first, for the Add to Artboard menu."""
        self._artboard_choices = choices

    def show_position(self, index: int, count: int) -> None:
        """index: the item's place in the sequence (-1: not in it)."""
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(0 <= index < count - 1)
        self.position_label.setText(f"{index + 1} of {count}" if count > 1 and index >= 0 else "")

    def show_favorite(self, favorite: bool) -> None:
        self.favorite_button.setChecked(favorite)
        self.favorite_button.setText("Favorited" if favorite else "Favorite")
        self.favorite_button.setToolTip("Remove from favorites" if favorite else "Add to favorites")

    def enable_item_actions(self, enabled: bool, *, zoom: bool) -> None:
        for b in (self.download_button, self.rename_button, self.favorite_button,
                  self.delete_button, self.artboard_button):
            b.setEnabled(enabled)
        self.zoom_label.setVisible(zoom)
