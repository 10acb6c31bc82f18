"""Content-addressed file store: every asset is kept once, named by its SHA-256.

Files live at root/ab/cd/<sha256>. A file is written to tmp/ while it is hashed,
flushed to disk, then renamed into place, so a crash leaves either the whole file
or nothing under root. Stored files are never modified (read-only on POSIX); the
name is the checksum, so verify() can always tell a damaged file.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sessionstudio.core.errors import InvalidInput, NotFound, StoreError

CHUNK_SIZE = 1 << 20
_TMP_PREFIX = "asset-"
_TMP_SUFFIX = ".partial"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


@dataclass(frozen=True)
class VerifyReport:
    """Result of re-hashing stored files. Unreadable files count as damaged."""

    checked: int
    missing: tuple[str, ...] = ()
    damaged: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing and not self.damaged


class AssetStore:
    def __init__(self, root: Path, tmp_dir: Path) -> None:
        # tmp_dir must be on the same file system as root for the rename to be atomic.
        self.root = Path(root)
        self.tmp_dir = Path(tmp_dir)

    # --- lookup --------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        """Where the file with this hash is (or would be) stored."""
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise InvalidInput(f"{sha256!r} is not a SHA-256 hash (64 lowercase hex characters).")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored file for reading (binary)."""
        target = self.path(sha256)
        try:
            return open(target, "rb")
        except FileNotFoundError:
            raise NotFound(
                f"The file {sha256} is missing from {self.root}; it may have been deleted "
                "outside Session Studio."
            ) from None
        except OSError as exc:
            raise _store_error(exc, sha256, self.root, reading=True) from exc

    # --- writing -------------------------------------------------------------------

    def put_file(self, path: str | Path) -> tuple[str, int]:
        """Store a copy of the file at `path`; returns (sha256, size)."""
        source = Path(path)
        try:
            reader = open(source, "rb")
        except FileNotFoundError:
            raise NotFound(f"Cannot import {source}: the file does not exist.") from None
        except IsADirectoryError:
            raise InvalidInput(f"Cannot import {source}: it is a folder, not a file.") from None
        except PermissionError:
            raise StoreError(f"Cannot import {source}: permission denied to read it.") from None
        except OSError as exc:
            raise StoreError(f"Cannot import {source}: {exc.strerror or exc}.") from exc
        with reader:
            return self._put_stream(reader, source.name)

    def put_bytes(self, data: bytes | bytearray | memoryview) -> tuple[str, int]:
        """Store `data`; returns (sha256, size)."""
        return self._put_stream(io.BytesIO(bytes(data)), f"{len(data)} bytes of data")

    def new_temp(self) -> tuple[int, str]:
        """(fd, path) of a new temp file in tmp_dir, for a caller that writes and hashes
        the bytes itself (sync downloads) and then hands it to adopt()."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=self.tmp_dir)

    def adopt(self, tmp_path: str | Path, sha256: str) -> None:
        """Move a flushed temp file from new_temp() into place under `sha256`. The caller
        has checked that its bytes hash to it (nothing here reads them again)."""
        try:
            self._move_into_place(str(tmp_path), self.path(sha256))
        except OSError as exc:
            _remove_quietly(Path(tmp_path))
            raise _store_error(exc, sha256, self.root) from exc

    def _put_stream(self, reader: BinaryIO, name: str) -> tuple[str, int]:
        tmp_path: str | None = None
        try:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_path = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=self.tmp_dir)
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK_SIZE):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())  # data on disk before the name points at it
            sha256 = digest.hexdigest()
            self._move_into_place(tmp_path, self.path(sha256))
            tmp_path = None
            return sha256, size
        except OSError as exc:
            raise _store_error(exc, name, self.root) from exc
        finally:
            if tmp_path is not None:
                _remove_quietly(Path(tmp_path))

    def _move_into_place(self, tmp_path: str, dest: Path) -> None:
        if dest.exists():
            os.unlink(tmp_path)  # same content already stored: keep one copy
            return
        new_dirs = [d for d in (dest.parent.parent, dest.parent) if not d.exists()]
        dest.parent.mkdir(parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(tmp_path, 0o444)  # read-only from the moment it has its final name
        try:
            os.replace(tmp_path, dest)
        except OSError:
            if not dest.exists():
                raise
            os.unlink(tmp_path)  # another writer stored the same content first
            return
        # Make the rename survive a crash: fsync the folder holding the new name, and
        # the parent of each folder we just created (that is where its name lives).
        for directory in dict.fromkeys([dest.parent, *(d.parent for d in new_dirs)]):
            _fsync_dir(directory)

    def remove(self, sha256: str) -> bool:
        """Delete a stored file (garbage collection only). False if it was not there."""
        target = self.path(sha256)
        try:
            if os.name != "nt":
                os.chmod(target, 0o644)
            else:
                os.chmod(target, 0o666)  # clears the read-only attribute on Windows
            os.unlink(target)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise _store_error(exc, sha256, self.root) from exc
        return True

    def cleanup_tmp(self, max_age_seconds: float = 3600) -> int:
        """Delete this store's temp files older than `max_age_seconds` (left by a crash).

        Only our own temp files: other parts of the app may use tmp_dir for their own
        long-running work. Returns how many were removed.
        """
        cutoff = time.time() - max_age_seconds
        removed = 0
        try:
            entries = list(self.tmp_dir.iterdir())
        except FileNotFoundError:
            return 0
        for entry in entries:
            if not (entry.name.startswith(_TMP_PREFIX) and entry.name.endswith(_TMP_SUFFIX)):
                continue
            try:
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed += 1
            except OSError:
                continue  # vanished or in use: try again next time
        return removed

    # --- checking ------------------------------------------------------------------

    def verify(
        self,
        hashes: Iterable[str] | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> VerifyReport:
        """Re-hash stored files: the given hashes, or every file under root.

        `progress(done, total)` is called after each file.
        """
        expected = list(dict.fromkeys(hashes)) if hashes is not None else self.stored_hashes()
        missing: list[str] = []
        damaged: list[str] = []
        for done, sha256 in enumerate(expected, start=1):
            target = self.path(sha256)
            if not target.is_file():
                missing.append(sha256)
            elif _hash_file(target) != sha256:
                damaged.append(sha256)
            if progress is not None:
                progress(done, len(expected))
        checked = len(expected) - len(missing)
        return VerifyReport(checked=checked, missing=tuple(missing), damaged=tuple(damaged))

    def stored_hashes(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.root.glob("??/??/*")
            if _SHA256.fullmatch(entry.name) and entry.is_file()
        )


def _hash_file(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK_SIZE):
                digest.update(chunk)
    except OSError:
        return None  # unreadable: reported as damaged, its content cannot be trusted
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open directories for fsync; NTFS journals renames
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not support fsync on directories
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    try:
        if os.name != "nt":
            os.chmod(path, 0o644)
        path.unlink()
    except OSError:
        pass


def _store_error(exc: OSError, name: str, root: Path, *, reading: bool = False) -> StoreError:
    if exc.errno in _NO_SPACE:
        return StoreError(
            f"Not enough disk space to store {name} in {root}. "
            "Free some space (or empty the trash) and try again."
        )
    if exc.errno in _NOT_WRITABLE:
        action = "read" if reading else "write to"
        return StoreError(
            f"Session Studio cannot {action} {root} ({exc.strerror}). "
            "Check the folder's permissions and that the disk is not read-only."
        )
    detail = exc.strerror or str(exc)
    if exc.filename:
        detail += f": {exc.filename}"
    if reading:
        return StoreError(f"Could not read {name} from {root} ({detail}).")
    return StoreError(f"Could not store {name} in {root} ({detail}).")
