"""The inspector's sync notes: "also edited on <device>" with the value that lost a
merge (take it back, or keep the current one), and a file still on its way."""

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...sync.conflicts import Conflict, can_use, field_label
from .tile_delegate import draw_glyph


class ConflictBox(QFrame):
    sig_use = Signal(int)          # conflict id: take this value back
    sig_dismiss = Signal(list)     # conflict ids: keep what is shown

    def __init__(self, conflicts: list[tuple[Conflict, str]], parent: QWidget | None = None):
        """conflicts: (conflict, its value as words), read off the GUI thread."""
        super().__init__(parent)
        self.setObjectName("conflictBox")
        self.setStyleSheet(
            "QFrame#conflictBox { border: 1px solid palette(highlight); border-radius: 8px;"
            " background: palette(alternate-base); }"
            "QPushButton { border: 1px solid palette(mid); border-radius: 5px; padding: 3px 10px;"
            " background: palette(base); } QPushButton:hover { border-color: palette(highlight); }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        devices = sorted({c.device_name for c, _ in conflicts})
        title = QLabel(f"Also edited on {', '.join(devices)}", self)
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        self.use_buttons: dict[int, QPushButton] = {}
        for c, words in conflicts:
            text = QLabel(f"{field_label(c)}: {words}", self)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextSelectableByMouse)
            text.setTextFormat(Qt.PlainText)
            layout.addWidget(text)
            if can_use(c):
                row = QHBoxLayout()
                use = QPushButton("Use this", self)
                use.setToolTip(f"Set the {field_label(c).lower()} to the value from {c.device_name} "
                               "(undoable; your other devices follow)")
                use.clicked.connect(lambda _=False, cid=c.id: self.sig_use.emit(cid))
                row.addWidget(use)
                row.addStretch(1)
                layout.addLayout(row)
                self.use_buttons[c.id] = use
        keep = QPushButton("Keep current" if len(conflicts) == 1 else "Keep current values", self)
        keep.setToolTip("Forget the other device's value; what is shown stays")
        keep.clicked.connect(lambda: self.sig_dismiss.emit([c.id for c, _ in conflicts]))
        self.keep_button = keep
        row = QHBoxLayout()
        row.addWidget(keep)
        row.addStretch(1)
        layout.addLayout(row)


def pending_note(parent: QWidget) -> QLabel:
    label = QLabel("This file is still on its way from another device. It appears here "
                   "as soon as sync brings it.", parent)
    label.setObjectName("pendingNote")
    label.setWordWrap(True)
    label.setStyleSheet("QLabel#pendingNote { border: 1px dashed palette(mid); border-radius: 6px;"
                        " padding: 8px; }")
    return label


def pending_preview(widget: QWidget, width: int, height: int) -> QPixmap:
    """The preview of a file still on its way: the grid's cloud and words, not a blank."""
    dpr = widget.devicePixelRatioF()
    pix = QPixmap(round(width * dpr), round(height * dpr))
    pix.setDevicePixelRatio(dpr)
    pix.fill(Qt.transparent)
    color = widget.palette().placeholderText().color()
    painter = QPainter(pix)
    side = max(24, min(width, height) // 4)
    glyph = QRect((width - side) // 2, (height - side) // 2 - 10, side, side)
    draw_glyph(painter, "cloud", glyph, color, 1.5)
    painter.setPen(color)
    painter.drawText(QRect(0, glyph.bottom() + 6, width, 22), Qt.AlignHCenter | Qt.AlignTop,
                     "Waiting for sync")
    painter.end()
    return pix
