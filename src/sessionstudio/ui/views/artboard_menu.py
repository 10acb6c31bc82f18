"""The "Add to Artboard" menu shared by tiles and the viewer: the boards (newest first)
and "New board…". The boards come from a callable the owner gives (an in-memory list
kept fresh in the background), so opening the menu never reads the disk."""

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QMenu, QWidget

MAX_LISTED = 15
NEW_BOARD = "New board…"

Choices = Callable[[], list[tuple[str, str]]]     # () -> [(board id, name)]


def fill_artboard_menu(menu: QMenu, choices: Choices | None, pick: Callable[[str], None]) -> None:
    """pick(board_id) for a board, pick("") for a new one."""
    menu.clear()
    boards = list(choices()) if choices is not None else []
    for board_id, name in boards[:MAX_LISTED]:
        menu.addAction(name.replace("&", "&&"), partial(pick, board_id))
    if boards:
        menu.addSeparator()
    menu.addAction(NEW_BOARD, partial(pick, ""))


def artboard_menu(parent: QWidget, choices: Choices | None, pick: Callable[[str], None]) -> QMenu:
    menu = QMenu("Add to Artboard", parent)
    fill_artboard_menu(menu, choices, pick)
    menu.aboutToShow.connect(lambda: fill_artboard_menu(menu, choices, pick))
    return menu
