"""Small pieces of the agent panel: the header, the 'Using: <name> ✕' chip, the empty-state
suggestions, and the panel's style sheet (palette-based: right in light and dark)."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton,
                               QVBoxLayout, QWidget)

from ...agent import BUILTIN
from ..icons import icon

NEW_TITLE = "New conversation"

SUGGESTIONS = ("Generate an image of a lighthouse at dusk, 16:9",
               "Make the last image brighter",
               "Make the outro a bit longer",
               "Show only videos")

STYLE = """
QLabel#agentTitle { font-weight: 600; }
QLabel#agentMode {
    color: palette(placeholder-text); border: 1px solid palette(mid); border-radius: 9px;
    padding: 1px 8px;
}
QLabel#agentMode[warn="true"] { color: #d9822b; border-color: #d9822b; }
QFrame#agentChip {
    background: palette(alternate-base); border: 1px solid palette(mid); border-radius: 12px;
}
QFrame#agentChip QLabel { padding-left: 4px; }
QFrame#agentChip QToolButton { border: none; padding: 0 4px; color: palette(placeholder-text); }
QFrame#agentChip QToolButton:hover { color: palette(text); }
QLineEdit#agentInput {
    border: 1px solid palette(mid); border-radius: 12px; padding: 6px 12px; min-height: 22px;
    background: palette(base);
}
QLineEdit#agentInput:focus { border-color: palette(highlight); }
QToolButton#agentSend {
    background: palette(highlight); border: none; border-radius: 17px;
    min-width: 34px; max-width: 34px; min-height: 34px; max-height: 34px;
}
QToolButton#agentSend:disabled { background: palette(mid); }
QPushButton#agentSuggestion {
    text-align: left; border: 1px solid palette(mid); border-radius: 10px; padding: 7px 12px;
    background: palette(base); color: palette(text);
}
QPushButton#agentSuggestion:hover { border-color: palette(highlight); }
QWidget#agentChat, QListView#agentMessages, QWidget#agentEmpty, QWidget#agentHistory { background: palette(base); }
QFrame#agentRule { background: palette(mid); max-height: 1px; min-height: 1px; border: none; }
"""


class ElidedLabel(QLabel):
    """One line that takes the room left and ends in '…' when it does not fit."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.setMinimumWidth(40)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        text = self.fontMetrics().elidedText(self.text(), Qt.ElideRight, self.width())
        painter.drawText(self.rect(), Qt.AlignLeft | Qt.AlignVCenter, text)


class PanelHeader(QWidget):
    """The conversation's title, which interpreter answers, History and '+'."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title_label = ElidedLabel(NEW_TITLE, self)
        self.title_label.setObjectName("agentTitle")
        self.mode_label = QLabel(BUILTIN, self)
        self.mode_label.setObjectName("agentMode")
        self.history_button = _tool(self, "history", "History: earlier conversations in this session")
        self.new_button = _tool(self, "new", "New conversation (nothing is undone)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.title_label, 1)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.history_button)
        layout.addWidget(self.new_button)

    def set_title(self, text: str) -> None:
        """The conversation is named after its first instruction, as in History."""
        title = " ".join(text.split()) or NEW_TITLE
        self.title_label.setText(title)
        self.title_label.setToolTip(title)

    def show_mode(self, interpreter: str, note: str) -> None:
        """'Built-in assistant' or the model's name; amber when the server did not answer."""
        warn = bool(note)
        self.mode_label.setText("Built-in · server offline" if warn else interpreter)
        self.mode_label.setToolTip(note or ("Rules built into Session Studio, offline. Set an "
                                            "assistant server in Settings to use a model."
                                            if interpreter == BUILTIN else f"Model: {interpreter}"))
        self.mode_label.setProperty("warn", "true" if warn else "false")
        self.mode_label.style().unpolish(self.mode_label)
        self.mode_label.style().polish(self.mode_label)


def _tool(parent, icon_name: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setIcon(icon(icon_name))
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.setCursor(Qt.PointingHandCursor)
    return button


class AttachmentChip(QFrame):
    """What 'it' means in this conversation; ✕ lets go of it."""
    sig_cleared = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("agentChip")
        self.label = QLabel(self)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Stop talking about this item")
        self.close_button.setCursor(Qt.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.sig_cleared)
        self.hide()

    def show_item(self, name: str | None) -> None:
        if name:
            self.label.setText(f"Using: {name}")
            self.label.setToolTip(f"“it” means {name}")
        self.setVisible(bool(name))

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class EmptyState(QWidget):
    """Shown before the first message: what the agent does, and examples to start from."""
    sig_suggestion_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("agentEmpty")
        self.setAttribute(Qt.WA_StyledBackground)
        intro = QLabel("Ask the agent to make or change things in this session. It remembers "
                       "the conversation, so follow-ups like “make it longer” or “undo that” work.",
                       self)
        intro.setWordWrap(True)
        intro.setEnabled(False)        # muted text in both themes
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 18, 14, 10)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addSpacing(4)
        for text in SUGGESTIONS:
            button = QPushButton(text, self)
            button.setObjectName("agentSuggestion")
            button.setCursor(Qt.PointingHandCursor)
            button.clicked.connect(lambda _=False, t=text: self.sig_suggestion_chosen.emit(t))
            layout.addWidget(button)
        layout.addStretch(1)
