import os
import socket
import subprocess
import sys
import textwrap

import pytest

from sessionstudio.core.errors import LibraryLocked
from sessionstudio.store.lock import LibraryLock

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from sessionstudio.store.lock import LibraryLock
    lock = LibraryLock(sys.argv[1], os_lock=sys.argv[2] == "os")
    lock.acquire()
    print("locked", flush=True)
    time.sleep(60)
    """
)


def hold_in_child(lock_path, mode="os"):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "locked"
    return child


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_second_lock_in_same_process_refused(tmp_path):
    path = tmp_path / "library.lock"
    with LibraryLock(path) as first:
        assert first.held
        with pytest.raises(LibraryLocked, match="already open in this Session Studio"):
            LibraryLock(path).acquire()
        # Another spelling of the same file is the same library.
        with pytest.raises(LibraryLocked):
            LibraryLock(tmp_path / "x" / ".." / "library.lock").acquire()
    assert not first.held


def test_lock_released_after_release(tmp_path):
    path = tmp_path / "library.lock"
    lock = LibraryLock(path)
    lock.acquire()
    lock.release()
    lock.release()  # idempotent
    with LibraryLock(path):
        pass
    lock.acquire()
    lock.release()


def test_other_process_refused_with_owner_message_then_killed_lock_recovers(tmp_path):
    path = tmp_path / "lib" / "library.lock"
    child = hold_in_child(path)
    try:
        with pytest.raises(LibraryLocked) as err:
            LibraryLock(path).acquire()
        message = str(err.value)
        assert message.startswith(f"The library {path.parent} is open in another Session Studio")
        assert f"(process {child.pid} on host '{socket.gethostname()}', since " in message
        assert message.endswith("Close it, or open a different library with --library.")
    finally:
        child.kill()  # SIGKILL on POSIX: no cleanup code runs in the child
        child.wait()
    with LibraryLock(path) as lock:
        assert lock.held
        assert path.read_text().split()[0] == str(os.getpid())


def test_pid_file_fallback_refuses_live_owner(tmp_path):
    path = tmp_path / "library.lock"
    child = hold_in_child(path, mode="pidfile")
    try:
        with pytest.raises(LibraryLocked, match=f"process {child.pid} "):
            LibraryLock(path, os_lock=False).acquire()
    finally:
        child.kill()
        child.wait()


def test_pid_file_with_dead_pid_is_taken_over(tmp_path):
    path = tmp_path / "library.lock"
    path.write_text(f"{dead_pid()} {socket.gethostname()} 1700000000000\n")
    lock = LibraryLock(path, os_lock=False)
    lock.acquire()
    assert path.read_text().split()[0] == str(os.getpid())
    lock.release()
    assert not path.exists()


def test_pid_file_from_other_host_is_respected(tmp_path):
    path = tmp_path / "library.lock"
    path.write_text(f"{dead_pid()} some-other-host 1700000000000\n")
    with pytest.raises(LibraryLocked, match="on host 'some-other-host'"):
        LibraryLock(path, os_lock=False).acquire()


def test_os_lock_ignores_text_left_by_a_crash(tmp_path):
    # A held OS lock is what counts; text naming a dead process is just leftover.
    path = tmp_path / "library.lock"
    path.write_text(f"{dead_pid()} {socket.gethostname()} 1700000000000\n")
    with LibraryLock(path):
        assert path.read_text().split()[0] == str(os.getpid())


def test_pid_file_without_owner_is_stale_only_when_old(tmp_path):
    path = tmp_path / "library.lock"
    path.write_text("")  # a holder may be between creating and writing it
    with pytest.raises(LibraryLocked, match="open in another Session Studio. Close it"):
        LibraryLock(path, os_lock=False).acquire()
    an_hour_ago = os.path.getmtime(path) - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    with LibraryLock(path, os_lock=False):
        assert path.read_text().split()[0] == str(os.getpid())
