"""The flat toolbar button of the viewer and the board: text (and an icon beside it),
a tooltip, no keyboard focus (keys stay with the view), a click handler."""

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QToolButton, QWidget

from ..icons import icon


def tool_button(parent: QWidget, text: str, tip: str, on_click: Callable[[], None] | None = None,
                icon_name: str | None = None, *, icon_px: int | None = None) -> QToolButton:
    b = QToolButton(parent)
    b.setText(text)
    b.setToolTip(tip)
    b.setFocusPolicy(Qt.NoFocus)
    b.setAutoRaise(True)
    if icon_name:
        b.setIcon(icon(icon_name))
        if icon_px:
            b.setIconSize(QSize(icon_px, icon_px))
        b.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
    if on_click is not None:
        b.clicked.connect(lambda _=False: on_click())
    return b
