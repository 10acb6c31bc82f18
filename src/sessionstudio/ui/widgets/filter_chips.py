"""Media-type filter chips: Images, Videos, Music, Voiceovers.

None checked means unfiltered (everything shows), as in the web app: a chip narrows the
session to its type, several chips show their union."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

CHIPS = (("image", "Images"), ("video", "Videos"), ("music", "Music"), ("voiceover", "Voiceovers"))

# palette(...) keeps the chips right in light and dark themes; checked chips take the
# highlight colour (filled), unchecked ones are outlined.
_STYLE = """
QPushButton#chip {
    border: 1px solid palette(mid);
    border-radius: 13px;
    padding: 3px 14px;
    min-height: 20px;
    background: palette(base);
    color: palette(text);
}
QPushButton#chip:hover { border-color: palette(highlight); }
QPushButton#chip:checked {
    background: palette(highlight);
    border-color: palette(highlight);
    color: palette(highlighted-text);
}
QPushButton#chip:focus { border-color: palette(text); }
"""


class FilterChips(QWidget):
    sig_kinds_changed = Signal(list)   # the selected kinds; [] means all

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._buttons: dict[str, QPushButton] = {}
        for kind, title in CHIPS:
            button = QPushButton(title, self)
            button.setObjectName("chip")
            button.setCheckable(True)
            button.setCursor(Qt.PointingHandCursor)
            button.setFocusPolicy(Qt.TabFocus)   # keyboard reachable; a click keeps focus where it was
            button.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
            button.setToolTip(f"Show {title.lower()}; with no chip selected everything shows")
            button.toggled.connect(self._on_toggled)
            layout.addWidget(button)
            self._buttons[kind] = button
        self.setStyleSheet(_STYLE)
        self._quiet = False

    def kinds(self) -> list[str]:
        """Selected kinds in display order; [] when nothing is checked (= all kinds)."""
        return [kind for kind, button in self._buttons.items() if button.isChecked()]

    def set_kinds(self, kinds) -> None:
        """Check exactly these kinds (unknown ones are ignored); emits once if it changed."""
        before = self.kinds()
        self._quiet = True
        try:
            for kind, button in self._buttons.items():
                button.setChecked(kind in (kinds or ()))
        finally:
            self._quiet = False
        if self.kinds() != before:
            self.sig_kinds_changed.emit(self.kinds())

    def button(self, kind: str) -> QPushButton:
        return self._buttons[kind]

    def _on_toggled(self, _checked: bool) -> None:
        if not self._quiet:
            self.sig_kinds_changed.emit(self.kinds())
