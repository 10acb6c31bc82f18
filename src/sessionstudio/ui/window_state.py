"""What the window remembers across restarts: geometry, dock layout, splitter sizes.
Stored with QSettings in an INI file in the config folder (not the registry), so
SESSIONSTUDIO_HOME keeps tests and portable installs self-contained."""

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class WindowState:
    def __init__(self, config_dir: Path):
        config_dir.mkdir(parents=True, exist_ok=True)
        self._s = QSettings(str(config_dir / "window.ini"), QSettings.IniFormat)

    def get_bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set(self, key: str, value) -> None:
        self._s.setValue(key, value)

    def get_str(self, key: str, default: str = "") -> str:
        value = self._s.value(key, default)
        return value if isinstance(value, str) else default

    def sync(self) -> None:
        self._s.sync()
