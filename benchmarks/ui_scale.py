#!/usr/bin/env python3
"""Window-scale benchmark: the real MainWindow on a big library, offscreen.

    python3 benchmarks/ui_scale.py [--sessions 100000] [--items 10000] [--out docs/performance.md]

Builds a library with N sessions (bulk import) and one session of M items that point at
200 real images, then, in a fresh process each time:
  1. start: process start to the first painted frame, for the app window vs a bare
     QMainWindow (the cost of our imports, catalog and widgets);
  2. open the 10k-item session: open_session() to the grid holding every row, painted;
  3. scroll the grid a page at a time: synchronous repaint time per frame (p50, p95);
  4. the longest GUI-thread stall while opening and scrolling (a 1 ms timer's worst gap);
  5. peak RSS.
Results go to docs/performance.md between the ui_scale markers."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
START_MARK, END_MARK = "<!-- ui_scale:start -->", "<!-- ui_scale:end -->"


def build(library: Path, n_sessions: int, n_items: int) -> str:
    from PIL import Image, ImageDraw

    from sessionstudio.core.ids import uuid7
    from sessionstudio.library import Library
    from sessionstudio.library.bulk import bulk_insert

    lib = Library.open(library)
    hashes = []
    for n in range(200):
        img = Image.new("RGB", (640, 400), ((n * 37) % 255, (n * 91) % 255, (n * 53) % 255))
        ImageDraw.Draw(img).ellipse((200, 80, 440, 320), fill=(250, 250, 250))
        path = library / f"seed{n}.jpg"
        img.save(path, quality=85)
        hashes.append(lib.store.put_file(path)[0])
        path.unlink()
    t = 1_672_531_200_000
    sessions, big = [], None
    for n in range(n_sessions):
        t += 60_000
        sid = uuid7(t)
        sessions.append((sid, f"Session {n}", 0, None, t, t))
        if n == n_sessions - 1:
            big = sid
    items = []
    for n in range(n_items):
        t += 1000
        items.append((uuid7(t), big, "image", f"Picture {n}", f"prompt number {n}", "{}", "import",
                      "import", None, None, hashes[n % 200], "image/jpeg", 30_000, 640, 400,
                      None, 0, t, t))
    bulk_insert(lib, sessions=sessions, items=[items])
    lib.close()
    return big


PROBE = r"""
import os, sys, time, json, resource, statistics
T0 = time.perf_counter()
mode, library, big = sys.argv[1], sys.argv[2], sys.argv[3]
from PySide6.QtCore import QTimer, QElapsedTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
gaps = []
clock = QElapsedTimer(); clock.start()
last = [clock.elapsed()]
def tick():
    now = clock.elapsed(); gaps.append(now - last[0]); last[0] = now
timer = QTimer(); timer.timeout.connect(tick)
def settle(ms=50):
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()
out = {}
if mode == "bare":
    w = QMainWindow(); w.resize(1400, 900); w.show(); w.repaint(); app.processEvents()
    out["start_s"] = time.perf_counter() - T0
    print(json.dumps(out)); sys.exit(0)
