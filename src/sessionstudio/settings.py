"""User settings, each declared once with its default, title and help text.

The registry (OPTIONS) is the single source of truth: the settings dialog, the CLI
and validation all read it, so adding a setting is one `option(...)` line.
Values are stored as JSON in settings.json; a file we cannot parse is moved aside
(never deleted) and defaults are used, so a bad file never stops the app.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sessionstudio.core.errors import InvalidInput, StoreError


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    title: str
    help: str
    choices: tuple[Any, ...] | None = None  # allowed values, when the set is closed
    minimum: int | None = None  # lowest allowed value for numbers

    def validate(self, value: Any) -> None:
        """Raise InvalidInput unless `value` has the default's type and fits the limits."""
        # type() rather than isinstance(): bool is an int subclass, and True is not a size.
        if type(value) is not type(self.default):
            raise InvalidInput(
                f"The setting {self.key!r} takes a {type(self.default).__name__}, "
                f"not {value!r}."
            )
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise InvalidInput(f"The setting {self.key!r} must be one of {allowed}, not {value!r}.")
        if self.minimum is not None and value < self.minimum:
            raise InvalidInput(f"The setting {self.key!r} must be at least {self.minimum}, not {value!r}.")


OPTIONS: dict[str, Option] = {}


def option(key: str, default: Any, title: str, help: str, **limits: Any) -> Option:
    """Declare a setting (module level, once per key)."""
    if key in OPTIONS:
        raise ValueError(f"The setting {key!r} is declared twice.")
    declared = Option(key, default, title, help, **limits)
    declared.validate(default)
    OPTIONS[key] = declared
    return declared


option("thumbnail_size", 256, "Thumbnail size",
       "Longest side of grid thumbnails, in pixels.", minimum=32)
option("jobs_concurrency", 0, "Generation jobs at once",
       "How many generation jobs run in parallel, each in its own worker process. 0 means "
       "one fewer than the number of CPU cores (at least 1).", minimum=0)
option("trash_retention_days", 30, "Keep trash for (days)",
       "Items in the trash are deleted for good after this many days. 0 empties it "
       "at the next start.", minimum=0)
option("theme", "system", "Theme",
       "Light, dark, or follow the system.", choices=("system", "light", "dark"))
option("agent_llm_base_url", "", "Assistant server URL",
       "Base URL of an OpenAI-compatible server for the assistant; empty turns it off.")
option("agent_llm_model", "", "Assistant model", "Model name to ask the assistant server for.")
option("agent_llm_api_key", "", "Assistant API key",
       "Key for the assistant server. Stored in settings.json, readable only by you.")
option("last_session_id", "", "Last session",
       "The session shown when the app last closed; reopened at start.")
option("allow_unsafe_location", False, "Allow unsafe library location",
       "Open a library inside a cloud-synced or network folder even though the "
       "catalog can be corrupted there.")
# Sync (sessionstudio.sync; `sessionstudio sync setup` fills these in).
option("sync_target", "", "Sync through",
       "Off (empty), a shared folder, or a WebDAV server.", choices=("", "folder", "webdav"))
option("sync_folder", "", "Sync folder",
       "A folder kept in sync by Dropbox, Syncthing, iCloud Drive, OneDrive or a NAS.")
option("sync_url", "", "WebDAV URL", "e.g. https://cloud.example.com/remote.php/dav/files/ann/Studio")
option("sync_user", "", "WebDAV user", "User name for the WebDAV server.")
option("sync_password", "", "WebDAV password",
       "Password or app token. Stored in settings.json, readable only by you.")
option("sync_paused", False, "Pause sync", "Stop syncing until resumed; changes wait locally.")


def effective_concurrency(value: int, cpu_count: int | None = None) -> int:
    """What jobs_concurrency means in workers: 0 is cores - 1, and never below 1."""
    if value > 0:
        return value
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(1, cores - 1)


class Settings:
    """Settings backed by a JSON file; every set() is saved atomically at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._guard = threading.Lock()
        try:
            self._values = self._load()
        except OSError:
            self._values = {}  # unreadable (permissions): run on defaults, never crash

    def get(self, key: str) -> Any:
        declared = _declared(key)
        value = self._values.get(key, declared.default)
        try:
            declared.validate(value)
        except InvalidInput:
            return declared.default  # hand-edited to a bad value: fall back, keep the file
        return value

    def set(self, key: str, value: Any) -> None:
        _declared(key).validate(value)
        with self._guard:
            values = self._load_for_update()
            values[key] = value
            self._save(values)
            self._values = values

    def reset(self, key: str) -> None:
        """Forget a stored value so the default applies again."""
        _declared(key)
        with self._guard:
            values = self._load_for_update()
            if key in values:
                del values[key]
                self._save(values)
            self._values = values

    def as_dict(self) -> dict[str, Any]:
        """Every declared setting with its current value."""
        return {key: self.get(key) for key in OPTIONS}

    def _load(self) -> dict[str, Any]:
        """The stored values. Raises OSError if the file exists but cannot be read, so
        set() never overwrites a file whose other values it could not see."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            values = json.loads(data.decode("utf-8"))
        except ValueError:  # includes UnicodeDecodeError
            values = None
        if not isinstance(values, dict):
            self._move_aside()
            return {}
        return values  # unknown keys (from a newer version) are kept and saved back

    def _load_for_update(self) -> dict[str, Any]:
        # Re-read first so a change saved by another window or process is kept.
        try:
            return self._load()
        except OSError as exc:
            raise StoreError(f"Could not read settings from {self.path}: {exc.strerror or exc}.") from exc

    def _move_aside(self) -> None:
        # Kept, not deleted: the user may want to recover values from it. If the move
        # fails the OSError propagates, so set() refuses rather than overwrite it.
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.time_ns() // 1_000_000}")
        os.replace(self.path, aside)

    def _save(self, values: dict[str, Any]) -> None:
        tmp_path: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # mkstemp creates the file readable only by its owner: it can hold an API key.
            fd, tmp_path = tempfile.mkstemp(
                prefix=f".{self.path.name}-", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(values, f, indent=2, sort_keys=True)
                f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp_path, self.path)
            tmp_path = None
        except OSError as exc:
            raise StoreError(f"Could not save settings to {self.path}: {exc.strerror or exc}.") from exc
        finally:
            if tmp_path is not None:
                try:
                    os.unlink(tmp_path)
                except OSError:
                    pass


def _declared(key: str) -> Option:
    try:
        return OPTIONS[key]
    except KeyError:
        raise KeyError(f"Unknown setting {key!r}; known settings: {', '.join(OPTIONS)}.") from None
