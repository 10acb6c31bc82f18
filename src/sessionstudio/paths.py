"""Where a library, its caches and the settings live on disk.

Three roots, one per kind of data, so each can be treated the way the OS expects:
the library (catalog + assets: precious, backed up), the cache (thumbnails and
waveforms: rebuilt on demand, safe to delete) and the config (settings.json).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from sessionstudio.core.errors import InvalidInput

APP_NAME = "SessionStudio"
HOME_ENV = "SESSIONSTUDIO_HOME"


@dataclass(frozen=True)
class Paths:
    """Absolute directories for one library. Nothing here touches the disk."""

    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def library_dir(self) -> Path:
        # The data dir *is* the library: the default one, or the one given with --library.
        return self.data_dir

    @property
    def catalog_path(self) -> Path:
        return self.library_dir / "catalog.sqlite"

    @property
    def assets_dir(self) -> Path:
        return self.library_dir / "assets"

    @property
    def tmp_dir(self) -> Path:
        # Inside the library, so it is on the same filesystem as assets/ and a
        # finished temp file can be renamed into place atomically.
        return self.library_dir / "tmp"

    @property
    def lock_path(self) -> Path:
        return self.library_dir / "library.lock"

    @property
    def thumbs_dir(self) -> Path:
        return self.cache_dir / "thumbs"

    @property
    def waveforms_dir(self) -> Path:
        return self.cache_dir / "waveforms"

    @property
    def settings_path(self) -> Path:
        return self.config_dir / "settings.json"


def _absolute(path: str | Path) -> Path:
    """Expand ~ and make absolute without requiring the path to exist."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def library_cache_key(library_dir: Path) -> str:
    """A short stable name for a library's cache folder.

    Hashes the resolved path (symlinks followed, case folded where the OS ignores
    case) so two spellings of the same library share one cache, and two different
    libraries never share thumbnails.
    """
    resolved = os.path.normcase(str(Path(library_dir).resolve()))
    return hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:12]


def resolve_paths(
    library: str | Path | None = None,
    env: Mapping[str, str] = os.environ,
) -> Paths:
    """Work out the directories, from --library, $SESSIONSTUDIO_HOME or the OS defaults.

    SESSIONSTUDIO_HOME=H puts everything under H (library, cache, config), which
    keeps portable installs and tests away from the user's real library.
    """
    home = env.get(HOME_ENV, "").strip()
    if home:
        root = _absolute(home)
        data_dir = root / "library"
        cache_root = root / "cache"
        config_dir = root / "config"
    else:
        data_dir = _absolute(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library"
        cache_root = _absolute(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
        config_dir = _absolute(platformdirs.user_config_dir(APP_NAME, appauthor=False))

    if library is None:
        return Paths(data_dir=data_dir, cache_dir=cache_root, config_dir=config_dir)

    if not str(library).strip():
        raise InvalidInput("The --library folder is empty; give the path of a library folder.")
    library_dir = _absolute(library).resolve()
    cache_dir = cache_root / "libraries" / library_cache_key(library_dir)
    # Settings stay shared: they are the user's preferences, not the library's.
    return Paths(data_dir=library_dir, cache_dir=cache_dir, config_dir=config_dir)


def ensure_dirs(paths: Paths) -> None:
    """Create every directory the app writes into (idempotent)."""
    for directory in (
        paths.library_dir,
        paths.assets_dir,
        paths.tmp_dir,
        paths.thumbs_dir,
        paths.waveforms_dir,
        paths.config_dir,
    ):
        directory.mkdir(parents=True, exist_ok=True)
