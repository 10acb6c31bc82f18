"""Opening a library: one writer at a time, unsafe locations refused, read-only readers."""

import subprocess
import sys

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import LibraryLocked, StudioError, UnsafeLocation
from sessionstudio.library import Library


def test_second_writer_in_the_same_process_is_refused(make_lib, tmp_path):
    make_lib("shared")
    with pytest.raises(LibraryLocked, match="already open in this Session Studio"):
        Library.open(tmp_path / "shared")


def test_second_process_is_refused_and_lock_recovered_after_kill(tmp_path):
    lib_dir = tmp_path / "lib"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom sessionstudio.library import Library\n"
         f"lib = Library.open({str(lib_dir)!r})\nprint('ready', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(LibraryLocked, match=f"process {holder.pid}"):
            Library.open(lib_dir)
    finally:
        holder.kill()  # a crash: no clean release
        holder.wait()
    lib = Library.open(lib_dir)  # the stale lock is recovered
    lib.close()


def test_readers_work_beside_the_writer(make_lib, tmp_path):
    writer = make_lib("lib")
    sid = L.create_session(writer, name="Visible").created[0]
    reader = make_lib("lib", readonly=True)
    assert [s.id for s in L.list_sessions(reader)] == [sid]
    with pytest.raises(StudioError, match="read-only"):
        L.create_session(reader, name="nope")


def test_library_in_cloud_folder_is_refused_unless_overridden(tmp_path):
    target = tmp_path / "Dropbox" / "Studio"
    with pytest.raises(UnsafeLocation, match="Dropbox"):
        Library.open(target)
    assert not (target / "catalog.sqlite").exists()
    lib = Library.open(target, allow_unsafe_location=True)
    lib.close()


def test_changes_survive_a_killed_process(tmp_path):
    lib_dir = tmp_path / "lib"
    script = ("import os\nfrom sessionstudio import library as L\n"
              f"lib = L.Library.open({str(lib_dir)!r})\n"
              "sid = L.create_session(lib, name='Saved before crash').created[0]\n"
              "print(sid, flush=True)\nos._exit(9)")  # no close, no checkpoint
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    sid = out.stdout.strip()
    lib = Library.open(lib_dir)
    try:
        assert L.get_session(lib, sid).name == "Saved before crash"
    finally:
        lib.close()
