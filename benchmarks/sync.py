#!/usr/bin/env python3
"""Sync benchmark: one device's changes reaching two others through a shared folder.

    python3 benchmarks/sync.py [--ops 10000] [--assets-mb 1024] [--asset-mb 16]
                               [--quick] [--out docs/performance.md] [--workdir DIR]

1. Operations: device A makes --ops journaled operations (sessions, items, renames,
   favorites, moves, trash, restores, purges), each its own Library.write. Timed: A's
   round (stamp + publish) then B's and C's rounds (pull + merge), one after the other
   as on a 2-core machine; their catalogs must then equal A's row for row.
2. Assets: A holds --assets-mb of random files (incompressible) in --asset-mb pieces.
   Timed: A's round (upload, fsync, read back, verify) then B's and C's (download,
   verify, into the store with fsync). Compared with a plain durable copy of the same
   files (shutil.copyfile + fsync), which is the floor any sync needs per transfer.
3. Writes a section between the sync markers of docs/performance.md (others kept).

Only the sync rounds and the plain copy are timed; making the data is not. A MISS is
reported as measured: this is a benchmark, it exits 0 either way.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sessionstudio import library as L  # noqa: E402
from sessionstudio.core.ids import now_ms, uuid7  # noqa: E402
from sessionstudio.library import Library  # noqa: E402
from sessionstudio.sync import FolderTarget, SyncEngine  # noqa: E402

START_MARK = "<!-- sync:start -->"
END_MARK = "<!-- sync:end -->"
TABLES = ("folders", "sessions", "items", "item_inputs")


def code_version() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head}{' with uncommitted changes under src/' if dirty else ''}"


def state(lib) -> dict:
    return {t: lib.query(f"SELECT * FROM {t} ORDER BY id") and
            [tuple(r) for r in lib.query(f"SELECT * FROM {t} ORDER BY id")] for t in TABLES}


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def device(work: Path, name: str, target_dir: Path) -> tuple[Library, SyncEngine]:
    lib = Library.open(work / name)
    engine = SyncEngine(lib, FolderTarget(target_dir), mass_delete_min=1 << 30)
    engine.setup()
    return lib, engine


def item_row(sid: str, h: str, size: int, n: int) -> dict:
    now = now_ms()
    return {"id": uuid7(), "session_id": sid, "kind": "image", "name": f"item {n}",
            "prompt": f"prompt number {n} with a few words", "settings": "{}", "engine": "bench",
            "action": "generate", "asset_hash": h, "mime": "image/png", "size": size,
            "width": 64, "height": 64, "favorite": 0, "created_at": now, "updated_at": now}


def make_ops(lib: Library, n_ops: int, rnd: random.Random) -> None:
    """n_ops journaled operations on lib, each its own write (as a person makes them)."""
    lib.conn.execute("PRAGMA synchronous=NORMAL")   # making the data is not what is timed
    blobs = [lib.store.put_bytes(os.urandom(4096))[0] for _ in range(50)]
    sessions = [L.create_session(lib, name=f"Session {i}").created[0] for i in range(100)]
    items: list[str] = []
    n_items = min(3000, n_ops // 3)
    for n in range(n_items):
        row = item_row(rnd.choice(sessions), rnd.choice(blobs), 4096, n)
        lib.write("Add item", lambda tx, row=row: tx.insert("items", row))
        items.append(row["id"])
    done = len(sessions) + n_items
    purged: set[str] = set()
    while done < n_ops:
        r = rnd.random()
        iid = rnd.choice(items)
        if iid in purged:
            continue
        if r < 0.35:
            ch = L.rename_item(lib, item_id=iid, name=f"renamed {done}")
        elif r < 0.60:
            ch = L.set_favorite(lib, item_ids=[iid], favorite=rnd.random() < 0.5)
        elif r < 0.70:
            ch = L.trash_items(lib, item_ids=[iid])
        elif r < 0.75:
            ch = L.restore_items(lib, item_ids=[iid])
        elif r < 0.85:
            ch = L.rename_session(lib, session_id=rnd.choice(sessions), name=f"S {done}")
        elif r < 0.95:
            ch = L.move_items(lib, item_ids=[iid], session_id=rnd.choice(sessions))
        else:
            ch = L.purge_items(lib, item_ids=[iid])
            purged.add(iid)
        done += ch.op_seq is not None   # a no-op (already a favorite...) journals nothing
    lib.conn.execute("PRAGMA synchronous=FULL")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def bench_ops(work: Path, n_ops: int) -> dict:
    target = work / "target-ops"
    target.mkdir()
    (a, ea), (b, eb), (c, ec) = (device(work, f"ops-{x}", target) for x in "abc")
    make_ops(a, n_ops, random.Random(7))
    ops = a.query("SELECT count(*) FROM ops")[0][0]
    ta, ra = timed(ea.run_round)
    tb, rb = timed(eb.run_round)
    tc, rc = timed(ec.run_round)
    same = state(a) == state(b) == state(c)
    out = {"ops": ops, "t_a": ta, "t_b": tb, "t_c": tc, "total": ta + tb + tc, "same": same,
           "records": ra["up"]["records"], "segments": ra["up"]["segments"],
           "target_bytes": tree_bytes(target), "rows": sum(len(v) for v in state(a).values())}
    for lib in (a, b, c):
        lib.close()
    return out


def bench_assets(work: Path, total_mb: int, piece_mb: int) -> dict:
    target = work / "target-assets"
    target.mkdir()
    (a, ea), (b, eb), (c, ec) = (device(work, f"assets-{x}", target) for x in "abc")
    n = max(1, total_mb // piece_mb)
    hashes, size = [], piece_mb << 20
    staging = work / "staging"
    staging.mkdir()
    for i in range(n):
        p = staging / f"f{i}"
        with open(p, "wb") as f:
            for _ in range(piece_mb):
                f.write(os.urandom(1 << 20))
        hashes.append(a.store.put_file(p)[0])
        p.unlink()
    sid = L.create_session(a, name="Assets").created[0]
    rows = [item_row(sid, h, size, i) for i, h in enumerate(hashes)]
    a.write("Add assets", lambda tx: [tx.insert("items", r) for r in rows])
    nbytes = n * size
    # The floor: a plain durable copy of the same files, three times (as many transfers
    # as the sync makes), one file at a time and two at a time (the sync moves two at
    # once; on a virtual disk two fsync streams alone can triple throughput, so the
    # two-stream copy is the fair floor). Dirty pages are flushed (untimed) before every
    # timed phase: a VM's disk throttles writers once gigabytes are waiting.
    def copy_all(dest: Path, streams: int):
        dest.mkdir()

        def one(h):
            shutil.copyfile(a.store.path(h), dest / h)
            with open(dest / h, "rb+") as f:
                os.fsync(f.fileno())
        with ThreadPoolExecutor(streams) as pool:
            list(pool.map(one, hashes))

    def flushed(fn):
        os.sync()
        return timed(fn)
    plain = {}
    for streams in (1, 2):
        plain[streams] = [flushed(lambda i=i: copy_all(work / f"p{streams}-{i}", streams))[0]
                          for i in range(3)]
        for i in range(3):
            shutil.rmtree(work / f"p{streams}-{i}")
    (ta, _), (tb, rb), (tc, _) = (flushed(e.run_round) for e in (ea, eb, ec))
    ok = all(lib.store.has(h) for lib in (b, c) for h in hashes)
    out = {"n": n, "bytes": nbytes, "plain": plain, "t_a": ta, "t_b": tb, "t_c": tc,
           "ok": ok, "target_bytes": tree_bytes(target), "fetched": rb["assets"]["fetched"]}
    for lib in (a, b, c):
        lib.close()
    return out


def section(report: dict) -> str:
    o, s = report["ops"], report["assets"]
    mbps = lambda nbytes, secs: nbytes / secs / 1e6 if secs else 0.0  # noqa: E731
    one = mbps(s["bytes"], sum(s["plain"][1]) / 3)
    plain = mbps(s["bytes"], sum(s["plain"][2]) / 3)
    up, down = mbps(s["bytes"], s["t_a"]), mbps(2 * s["bytes"], s["t_b"] + s["t_c"])
    overall = mbps(3 * s["bytes"], s["t_a"] + s["t_b"] + s["t_c"])
    ratio = overall / plain if plain else 0.0
    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    spread = lambda ts: f"{min(ts):.2f} to {max(ts):.2f} s"  # noqa: E731
    piece = s["bytes"] // s["n"] >> 20
    rows = [
        ("10k operations: A publishes, B and C merge (sequential)", f"{o['total']:.2f} s",
         f"{o['ops']:,} ops → {o['records']:,} records in {o['segments']} segment(s); "
         f"A {o['t_a']:.2f} s, B {o['t_b']:.2f} s, C {o['t_c']:.2f} s; "
         f"catalogs equal: {'yes' if o['same'] else 'NO'}", "< 10 s",
         verdict(o["total"] < 10 and o["same"])),
        ("… bytes written to the target", f"{o['target_bytes'] / 1e6:,.2f} MB",
         f"{o['target_bytes'] / max(1, o['ops']):,.0f} B/op (gzip JSON lines; 50 × 4 KiB assets "
         f"included); {o['rows']:,} rows in the end", "—", "info"),
        ("Assets: plain durable copy, one file at a time (copyfile + fsync)", f"{one:,.0f} MB/s",
         f"{s['n']} × {piece} MiB random; three copies, {spread(s['plain'][1])} each", "—", "info"),
        ("Assets: plain durable copy, two files at a time (the floor used)", f"{plain:,.0f} MB/s",
         f"three copies, {spread(s['plain'][2])} each", "—", "info"),
        ("Assets: A uploads (copy, fsync, read back + SHA-256, then its name)", f"{up:,.0f} MB/s",
         f"{s['t_a']:.2f} s; {up / plain:.2f}x the two-stream copy", "—", "info"),
        ("Assets: B and C download (SHA-256 verified, fsync, into the store)", f"{down:,.0f} MB/s",
         f"B {s['t_b']:.2f} s, C {s['t_c']:.2f} s; {down / plain:.2f}x the two-stream copy", "—",
         "info"),
        ("Assets: sync throughput / plain two-stream copy (3 transfers each)", f"{ratio:.2f}x",
         f"{3 * s['bytes'] / 1e9:.2f} GB moved in {s['t_a'] + s['t_b'] + s['t_c']:.2f} s "
         f"({overall / one:.2f}x the one-stream copy); all verified in B's and C's stores: "
         f"{'yes' if s['ok'] else 'NO'}; target holds {s['target_bytes'] / 1e9:.2f} GB",
         ">= 0.80x", verdict(ratio >= 0.8 and s["ok"])),
    ]
    lines = [START_MARK, "## Sync (`benchmarks/sync.py`)", "",
             f"- Date: {report['date']}", f"- Code: commit {report['code']}",
             f"- Command: `{report['command']}`; wall time {report['wall']:.0f} s",
             f"- Machine: {report['cpus']} CPUs, {report['platform']}, Python {report['python']}; "
             f"load average {report['load_before']} before, {report['load_after']} after",
             "- Target: a folder on the same local disk (what Dropbox/Syncthing/iCloud see); "
             "devices run one after the other; warm page cache; dirty pages flushed "
             "(`os.sync()`, untimed) before each timed phase", "",
             "| Measure | Result | Detail | Target | Status |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    lines += ["", "Notes: each asset transfer hashes every byte it writes (uploads read the temp "
              "file back, downloads hash before the store takes the file), overlapped with the "
              "copy on a helper thread, and two assets move at once. On this shared 2-core VM a "
              "single fsync stream is far slower than two, so the two-stream plain copy is the "
              "floor the 0.80x target is judged against; the one-stream ratio is given beside "
              "it. Rounds include their fixed costs (listing, catalog transactions).",
              "", END_MARK]
    return "\n".join(lines) + "\n"


def write_section(out: Path, text_section: str) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else "# Performance\n"
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start != -1 and end > start:
        text = text[:start] + text_section.rstrip("\n") + text[end + len(END_MARK):]
    else:
        text = text.rstrip("\n") + "\n\n" + text_section
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ops", type=int, default=10_000)
    ap.add_argument("--assets-mb", type=int, default=None, help="default 1024 (--quick: 100)")
    ap.add_argument("--asset-mb", type=int, default=16, help="size of each asset file")
    ap.add_argument("--quick", action="store_true", help="100 MB of assets instead of 1 GB")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    ap.add_argument("--no-write", action="store_true", help="print only; leave the doc alone")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    assets_mb = args.assets_mb or (100 if args.quick else 1024)
    os.environ.setdefault("SESSIONSTUDIO_HOME", tempfile.mkdtemp(prefix="sync_bench_home_"))
    wall = time.perf_counter()
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "command": "python3 benchmarks/sync.py" + (" " + " ".join(
                  sys.argv[1:] if argv is None else argv)).rstrip(),
              "cpus": os.cpu_count(), "platform": platform.platform(terse=True),
              "python": platform.python_version(), "code": code_version(),
              "load_before": " / ".join(f"{x:.2f}" for x in os.getloadavg())}
    work = Path(tempfile.mkdtemp(prefix="sync_bench_", dir=args.workdir))
    try:
        report["ops"] = bench_ops(work, args.ops)
        print(f"ops: {report['ops']}", flush=True)
        report["assets"] = bench_assets(work, assets_mb, args.asset_mb)
        print(f"assets: {report['assets']}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["load_after"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    report["wall"] = time.perf_counter() - wall
    text = section(report)
    print(text)
    if not args.no_write:
        write_section(args.out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
