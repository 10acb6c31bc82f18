"""The icon set in resources/icons (SVG), found beside the source tree, inside a
PyInstaller bundle, or replaced by Qt's standard icons when missing."""

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon


def resources_dir() -> Path | None:
    candidates = []
    if hasattr(sys, "_MEIPASS"):  # PyInstaller one-folder bundle
        candidates.append(Path(sys._MEIPASS) / "resources")
    candidates.append(Path(__file__).resolve().parents[3] / "resources")  # source / editable
    candidates.append(Path(sys.prefix) / "share" / "sessionstudio" / "resources")
    for c in candidates:
        if (c / "icons").is_dir():
            return c
    return None


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    root = resources_dir()
    if root is not None:
        path = root / "icons" / f"{name}.svg"
        if path.exists():
            return QIcon(str(path))
    return QIcon.fromTheme(name)
