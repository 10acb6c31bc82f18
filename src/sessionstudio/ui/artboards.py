"""Routing artboard requests in the window: opening a board from the sidebar into the
central stack, and "Add to Artboard" from tiles and the viewer (an existing board, or
a new one named here: one undo step either way).

Keeps the list of live boards in memory (re-read off the GUI thread when
Changes.artboards says they changed) so the Add to Artboard menus open instantly."""

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QStackedWidget, QWidget

from .. import library as L
from .views.artboard_page import ArtboardPage


class Artboards(QObject):
    sig_message = Signal(str)          # for the status bar

    def __init__(self, lib, tasks, bridge, thumbs, *, stack: QStackedWidget, back_to: QWidget,
                 parent_widget: QWidget):
        super().__init__(parent_widget)
        self.lib, self.tasks = lib, tasks
        self._stack, self._back_to, self._parent = stack, back_to, parent_widget
        self._boards: list[tuple[str, str]] = []
        self._token = 0
        self._sidebar = None
        self.page = ArtboardPage(lib, tasks, bridge, thumbs)
        stack.addWidget(self.page)
        self.page.sig_close_requested.connect(self.leave)
        self.page.sig_message.connect(self.sig_message)
        bridge.sig_changed.connect(lambda ch: ch.artboards and self._refresh())
        self._refresh()

    def connect_sources(self, *, sidebar, canvas, viewer) -> None:
        """Where boards are opened from and items added from."""
        sidebar.sig_artboard_open_requested.connect(self.open)
        self._sidebar = sidebar
        for source in (canvas, viewer):
            source.set_artboard_choices(self.choices)
            source.sig_add_to_artboard_requested.connect(self.add_items)

    # -- boards -------------------------------------------------------------------------------
    def choices(self) -> list[tuple[str, str]]:
        """(board id, name) of the live boards, newest first (in memory)."""
        return list(self._boards)

    def _refresh(self) -> None:
        self._token += 1
        token, lib = self._token, self.lib
        self.tasks.read(lambda: [(b.id, b.name) for b in L.list_artboards(lib)],
                        done=lambda rows: token == self._token and setattr(self, "_boards", rows))

    def open(self, board_id: str) -> None:
        self.page.open_board(board_id)
        self._stack.setCurrentWidget(self.page)
        self.page.setFocus()
        if self._sidebar is not None:
            self._sidebar.artboards.select_board(board_id)

    def is_showing(self) -> bool:
        return self._stack.currentWidget() is self.page

    def leave(self) -> None:
        """Back to the session's canvas (a session was opened, or the board closed)."""
        self.page.stop_playback()
        if self.is_showing():
            self._stack.setCurrentWidget(self._back_to)
            self._back_to.setFocus()

    # -- adding items -------------------------------------------------------------------------
    def add_items(self, item_ids: list, board_id: str,
                  ask_name: Callable[[str], str | None] | None = None) -> None:
        """Put items on a board; an empty board id makes a new board (its name asked)."""
        ids, lib = list(item_ids), self.lib
        n = f"{len(ids)} item{'s' if len(ids) != 1 else ''}"
        if board_id:
            name = dict(self._boards).get(board_id, "the board")
            self.tasks.write(lambda: L.add_to_artboard(lib, artboard_id=board_id, item_ids=ids),
                             done=lambda _ch: self.sig_message.emit(f"Added {n} to “{name}”."))
            return
        name = (ask_name or self._ask_name)(f"Board {len(self._boards) + 1}")
        if not name:
            return
        self.tasks.write(lambda: L.create_artboard(lib, name=name, item_ids=ids),
                         done=lambda _ch: self.sig_message.emit(f"Added {n} to the new board “{name}”."))

    def _ask_name(self, default: str) -> str | None:
        name, ok = QInputDialog.getText(self._parent, "New board", "Name of the new board:",
                                        text=default)
        return name.strip() if ok and name.strip() else None