from sessionstudio.library import Library
from sessionstudio.library.thumbnails import Thumbnailer
from sessionstudio.ui.main_window import MainWindow
from sessionstudio.settings import Settings
lib = Library.open(library)
lib.thumbnailer = Thumbnailer(lib.store, lib.paths.thumbs_dir, lib.paths.waveforms_dir)
Settings(lib.paths.settings_path).set("last_session_id", "")
w = MainWindow(lib)
w.resize(1400, 900); w.show(); w.repaint(); app.processEvents()
out["start_s"] = time.perf_counter() - T0
if mode == "open":
    other = lib.query("SELECT id FROM sessions WHERE id != ? LIMIT 1", [big])[0][0]
    w.open_session(other); settle(100)
    grid = w.canvas.visual
    timer.start(1); gaps.clear(); last[0] = clock.elapsed()
    t = time.perf_counter()
    w.open_session(big)
    while grid.model.rowCount() < int(sys.argv[4]):
        app.processEvents()
        if time.perf_counter() - t > 60: break
    grid.view.repaint()
    out["open_s"] = time.perf_counter() - t
    out["rows"] = grid.model.rowCount()
    settle(300)
    bar = grid.view.verticalScrollBar()
    frames = []
    for step in range(120):
        bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        f = time.perf_counter(); grid.view.viewport().repaint(); frames.append(time.perf_counter() - f)
        app.processEvents()
    out["frame_p50_ms"] = statistics.median(frames) * 1000
    out["frame_p95_ms"] = sorted(frames)[int(len(frames) * 0.95)] * 1000
    settle(200)
    timer.stop()
    out["max_stall_ms"] = max(gaps) if gaps else 0
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
w.close(); lib.thumbnailer.close(); lib.close()
print(json.dumps(out))
"""


def probe(mode: str, library: Path, big: str, items: int) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run([sys.executable, "-c", PROBE, mode, str(library), big, str(items)],
                         env=env, capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        raise SystemExit(f"probe {mode} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=100_000)
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp:
        library = Path(tmp) / "lib"
        t = time.perf_counter()
        big = build(library, args.sessions, args.items)
        print(f"built {args.sessions} sessions, {args.items} items in {time.perf_counter() - t:.1f}s")
        bare = [probe("bare", library, big, args.items)["start_s"] for _ in range(args.runs)]
        start = [probe("start", library, big, args.items)["start_s"] for _ in range(args.runs)]
        opened = [probe("open", library, big, args.items) for _ in range(args.runs)]
    med = lambda xs: statistics.median(xs)  # noqa: E731
    rows = [
        ("start to first frame, bare QMainWindow", f"{med(bare):.2f} s", "reference"),
        ("start to first frame, Session Studio", f"{med(start):.2f} s",
         f"≤ bare + 1.0 s: {'PASS' if med(start) <= med(bare) + 1.0 else 'MISS'}"),
        (f"open a {args.items:,}-item session (all rows, painted)",
         f"{med([o['open_s'] for o in opened]) * 1000:.0f} ms",
         f"< 500 ms: {'PASS' if med([o['open_s'] for o in opened]) < 0.5 else 'MISS'}"),
        ("scroll a page, repaint p50 / p95",
         f"{med([o['frame_p50_ms'] for o in opened]):.1f} / "
         f"{med([o['frame_p95_ms'] for o in opened]):.1f} ms",
         f"p95 < 16 ms: {'PASS' if med([o['frame_p95_ms'] for o in opened]) < 16 else 'MISS'}"),
        ("longest GUI stall while opening and scrolling",
         f"{med([o['max_stall_ms'] for o in opened]):.0f} ms",
         f"< 100 ms: {'PASS' if med([o['max_stall_ms'] for o in opened]) < 100 else 'MISS'}"),
        ("peak RSS after opening and scrolling", f"{med([o['rss_mb'] for o in opened]):.0f} MB",
         f"< 400 MB: {'PASS' if med([o['rss_mb'] for o in opened]) < 400 else 'MISS'}"),
    ]
    table = "\n".join(["| measure | result | target |", "| --- | --- | --- |"]
                      + [f"| {a} | {b} | {c} |" for a, b, c in rows])
    section = (f"{START_MARK}\n## Window at scale (benchmarks/ui_scale.py)\n\n"
               f"{args.sessions:,} sessions, one session of {args.items:,} images; offscreen Qt, "
               f"median of {args.runs} fresh processes, {time.strftime('%Y-%m-%d')}.\n\n"
               f"{table}\n{END_MARK}\n")
    print(table)
    out = Path(args.out)
    text = out.read_text(encoding="utf-8") if out.exists() else "# Performance\n"
    s, e = text.find(START_MARK), text.find(END_MARK)
    text = (text[:s] + section.rstrip("\n") + text[e + len(END_MARK):]) if s != -1 and e > s \
        else text.rstrip("\n") + "\n\n" + section
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
