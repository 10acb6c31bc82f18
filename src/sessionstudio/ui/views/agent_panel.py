"""The agent panel: a shell until the agent arrives (it says so instead of pretending)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget


class AgentPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        note = QLabel("The AI agent arrives in a later version of Session Studio. It will take "
                      "follow-up instructions for this session and can undo them.")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        note.setStyleSheet("color: palette(placeholder-text);")
        self.input = QLineEdit()
        self.input.setPlaceholderText("Ask the agent… (not available yet)")
        self.input.setEnabled(False)
        layout.addWidget(note, 1)
        layout.addWidget(self.input)
