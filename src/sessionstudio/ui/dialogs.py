"""Small dialogs the window needs: choose a session, show a recipe."""

import json

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QInputDialog, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from ..library import Library, list_sessions


def choose_session(parent: QWidget, lib: Library, *, title: str, exclude: str | None = None) -> str | None:
    """The recent sessions by name; returns the chosen id or None."""
    sessions = [s for s in list_sessions(lib, limit=300) if s.id != exclude]
    if not sessions:
        return None
    labels = [f"{s.name}" for s in sessions]
    # Names can repeat: disambiguate with a short id suffix.
    seen: dict[str, int] = {}
    for i, name in enumerate(labels):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            labels[i] = f"{name}  ({sessions[i].id[-6:]})"
    choice, ok = QInputDialog.getItem(parent, title, "Session:", labels, 0, False)
    return sessions[labels.index(choice)].id if ok else None


class RecipeDialog(QDialog):
    """An item's full recipe as copyable JSON."""

    def __init__(self, recipe: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Recipe")
        self.resize(560, 420)
        text = QPlainTextEdit(json.dumps(recipe, indent=2, ensure_ascii=False))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
