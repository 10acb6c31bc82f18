"""kill -9 of a device mid-publish leaves no damaged file under a final name, and the
next run publishes what was cut off."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sessionstudio import library as L
from sessionstudio.library import Library
from sessionstudio.library.bulk import bulk_insert
from sessionstudio.sync import FolderTarget, SyncEngine, layout
from tests.sync.conftest import Device

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sessionstudio.library import Library
    from sessionstudio.sync import FolderTarget, SyncEngine
    from sessionstudio.sync import targets as T

    lib_dir, shared, mode = sys.argv[1:4]
    real = T.FolderTarget._write_tmp

    def slow(self, tmp, source):   # the same write, slowed down so it can be cut off
        is_blob = not isinstance(source, (bytes, bytearray, memoryview))
        if (mode == "blob") != is_blob:
            return real(self, tmp, source)
        data = Path(source).read_bytes() if is_blob else bytes(source)
        with open(tmp, "xb") as out:
            for n, i in enumerate(range(0, len(data), 4096)):
                out.write(data[i:i + 4096])
                out.flush()
                if n == 4:
                    print("MIDWRITE", flush=True)
                time.sleep(0.02)
    T.FolderTarget._write_tmp = slow
    lib = Library.open(lib_dir)
    SyncEngine(lib, FolderTarget(shared)).run_round()
    print("FINISHED", flush=True)
""")


def _verify_final_names(shared: Path) -> int:
    checked = 0
    for p in shared.rglob("*"):
        if not p.is_file() or p.parts[len(shared.parts)] == "tmp":
            continue
        if p.name == "FORMAT":
            layout.parse_format(p.read_bytes())
        elif (seg := layout.parse_segment_name(p.name)) is not None:
            assert hashlib.sha256(p.read_bytes()).hexdigest() == seg.sha, p
            assert layout.decode_segment(p.read_bytes()).complete
        else:
            assert hashlib.sha256(p.read_bytes()).hexdigest() == p.name, p
        checked += 1
    return checked


@pytest.mark.parametrize("mode", ["blob", "segment"])
def test_kill_9_mid_publish(tmp_path, shared, mode):
    lib = Library.open(tmp_path / "a")
    SyncEngine(lib, FolderTarget(shared)).setup()
    sid = L.create_session(lib, name="S").created[0]
    data = os.urandom(300_000) if mode == "blob" else b"tiny"
    h, _ = lib.store.put_bytes(data)
    rows = [(f"it{i:05d}", sid, "image", f"n{i}", "", "{}", "", "", None, None, h, "image/png",
             len(data), 1, 1, None, 0, 1, 1) for i in range(3000 if mode == "segment" else 1)]
    bulk_insert(lib, items=[rows])
    lib.close()

    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "a"), str(shared), mode],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "MIDWRITE", line
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    assert any(p.name.endswith(".part") for p in (shared / "tmp").iterdir())  # cut off mid-write
    _verify_final_names(shared)

    # Restart: what was cut off is published, the leftover temp is cleared.
    lib = Library.open(tmp_path / "a")
    a = Device("a", lib, FolderTarget(shared))
    a.sync()
    assert a.engine.counts()["pending_up"] == 0
    assert not any(p.name.endswith(".part") for p in (shared / "tmp").iterdir())
    assert _verify_final_names(shared) >= 2
    b = Device("b", Library.open(tmp_path / "b"), FolderTarget(shared))
    b.setup()
    b.sync()
    assert a.state() == b.state()
    assert b.lib.store.has(h)
    b.lib.close()
    lib.close()
