"""Follow the system's light or dark scheme with a clean Fusion look."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = QColor("#6d5dfc")

_QSS = """
QMainWindow::separator { width: 1px; height: 1px; background: palette(mid); }
QDockWidget::title { padding: 6px 8px; font-weight: 600; }
QStatusBar QLabel { padding: 0 8px; color: palette(placeholder-text); }
QLineEdit { border: 1px solid palette(mid); border-radius: 6px; padding: 4px 8px; }
QTreeView, QListView { border: none; }
"""


def is_dark(app: QGuiApplication) -> bool:
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return app.palette().color(QPalette.Window).lightness() < 128


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        base, window, text, mid = QColor("#1e1f24"), QColor("#25262c"), QColor("#e8e8ec"), QColor("#3a3b42")
    else:
        base, window, text, mid = QColor("#ffffff"), QColor("#f4f4f6"), QColor("#1d1d22"), QColor("#d6d6dc")
    for role, color in ((QPalette.Window, window), (QPalette.Base, base),
                        (QPalette.AlternateBase, window), (QPalette.Text, text),
                        (QPalette.WindowText, text), (QPalette.ButtonText, text),
                        (QPalette.Button, window), (QPalette.Mid, mid),
                        (QPalette.ToolTipBase, base), (QPalette.ToolTipText, text),
                        (QPalette.Highlight, ACCENT), (QPalette.HighlightedText, QColor("#ffffff")),
                        (QPalette.Link, ACCENT)):
        p.setColor(role, color)
    p.setColor(QPalette.PlaceholderText, QColor("#8a8a94"))
    p.setColor(QPalette.Disabled, QPalette.Text, QColor("#8a8a94"))
    p.setColor(QPalette.Disabled, QPalette.ButtonText, QColor("#8a8a94"))
    return p


def apply_theme(app: QApplication) -> None:
    """Fusion, a palette for the current scheme, and follow scheme changes live."""
    app.setStyle("Fusion")

    def refresh(*_):
        # With a style sheet set, widgets keep the palette they had: drop it, change the
        # palette, put it back (also on a live light/dark switch).
        app.setStyleSheet("")
        app.setPalette(_palette(is_dark(app)))
        app.setStyleSheet(_QSS)
    refresh()
    app.styleHints().colorSchemeChanged.connect(refresh)
