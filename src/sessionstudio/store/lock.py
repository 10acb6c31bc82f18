"""One writer per library: an OS advisory lock on library.lock.

The OS lock (flock on POSIX, msvcrt.locking on Windows) belongs to the open file,
so it disappears when the process dies, even by SIGKILL or a power cut: a crash
never leaves a library locked. The file's text ("pid hostname started_at_ms") only
serves to tell the user who holds it.

Where the file system has no locks (flock fails with ENOLCK and the like) we fall
back to a pid file created with O_EXCL, and take over one whose process is no
longer running on this host.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
from datetime import datetime
from pathlib import Path

from sessionstudio.core.errors import LibraryLocked, StoreError

if os.name == "nt":
    import msvcrt
else:
    import fcntl

# Paths locked by this process. Two Library objects in one process are two writers
# too, and flock would not stop the second on every platform.
_held: set[str] = set()
_held_guard = threading.Lock()

# Windows locks a byte range, and a locked range cannot be read by others; lock a
# byte far past the owner text so a second instance can still read who holds it.
_WINDOWS_LOCK_OFFSET = 1 << 30
# Windows opens files in text mode unless told otherwise; the owner line is bytes.
_BINARY = getattr(os, "O_BINARY", 0)
# A pid file with no readable owner younger than this may be mid-write: not stale yet.
_UNREADABLE_GRACE_S = 10.0


class LibraryLock:
    """Exclusive lock on a library; use as a context manager or acquire()/release().

    `path` is the lock file (Paths.lock_path); the library is its folder.
    `os_lock=False` forces the pid-file fallback (for file systems known to lack locks).
    """

    def __init__(self, path: str | Path, *, os_lock: bool = True) -> None:
        self.path = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
        self._key = os.path.normcase(str(self.path.resolve()))
        self._use_os_lock = os_lock
        self._fd: int | None = None
        self._mode: str | None = None  # "os" or "pidfile" while held

    @property
    def held(self) -> bool:
        return self._mode is not None

    def __enter__(self) -> LibraryLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise LibraryLocked naming the process that has it."""
        with _held_guard:
            if self._key in _held:
                raise LibraryLocked(
                    f"The library {self.path.parent} is already open in this Session Studio; "
                    "close it before opening it again."
                )
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _open_error(self.path, exc) from exc
            if not (self._use_os_lock and self._acquire_os_lock()):
                self._acquire_pid_file()
            _held.add(self._key)

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        with _held_guard:
            if self._mode is None:
                return
            try:
                if self._mode == "os":
                    self._release_os_lock()
                else:
                    self._release_pid_file()
            finally:
                self._mode = None
                _held.discard(self._key)

    # --- OS advisory lock ----------------------------------------------------------

    def _acquire_os_lock(self) -> bool:
        """True when locked; False when this file system has no locks (use the fallback)."""
        created = True
        try:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
            except FileExistsError:
                created = False
                fd = os.open(self.path, os.O_RDWR | _BINARY)
        except OSError as exc:
            raise _open_error(self.path, exc) from exc
        try:
            if os.name == "nt":
                os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if _means_held_elsewhere(exc):
                raise self._locked_error(_read_owner(self.path)) from None
            if created:
                # The pid-file fallback needs to create this file itself (O_EXCL);
                # left here, our own empty file would look like a holder mid-write.
                os.unlink(self.path)
            return False
        try:
            # Whatever text is there belongs to a process that died holding the lock.
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, _owner_line().encode("utf-8"))
        except OSError as exc:
            os.close(fd)
            raise _open_error(self.path, exc) from exc
        self._fd, self._mode = fd, "os"
        return True

    def _release_os_lock(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            # Keep the file (deleting it would race with a process about to lock it)
            # but clear the owner so nobody is named after we are gone.
            os.ftruncate(fd, 0)
            if os.name == "nt":
                os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)  # closing releases the OS lock in any case

    # --- pid-file fallback -----------------------------------------------------------

    def _acquire_pid_file(self) -> None:
        # Two tries: the second after removing a stale file. Two processes taking over
        # the same stale file at the same instant could both win; that window is the
        # price of file systems without locks.
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
            except FileExistsError:
                owner = _read_owner(self.path)
                if not self._is_stale(owner):
                    raise self._locked_error(owner) from None
                try:
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                continue
            except OSError as exc:
                raise _open_error(self.path, exc) from exc
            try:
                os.write(fd, _owner_line().encode("utf-8"))
            except OSError as exc:
                os.close(fd)
                os.unlink(self.path)
                raise _open_error(self.path, exc) from exc
            os.close(fd)
            self._mode = "pidfile"
            return
        raise self._locked_error(_read_owner(self.path))

    def _is_stale(self, owner: tuple[int, str, int] | None) -> bool:
        if owner is None:
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return True
            return age > _UNREADABLE_GRACE_S
        pid, host, _started = owner
        if host != socket.gethostname():
            return False  # cannot see processes on another machine: assume it is alive
        if pid == os.getpid():
            return True  # not in _held, so an old file whose pid has been reused by us
        return not _pid_alive(pid)

    def _release_pid_file(self) -> None:
        owner = _read_owner(self.path)
        if owner is not None and (owner[0], owner[1]) != (os.getpid(), socket.gethostname()):
            return  # no longer ours (taken over as stale): not ours to delete
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def _locked_error(self, owner: tuple[int, str, int] | None) -> LibraryLocked:
        who = "another Session Studio"
        if owner is not None:
            pid, host, started_ms = owner
            who += f" (process {pid} on host '{host}', since {_format_time(started_ms)})"
        return LibraryLocked(
            f"The library {self.path.parent} is open in {who}. "
            "Close it, or open a different library with --library."
        )


def _open_error(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"Cannot write the lock file {path} ({exc.strerror or exc}). "
        "Check that the library folder exists and is writable."
    )


def _means_held_elsewhere(exc: OSError) -> bool:
    if os.name == "nt":
        return exc.errno in (errno.EACCES, errno.EDEADLK)
    return isinstance(exc, BlockingIOError) or exc.errno in (errno.EAGAIN, errno.EACCES)


def _owner_line() -> str:
    return f"{os.getpid()} {socket.gethostname()} {time.time_ns() // 1_000_000}\n"


def _read_owner(path: Path) -> tuple[int, str, int] | None:
    """(pid, hostname, started_at_ms) from the lock file, or None if unreadable."""
    try:
        with open(path, "rb") as f:
            text = f.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
    parts = text.split()
    if len(parts) < 3:
        return None
    try:
        return int(parts[0]), " ".join(parts[1:-1]), int(parts[-1])
    except ValueError:
        return None


def _format_time(ms: int) -> str:
    try:
        started = datetime.fromtimestamp(ms / 1000)
    except (OverflowError, OSError, ValueError):
        return "an unknown time"
    if started.date() == datetime.now().date():
        return started.strftime("%H:%M")
    return started.strftime("%Y-%m-%d %H:%M")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill on Windows terminates the process, so ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information = 0x1000
    still_active = 259
    error_access_denied = 5
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == error_access_denied
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
