"""Closing a library while other threads still read from it (a window closing with reads
on its pool, a test tearing down): the running query finishes, nothing crashes, and later
reads and writes get a clear error. Before, close() closed every thread's connection under
its running query and the process died with a segfault inside sqlite3."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest

from sessionstudio.core.errors import StudioError
from sessionstudio.library import create_session

# Long enough (about a second) that close() lands while it runs.
SLOW_COUNT = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
              "WHERE x < 3000000) SELECT count(*) FROM c")


def test_a_query_running_in_another_thread_survives_close(lib):
    create_session(lib, name="Kept")
    started, result = threading.Event(), {}

    def read():
        with lib.reading() as conn:
            started.set()
            result["count"] = conn.execute(SLOW_COUNT).fetchone()[0]
            result["names"] = [r[0] for r in conn.execute("SELECT name FROM sessions")]
        try:
            lib.query("SELECT 1")
        except StudioError as exc:
            result["after"] = str(exc)

    t = threading.Thread(target=read)
    t.start()
    started.wait(5)
    lib.close()
    t.join(30)
    assert result == {"count": 3000000, "names": ["Kept"],
                      "after": "The library was closed; nothing more can be read from it."}


def test_after_close_reads_and_writes_say_the_library_is_closed(lib):
    lib.query("SELECT 1")
    lib.close()
    with pytest.raises(StudioError, match="closed; nothing more can be read"):
        lib.query("SELECT 1")
    with pytest.raises(StudioError, match="closed; the change was not made"):
        create_session(lib, name="Too late")


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="lists open files in /proc")
def test_close_releases_idle_readers_of_every_thread(lib):
    """Readers of threads that are done reading are closed at once, not left to the
    garbage collector (open files would keep the catalog busy)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: lib.query("SELECT count(*) FROM sessions"), range(16)))

        def open_files():
            names = []
            for fd in os.listdir("/proc/self/fd"):
                try:
                    names.append(os.readlink(f"/proc/self/fd/{fd}"))
                except OSError:
                    pass
            return [n for n in names if str(lib.paths.catalog_path) in n]
        assert len(open_files()) > 3   # the writer's files plus the pool's readers
        lib.close()
        assert open_files() == []


def test_many_reads_racing_close_never_crash(tmp_path):
    """The crash was a segfault, which no assertion in this process could catch: run the
    race in a child process, many times over, and check it exits cleanly."""
    script = textwrap.dedent(f"""
        import threading
        from sessionstudio.core.errors import StudioError
        from sessionstudio.library import Library, create_session
        SQL = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
               "WHERE x < 20000) SELECT x FROM c")
        for round in range(20):
            lib = Library.open({str(tmp_path)!r} + f"/lib{{round}}")
            create_session(lib, name="x")
            reading = threading.Barrier(5)
            def read():
                lib.query("SELECT 1")
                reading.wait()
                try:
                    for _ in range(20):
                        lib.query(SQL)
                except StudioError:
                    pass
            threads = [threading.Thread(target=read) for _ in range(4)]
            for t in threads:
                t.start()
            reading.wait()
            lib.close()
            for t in threads:
                t.join()
        print("clean")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "clean", run.stderr[-2000:]
