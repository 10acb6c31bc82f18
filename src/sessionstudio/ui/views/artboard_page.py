"""The board page in the window's central stack: a toolbar (name, Add note, zoom, Fit,
Export) over the board's view. Exports are drawn by library/artboard_export.py (Pillow)
on the reader pool, so the window never waits and the file matches the CLI's."""

from pathlib import Path

from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QLabel, QMenu, QToolButton,
                               QVBoxLayout, QWidget)

from ...library.artboard_export import export_artboard
from ..widgets.tool_button import tool_button
from .artboard_scene import ArtboardScene
from .artboard_view import ArtboardView
from .inspector_fields import muted

_STYLE = (
    "QFrame#artboardToolbar { border-bottom: 1px solid palette(mid); }"
    "QFrame#artboardToolbar QToolButton { padding: 4px 10px; border-radius: 6px; }"
    "QFrame#artboardToolbar QToolButton:hover { background: rgba(128,128,128,0.18); }"
    "QFrame#artboardToolbar QToolButton::menu-indicator { image: none; }")


class ArtboardPage(QWidget):
    sig_close_requested = Signal()
    sig_message = Signal(str)          # for the status bar

    def __init__(self, lib, tasks, bridge, thumbs, parent: QWidget | None = None):
        super().__init__(parent)
        self._lib, self._tasks = lib, tasks
        self._fit_pending = False
        self.scene = ArtboardScene(lib, tasks, bridge, thumbs, self)
        self.view = ArtboardView(self.scene, self)

        bar = QFrame(self)
        bar.setObjectName("artboardToolbar")
        bar.setStyleSheet(_STYLE)
        self.title = QLabel(bar)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.DemiBold)
        self.title.setFont(font)
        self.count_label = muted(QLabel(bar))
        self.note_button = tool_button(bar, "Add note", "Add a sticky note in the middle of the view",
                                        self.add_note, "new")
        self.zoom_out_button = tool_button(bar, "−", "Zoom out (-)", lambda: self.view.zoom_by(0.8))
        self.zoom_button = tool_button(bar, "100 %", "Zoom (Ctrl+wheel or pinch)", None)
        zoom_menu = QMenu(self.zoom_button)
        zoom_menu.addAction("Fit to content", self.view.fit_to_content)
        for pct in (50, 100, 200):
            zoom_menu.addAction(f"{pct} %", lambda p=pct: self.view.set_zoom(p / 100))
        self.zoom_button.setMenu(zoom_menu)
        self.zoom_button.setPopupMode(QToolButton.InstantPopup)
        self.zoom_in_button = tool_button(bar, "+", "Zoom in (+)", lambda: self.view.zoom_by(1.25))
        self.fit_button = tool_button(bar, "Fit", "Show everything on the board (0)",
                                       self.view.fit_to_content)
        self.export_button = tool_button(bar, "Export", "Save the board as a picture or a PDF",
                                          None, "download")
        export_menu = QMenu(self.export_button)
        self.act_export_png = QAction("Export PNG…", self)
        self.act_export_png.triggered.connect(lambda: self.export_dialog("png"))
        self.act_export_pdf = QAction("Export PDF…", self)
        self.act_export_pdf.triggered.connect(lambda: self.export_dialog("pdf"))
        export_menu.addActions([self.act_export_png, self.act_export_pdf])
        self.export_button.setMenu(export_menu)
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        self.close_button = tool_button(bar, "✕", "Close the board", self.sig_close_requested.emit)

        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 6, 8, 6)
        row.setSpacing(4)
        row.addWidget(self.title)
        row.addSpacing(6)
        row.addWidget(self.count_label)
        row.addStretch(1)
        for w in (self.note_button, self.zoom_out_button, self.zoom_button, self.zoom_in_button,
                  self.fit_button, self.export_button, self.close_button):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

        self.view.sig_zoom_changed.connect(lambda z: self.zoom_button.setText(f"{z * 100:.0f} %"))
        self.view.sig_delete_requested.connect(lambda: self.scene.remove(self.scene.selected_ids()))
        self.scene.sig_board_changed.connect(self._on_board)
        self.scene.sig_board_gone.connect(self.sig_close_requested)
        self.scene.sig_error.connect(self.sig_message)

    # -- the board ------------------------------------------------------------------------
    def open_board(self, board_id: str) -> None:
        if board_id == self.scene.board_id:
            return
        self.title.setText("")
        self.count_label.setText("")
        self._fit_pending = True            # fit once its elements are in
        self.scene.open(board_id)

    def close_board(self) -> None:
        self.scene.open(None)

    def board_id(self) -> str | None:
        return self.scene.board_id

    def stop_playback(self) -> None:
        self.scene.playback.stop()

    def _on_board(self, board) -> None:
        self.title.setText(board.name)
        n = len(board.elements)
        self.count_label.setText(f"{n} element{'s' if n != 1 else ''}" if n else "")
        if self._fit_pending:
            self._fit_pending = False
            self.view.fit_to_content()

    def add_note(self) -> None:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        self.scene.add_note_at(QPointF(centre))

    # -- export ---------------------------------------------------------------------------
    def export_dialog(self, fmt: str) -> None:
        if self.scene.board is None:
            return
        name = "".join(c for c in self.scene.board.name if c not in '\\/:*?"<>|').strip() or "Board"
        start = str(Path.home() / f"{name}.{fmt}")
        dest, _ = QFileDialog.getSaveFileName(self, f"Export board as {fmt.upper()}", start,
                                              f"{fmt.upper()} (*.{fmt})")
        if dest:
            if not dest.lower().endswith(f".{fmt}"):
                dest += f".{fmt}"
            self.export_to(dest)

    def export_to(self, dest: str | Path) -> None:
        """Draw the board into a .png or .pdf file off the GUI thread."""
        lib, board_id = self._lib, self.scene.board_id
        if board_id is None:
            return
        self._tasks.read(lambda: export_artboard(lib, board_id, dest),
                         done=lambda path: self.sig_message.emit(f"Exported the board to {path}"),
                         failed=lambda exc: self.sig_message.emit(str(exc)))
