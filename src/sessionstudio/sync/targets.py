"""Where devices meet: a shared folder (kept in sync by Dropbox, Syncthing, iCloud Drive,
OneDrive or a NAS mount). WebDAV lives in webdav.py with the same interface.

A target only ever gains files. write_new_atomic() writes a temp file, flushes it,
gives it its final name without ever replacing an existing file, then reads it back
and checks its SHA-256: a final name always holds a complete, verified file. Nothing
here deletes anything but this device's own abandoned temp files.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..core.errors import StudioError
from . import layout
from .transfer import copy_hashed

CHUNK = 1 << 20
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
# link() is how we refuse to overwrite; file systems without hard links say so with these.
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.ENOSYS, getattr(errno, "ENOTSUP", 95),
             getattr(errno, "EOPNOTSUPP", 95), errno.EMLINK}


class TargetError(StudioError):
    """The sync target could not be used; nothing local was changed."""


class TargetUnavailable(TargetError):
    """Missing, unmounted, unreachable or not set up: sync waits and deletes nothing."""


class TargetWriteFailed(TargetError):
    """The target refused a write (full, read-only, no permission): the outbox is kept."""


class TargetConflict(TargetError):
    """A different file already has the final name (still arriving from another device)."""


@dataclass(frozen=True)
class Entry:
    path: str          # relative, "/"-separated
    size: int
    mtime: float | None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FolderTarget:
    kind = "folder"

    def __init__(self, root: str | Path, device: str = "device"):
        self.root = Path(os.path.abspath(os.path.expanduser(os.fspath(root))))
        self.device = device
        self.description = str(self.root)
        self.last_offset_ms: int | None = None   # target clock - our clock, from an mtime

    # -- reading ------------------------------------------------------------------------
    def check_root(self) -> None:
        if not self.root.is_dir():
            raise TargetUnavailable(f"The sync folder {self.root} is missing or not mounted; "
                                    "sync waits (nothing is deleted).")

    def list(self, prefix: str) -> list[Entry]:
        base = self.root / prefix
        out: list[Entry] = []
        if not base.is_dir():
            return out
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith(".") or name.endswith(".part"):
                    continue  # cloud clients' and our own temp files
                full = Path(dirpath) / name
                try:
                    st = full.stat()
                except OSError:
                    continue
                out.append(Entry(full.relative_to(self.root).as_posix(), st.st_size, st.st_mtime))
        return out

    def read(self, path: str) -> bytes:
        try:
            return (self.root / path).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise FileNotFoundError(path) from None
        except OSError as exc:
            raise TargetUnavailable(f"Cannot read {path} from {self.root}: {exc.strerror}") from exc

    def open(self, path: str) -> BinaryIO:
        try:
            return open(self.root / path, "rb")
        except (FileNotFoundError, NotADirectoryError):
            raise FileNotFoundError(path) from None

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()

    # -- writing ------------------------------------------------------------------------
    def write_new_atomic(self, path: str, source: bytes | Path, sha256: str) -> bool:
        """Publish `source` under `path`. True if written, False if an identical file was
        already there. Raises TargetConflict if a different file holds the name.
        The temp file is flushed and read back before it gets its name, so a file under
        a final name has always been checked."""
        final = self.root / path
        if final.exists():
            return self._same(final, sha256)
        tmp = self.root / layout.tmp_path(self.device, uuid.uuid4().hex)
        try:
            tmp.parent.mkdir(parents=True, exist_ok=True)
            got = self._write_tmp(tmp, source) or sha256_file(tmp)
            if got != sha256:
                _unlink_quietly(tmp)
                raise TargetWriteFailed(f"{path} did not read back intact from {self.root}.")
            final.parent.mkdir(parents=True, exist_ok=True)
            placed = self._place(tmp, final)
        except OSError as exc:
            _unlink_quietly(tmp)
            raise self._write_error(exc, path) from exc
        if not placed:
            return self._same(final, sha256)
        _fsync_dir(final.parent)
        try:
            self.last_offset_ms = int(final.stat().st_mtime * 1000) - int(time.time() * 1000)
        except OSError:
            pass
        return True

    def _write_tmp(self, tmp: Path, source: bytes | Path) -> str | None:
        """Write and flush the temp file; returns the SHA-256 of its bytes as read back
        (None: the caller reads it back)."""
        if isinstance(source, (bytes, bytearray, memoryview)):
            with open(tmp, "xb") as out:
                out.write(source)
                out.flush()
                os.fsync(out.fileno())
            return None
        with open(source, "rb") as src, open(tmp, "xb") as out:
            return copy_hashed(src, out.fileno(), readback_path=str(tmp))[0]

    def _place(self, tmp: Path, final: Path) -> bool:
        """Give tmp its final name without replacing anything; False if the name was taken."""
        try:
            os.link(tmp, final)
        except FileExistsError:
            _unlink_quietly(tmp)
            return False
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            if final.exists():   # no hard links here (some SMB/FUSE mounts): check, then rename
                _unlink_quietly(tmp)
                return False
            os.rename(tmp, final)
            return True
        _unlink_quietly(tmp)
        return True

    def _same(self, final: Path, sha256: str) -> bool:
        try:
            if sha256_file(final) == sha256:
                return False
        except OSError:
            pass
        raise TargetConflict(f"{final} already exists with other content (still syncing?).")

    def _write_error(self, exc: OSError, path: str) -> TargetError:
        if exc.errno in _FULL:
            return TargetWriteFailed(f"The sync folder {self.root} is full; {path} was not "
                                     "published (kept locally, retried later).")
        if exc.errno in _READ_ONLY:
            return TargetWriteFailed(f"The sync folder {self.root} is read-only or not writable "
                                     f"({exc.strerror}); changes are kept locally and retried.")
        if not self.root.is_dir():
            return TargetUnavailable(f"The sync folder {self.root} disappeared (unmounted?).")
        return TargetWriteFailed(f"Could not write {path} to {self.root}: {exc.strerror or exc}.")

    def probe_clock(self) -> None:
        """Measure the target's clock (the mtime a new file gets) against ours. Equal on
        a local disk; a NAS or network mount stamps with the server's clock."""
        probe = self.root / layout.tmp_path(self.device, "clock")
        try:
            probe.parent.mkdir(parents=True, exist_ok=True)
            with open(probe, "wb") as f:
                mtime = os.fstat(f.fileno()).st_mtime
            self.last_offset_ms = int(mtime * 1000) - int(time.time() * 1000)
        except OSError:
            return   # read-only or full: no measurement this time
        finally:
            _unlink_quietly(probe)

    def cleanup_own_tmp(self, max_age_s: float = 0) -> int:
        """Remove this device's abandoned uploads (a crash mid-write). Others' are theirs."""
        removed = 0
        tmp_dir = self.root / layout.TMP
        if not tmp_dir.is_dir():
            return 0
        cutoff = time.time() - max_age_s
        for entry in tmp_dir.iterdir():
            if entry.name.startswith(f"{self.device}-") and entry.name.endswith(".part"):
                try:
                    if entry.stat().st_mtime <= cutoff:
                        entry.unlink()
                        removed += 1
                except OSError:
                    pass
        return removed

    def create_root(self) -> None:
        """Only `sync setup` creates the folder: a worker never makes a missing (maybe
        unmounted) target, which would write into the bare mount point. Even setup makes
        only the last folder: a missing parent is more likely a drive that is not mounted
        or a typo than a wish for a new tree."""
        if not self.root.parent.is_dir():
            raise TargetUnavailable(f"{self.root.parent} does not exist (a drive that is not "
                                    "mounted, or a typo?): create it first, then set up sync.")
        self.root.mkdir(exist_ok=True)

    def close(self) -> None:
        pass


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
