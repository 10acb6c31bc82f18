#!/usr/bin/env python3
"""Catalog-scale and thumbnailing benchmark for Session Studio.

    python3 benchmarks/catalog_scale.py [--sessions 100000] [--items 1000000]
                                        [--images 1000] [--out docs/performance.md] [--quick]

1. Builds a library in a temporary folder with N sessions and M items through
   `bulk_insert` (one session of 20,000 items, the rest spread over the other sessions)
   and times the import, including its full-text indexing; reports bytes per item.
2. Times what the app's views run, through the library functions on the reopened
   library: the newest sessions, a big session's grid filtered by kind, and search.
3. Generates a mixed corpus of PNG and JPEG images and times decode-only, thumbnails on
   one process and thumbnails on two processes.
4. Prints a table of each measure against its target and writes it into
   docs/performance.md, between the catalog_scale markers (other sections are kept).

Row tuples and images are made before timing starts; only the measured calls are timed.
Misses are reported as they are: this is a benchmark, it exits 0 either way.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, wait
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # benchmark this checkout, installed or not

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402
import PIL  # noqa: E402

from sessionstudio.core.ids import uuid7  # noqa: E402
from sessionstudio.library import Library, list_items, list_sessions, search  # noqa: E402
from sessionstudio.library.bulk import ITEM_COLUMNS, SESSION_COLUMNS, bulk_insert  # noqa: E402
from sessionstudio.library.naming import dated_session_name, name_from_prompt  # noqa: E402
from sessionstudio.library.search import fts_query  # noqa: E402
from sessionstudio.media.thumbnails import make_thumbnail  # noqa: E402
from sessionstudio.paths import HOME_ENV  # noqa: E402

START_MARK = "<!-- catalog_scale:start -->"
END_MARK = "<!-- catalog_scale:end -->"
INTRO = """# Performance

Benchmarks of Session Studio; run `python3 benchmarks/catalog_scale.py`; figures from a
2-core machine. Each benchmark rewrites only its own section (between its HTML comment
markers), so several benchmarks can share this page. A MISS is reported as measured.
"""

BIG_SESSION_ITEMS = 20_000
BATCH = 10_000
SEED = 42

# Targets.
GRID_P50_MS = 2.0
SEARCH_P50_MS = 20.0
IMPORT_ITEMS_PER_S = 150_000
BYTES_PER_ITEM = 1024
THUMB_VS_DECODE = 0.85
TWO_PROCESS_SPEEDUP = 1.8

# Words in many prompts, with the share of prompts that contain each.
COMMON_WORDS = [("portrait", 0.93), ("cinematic", 0.45), ("lighting", 0.40), ("detailed", 0.35),
                ("of", 0.50), ("with", 0.40), ("the", 0.35), ("photo", 0.25),
                ("dramatic", 0.20), ("soft", 0.20), ("studio", 0.15), ("golden", 0.10)]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- catalog data ------------------------------------------------------------------------

def make_vocabulary(rng: random.Random, n: int = 2000) -> list[str]:
    """n distinct pronounceable pseudo-words, in a fixed order (rank = Zipf rank)."""
    onsets = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gl", "h", "k", "l", "m", "n", "p",
              "pr", "qu", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"]
    vowels = ["a", "e", "i", "o", "u", "ae", "ia", "ou"]
    codas = ["", "", "", "n", "r", "s", "l", "x", "th", "nd"]
    taken = {w for w, _ in COMMON_WORDS}
    words: list[str] = []
    while len(words) < n:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3)))
        word += rng.choice(codas)
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def make_settings(rng: random.Random) -> dict[str, list[str]]:
    """Pre-serialised settings JSON per kind (settings repeat a lot in real libraries)."""
    out: dict[str, list[str]] = {}
    out["image"] = [json.dumps({"model": m, "aspect_ratio": ar, "steps": s, "guidance": g},
                               sort_keys=True)
                    for m in ("flux-dev", "flux-pro-1.1", "sdxl-1.0", "imagen-4")
                    for ar in ("1:1", "16:9", "9:16", "3:2") for s in (20, 25, 30, 40, 50)
                    for g in (3.5, 5.0, 7.0)]
    out["video"] = [json.dumps({"model": m, "aspect_ratio": ar, "duration_s": d,
                                "resolution": r}, sort_keys=True)
                    for m in ("veo-3", "kling-2.1", "runway-gen4") for ar in ("16:9", "9:16")
                    for d in (4, 5, 8, 10) for r in ("720p", "1080p")]
    out["music"] = [json.dumps({"model": m, "duration_s": d, "instrumental": i, "genre": g},
                               sort_keys=True)
                    for m in ("suno-v4.5", "udio-1.5") for d in (60, 120, 180, 240)
                    for i in (True, False) for g in ("ambient", "synthwave", "orchestral", "lofi")]
    out["voiceover"] = [json.dumps({"model": m, "voice": v, "speed": s, "stability": 0.5},
                                   sort_keys=True)
                        for m in ("eleven-multilingual-v2", "gpt-4o-mini-tts")
                        for v in ("aria", "roger", "sarah", "charlie", "onyx") for s in (0.9, 1.0, 1.1)]
    for v in out.values():
        rng.shuffle(v)
    return out


KIND_SPECS = {
    # engine choices, mimes, (w, h) choices or None, duration range ms or None, size range
    "image": (["flux-dev", "flux-pro", "sdxl", "imagen"], ["image/png", "image/jpeg"],
              [(1024, 1024), (1344, 768), (768, 1344), (1216, 832)], None, (800_000, 4_000_000)),
    "video": (["veo", "kling", "runway"], ["video/mp4"],
              [(1280, 720), (1920, 1080), (720, 1280)], (4_000, 10_000), (3_000_000, 40_000_000)),
    "music": (["suno", "udio"], ["audio/mpeg"], None, (60_000, 240_000), (1_000_000, 6_000_000)),
    "voiceover": (["elevenlabs", "openai-tts"], ["audio/mpeg", "audio/wav"], None,
                  (2_000, 60_000), (30_000, 2_000_000)),
}
ACTIONS = ["generate"] * 16 + ["variation", "upscale", "extend", "remix"]
FILE_STEMS = ["ComfyUI_{:05d}_", "image_{:05d}", "render-{:05d}", "take {:d}", "IMG_{:04d}"]


def make_dataset(n_sessions: int, n_items: int, seed: int = SEED):
    """All session tuples and item batches (lists of tuples), plus facts for the queries."""
    rng = random.Random(seed)
    vocab = make_vocabulary(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]  # Zipf, s = 1
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    settings = make_settings(rng)
    hashes = [f"{rng.getrandbits(256):064x}" for _ in range(8)]

    big = min(BIG_SESSION_ITEMS, n_items // 2) if n_sessions > 1 else n_items
    big_index = n_sessions // 2
    rest = n_items - big
    others = n_sessions - 1
    counts = [0] * n_sessions
    counts[big_index] = big
    if others:
        other_idx = [i for i in range(n_sessions) if i != big_index]
        base = 1 if rest >= others else 0
        for i in other_idx:
            counts[i] = base
        spare = rest - base * others
        sw = [rng.lognormvariate(0.0, 1.0) for _ in other_idx]
        acc, scum = 0.0, []
        for w in sw:
            acc += w
            scum.append(acc)
        for i in rng.choices(other_idx, cum_weights=scum, k=spare):
            counts[i] += 1

    t = 1_672_531_200_000  # 2023-01-01 UTC
    sessions: list[tuple] = []
    batches: list[list[tuple]] = []
    batch: list[tuple] = []
    big_session_id = ""
    kinds_seen: dict[str, int] = defaultdict(int)
    rnd = rng.random
    randint = rng.randint
    choices = rng.choices
    choice = rng.choice
    for s_index in range(n_sessions):
        t += randint(10_000, 1_200_000)
        s_created = t
        sid = uuid7(s_created)
        if s_index == big_index:
            big_session_id = sid
        first_prompt = ""
        prev_id = None
        for _ in range(counts[s_index]):
            t += randint(1_000, 60_000)
            n_words = randint(8, 20)
            words = [w for w, p in COMMON_WORDS if rnd() < p]
            if len(words) < n_words:
                words += choices(vocab, cum_weights=cum, k=n_words - len(words))
            else:
                words = words[:n_words]
            cut = len(words) // 2
            prompt = " ".join(words[:cut]) + ", " + " ".join(words[cut:])
            if not first_prompt:
                first_prompt = prompt
            r = rnd()
            kind = "image" if r < 0.60 else "video" if r < 0.80 else "music" if r < 0.92 else "voiceover"
            kinds_seen[kind] += 1
            engines, mimes, dims, dur, size_range = KIND_SPECS[kind]
            w, h = choice(dims) if dims else (None, None)
            duration = randint(*dur) if dur else None
            if rnd() < 0.5:
                name = name_from_prompt(prompt)
            else:
                name = choice(FILE_STEMS).format(randint(1, 99999))
            item_id = uuid7(t)
            parent = prev_id if prev_id is not None and rnd() < 0.10 else None
            batch.append((item_id, sid, kind, name, prompt, choice(settings[kind]), choice(engines),
                          choice(ACTIONS), rng.getrandbits(32) if kind != "voiceover" else None,
                          parent, choice(hashes), choice(mimes), randint(*size_range), w, h,
                          duration, 1 if rnd() < 0.05 else 0, t, t))
            prev_id = item_id
            if len(batch) == BATCH:
                batches.append(batch)
                batch = []
        r = rnd()
        if first_prompt and r < 0.6:
            name, auto = name_from_prompt(first_prompt), 1
        elif r < 0.8:
            name, auto = dated_session_name(s_created), 1
        else:
            name, auto = " ".join(choices(vocab, cum_weights=cum, k=randint(1, 3))).title(), 0
        sessions.append((sid, name, auto, None, s_created, t))
    if batch:
        batches.append(batch)

    facts = {
        "big_session_id": big_session_id,
        "big_session_items": big,
        "common_word": "portrait",
        "rare_word": vocab[-1],  # the Zipf tail: about 1 draw in 16,000
        "two_words": f"cinematic {vocab[25]}",
        "prefix": "cin",
        "kinds": dict(kinds_seen),
        "max_other_session": max((c for i, c in enumerate(counts) if i != big_index), default=0),
    }
    return sessions, batches, facts


# -- catalog timing ----------------------------------------------------------------------

FTS_PHASE = "full-text index (INSERT INTO items_fts / sessions_fts ... SELECT)"


def _phase(sql: str) -> str:
    s = " ".join(sql.split()).upper()
    if s.startswith("INSERT INTO BULK_ITEMS"):
        return "stage rows (executemany into temp table)"
    if s.startswith(("INSERT INTO ITEMS_FTS", "INSERT INTO SESSIONS_FTS")):
        return FTS_PHASE
    if s.startswith("INSERT INTO ITEMS "):
        return "copy into items (INSERT ... SELECT, B-tree + indexes)"
    if s.startswith("INSERT INTO SESSIONS"):
        return "sessions (executemany)"
    if s.startswith(("INSERT INTO OPS", "INSERT INTO OP_ROWS", "UPDATE OPS")):
        return "journal (ops, op_rows)"
    if s.startswith("COMMIT"):
        return "commit (WAL write, fsync, auto-checkpoint)"
    return "other statements"


class TimedConnection:
    """Wraps the writer connection during the import to split its time by statement
    (a perf_counter_ns pair per execute call: about 130 calls for the whole import)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self.spent: dict[str, int] = defaultdict(int)

    def execute(self, sql, *args):
        t = time.perf_counter_ns()
        try:
            return self._conn.execute(sql, *args)
        finally:
            self.spent[_phase(sql)] += time.perf_counter_ns() - t

    def executemany(self, sql, *args):
        t = time.perf_counter_ns()
        try:
            return self._conn.executemany(sql, *args)
        finally:
            self.spent[_phase(sql)] += time.perf_counter_ns() - t

    def __getattr__(self, name):
        return getattr(self._conn, name)


def percentile(samples: list[int], q: float) -> float:
    ordered = sorted(samples)
    k = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[k]


def bench(fn, runs: int, warmup: int, budget_s: float = 30.0) -> dict:
    for _ in range(warmup):
        result = fn()
    samples: list[int] = []
    start = time.perf_counter_ns()
    for i in range(runs):
        t = time.perf_counter_ns()
        result = fn()
        samples.append(time.perf_counter_ns() - t)
        if i + 1 >= 30 and time.perf_counter_ns() - start > budget_s * 1e9:
            break
    return {"p50": statistics.median(samples) / 1e6, "p95": percentile(samples, 0.95) / 1e6,
            "runs": len(samples), "result": result}


def table_sizes(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Bytes per table/index (dbstat), the FTS shadow tables summed; [] if unavailable."""
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.Error:
        return []
    groups: dict[str, int] = defaultdict(int)
    for name, size in rows:
        if name.startswith("items_fts"):
            name = "items_fts (all shadow tables)"
        elif name.startswith("sessions_fts"):
            name = "sessions_fts (all shadow tables)"
        elif name.startswith("sqlite_autoindex_items"):
            name = "items primary key (id)"
        groups[name] += size
    return sorted(groups.items(), key=lambda kv: -kv[1])


def run_catalog(args, work: Path, report: dict) -> None:
    log(f"generating {args.sessions:,} sessions and {args.items:,} items (not timed)")
    t = time.perf_counter()
    sessions, batches, facts = make_dataset(args.sessions, args.items)
    n_items = sum(len(b) for b in batches)
    report["gen_s"] = time.perf_counter() - t
    report["facts"] = facts
    report["n_sessions"], report["n_items"] = len(sessions), n_items
    log(f"generated in {report['gen_s']:.1f} s; peak RSS {peak_rss_mb():,.0f} MB")
    assert len(sessions[0]) == len(SESSION_COLUMNS) and len(batches[0][0]) == len(ITEM_COLUMNS)

    lib_dir = work / "library"
    lib = Library.open(lib_dir)
    try:
        timed = TimedConnection(lib.conn)
        lib.conn = timed
        gc.collect()
        log("bulk_insert (timed)")
        t0 = time.perf_counter_ns()
        bulk_insert(lib, sessions=sessions, items=batches, label="Benchmark import")
        t1 = time.perf_counter_ns()
        lib.conn = timed._conn
        report["import_s"] = (t1 - t0) / 1e9
        report["import_phases"] = {k: v / 1e9 for k, v in timed.spent.items()}
        log(f"imported in {report['import_s']:.1f} s")
        lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        report["catalog_bytes"] = os.path.getsize(lib.paths.catalog_path)
        report["table_sizes"] = table_sizes(lib.conn)
    finally:
        lib.close()
    del sessions, batches
    gc.collect()

    lib = Library.open(lib_dir)
    try:
        sid = facts["big_session_id"]
        queries = [
            ("grid", "Newest 50 sessions (`list_sessions`)",
             lambda: list_sessions(lib, limit=50)),
            ("grid", "20k-item session, first 200: image",
             lambda: list_items(lib, session_id=sid, kinds=["image"], limit=200)),
            ("grid", "20k-item session, first 200: music + voiceover",
             lambda: list_items(lib, session_id=sid, kinds=["music", "voiceover"], limit=200)),
            ("grid", "20k-item session, first 200: voiceover (rarest)",
             lambda: list_items(lib, session_id=sid, kinds=["voiceover"], limit=200)),
            ("grid", "20k-item session, first 200: all kinds",
             lambda: list_items(lib, session_id=sid, kinds=None, limit=200)),
        ]
        for label, text in [("word in nearly every prompt", facts["common_word"]),
                            ("rare word", facts["rare_word"]),
                            ("two words", facts["two_words"]),
                            ("prefix while typing", facts["prefix"])]:
            matches = lib.query("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?",
                                [fts_query(text)])[0][0]
            queries.append(("search", f"Search newest 50: {label} “{text}” ({matches:,} items match)",
                            lambda text=text: search(lib, text, limit=50)))
        results = []
        for group, label, fn in queries:
            r = bench(fn, args.runs, args.warmup)
            res = r.pop("result")
            r["rows"] = (f"{len(res.items)} items + {len(res.sessions)} sessions"
                         if hasattr(res, "items") else f"{len(res)} rows")
            log(f"{label}: p50 {r['p50']:.3f} ms, p95 {r['p95']:.3f} ms ({r['runs']} runs, {r['rows']})")
            results.append((group, label, r))
        report["queries"] = results
    finally:
        lib.close()


# -- images ------------------------------------------------------------------------------

ASPECTS = [(1, 1), (4, 3), (3, 4), (16, 9), (9, 16), (3, 2), (2, 3)]


def make_image(job: tuple[int, str, str, int]) -> int:
    """One deterministic photographic-ish picture: gradients, a soft wave, blurred shapes,
    sensor-like noise. Returns the file size."""
    idx, path, fmt, long_side = job
    rng = np.random.default_rng(SEED * 1_000_003 + idx)
    aw, ah = ASPECTS[idx % len(ASPECTS)]
    if aw >= ah:
        w, h = long_side, round(long_side * ah / aw)
    else:
        w, h = round(long_side * aw / ah), long_side
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    xs = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    c = rng.uniform(20, 235, size=(3, 3)).astype(np.float32)
    fx, fy = rng.uniform(0.5, 3.0, 2)
    wave = 25.0 * np.sin(np.float32(2 * np.pi) * (np.float32(fx) * xs + np.float32(fy) * ys)
                         + np.float32(rng.uniform(0, 2 * np.pi)))
    arr = np.empty((h, w, 3), np.uint8)
    for ch in range(3):
        plane = c[0, ch] + (c[1, ch] - c[0, ch]) * xs + (c[2, ch] - c[0, ch]) * ys
        plane = plane + wave * (0.5 + 0.25 * ch)
        arr[..., ch] = np.clip(plane, 0, 255)
    im = Image.fromarray(arr, "RGB")
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(6, 14))):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1 = min(w, x0 + int(rng.integers(w // 12, w // 2)))
        y1 = min(h, y0 + int(rng.integers(h // 12, h // 2)))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        shape = int(rng.integers(0, 3))
        if shape == 0:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        elif shape == 1:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            draw.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(radius=long_side / 512))
    noisy = np.asarray(im, dtype=np.float32)
    noisy += rng.standard_normal(noisy.shape, dtype=np.float32) * np.float32(4.0)
    im = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")
    if fmt == "PNG":
        im.save(path, "PNG")
    else:
        im.save(path, "JPEG", quality=90)
    return os.path.getsize(path)


def _warm_worker(src: str, dest: str) -> int:
    make_thumbnail(src, dest, "image", 256)
    time.sleep(0.3)  # so the two warm-up jobs land on two different workers
    return os.getpid()


def _thumb_chunk(jobs: list[tuple[str, str]]) -> int:
    for src, dest in jobs:
        make_thumbnail(src, dest, "image", 256)
    return len(jobs)


def run_images(args, work: Path, report: dict) -> None:
    img_dir = work / "images"
    img_dir.mkdir()
    jobs = []
    for i in range(args.images):
        fmt = "PNG" if i % 2 == 0 else "JPEG"
        long_side = 1024 if (i // 2) % 2 == 0 else 2048
        jobs.append((i, str(img_dir / f"img_{i:05d}.{'png' if fmt == 'PNG' else 'jpg'}"), fmt, long_side))
    log(f"generating {len(jobs)} images on 2 processes (not timed)")
    t = time.perf_counter()
    with ProcessPoolExecutor(2) as ex:
        sizes = list(ex.map(make_image, jobs, chunksize=4))
    report["img_gen_s"] = time.perf_counter() - t
    report["img_bytes"] = sum(sizes)
    paths = [j[1] for j in jobs]
    fmts = [j[2] for j in jobs]
    log(f"images made in {report['img_gen_s']:.1f} s ({report['img_bytes'] / 1e6:,.0f} MB)")
    for p in paths:  # same (warm) page cache for every pass
        Path(p).read_bytes()

    per_fmt = {"decode": defaultdict(int), "thumb": defaultdict(int)}
    gc.collect()
    log("decode-only, 1 process (timed)")
    t0 = time.perf_counter_ns()
    for p, f in zip(paths, fmts):
        s = time.perf_counter_ns()
        with Image.open(p) as im:
            im.load()
        per_fmt["decode"][f] += time.perf_counter_ns() - s
    decode_s = (time.perf_counter_ns() - t0) / 1e9

    thumbs1 = work / "thumbs1"
    thumbs1.mkdir()
    make_thumbnail(paths[0], thumbs1 / "warm.jpg", "image", 256)
    gc.collect()
    log("make_thumbnail, 1 process (timed)")
    t0 = time.perf_counter_ns()
    for i, (p, f) in enumerate(zip(paths, fmts)):
        s = time.perf_counter_ns()
        make_thumbnail(p, thumbs1 / f"{i:05d}.jpg", "image", 256)
        per_fmt["thumb"][f] += time.perf_counter_ns() - s
    thumb1_s = (time.perf_counter_ns() - t0) / 1e9

    thumbs2 = work / "thumbs2"
    thumbs2.mkdir()
    pairs = [(p, str(thumbs2 / f"{i:05d}.jpg")) for i, p in enumerate(paths)]
    n_chunks = max(2, min(32, len(pairs) // 4))
    chunks = [pairs[k::n_chunks] for k in range(n_chunks)]  # interleaved: sizes and formats mixed
    with ProcessPoolExecutor(2) as ex:
        pids = {f.result() for f in [ex.submit(_warm_worker, paths[0], str(thumbs2 / "warm.jpg"))
                                     for _ in range(2)]}
        log(f"make_thumbnail, 2 processes (timed; warm workers {sorted(pids)})")
        t0 = time.perf_counter_ns()
        futures = [ex.submit(_thumb_chunk, c) for c in chunks]
        wait(futures)
        thumb2_s = (time.perf_counter_ns() - t0) / 1e9
        done = sum(f.result() for f in futures)
    assert done == len(pairs)
    made = len(list(thumbs1.glob("0*.jpg"))), len(list(thumbs2.glob("0*.jpg")))
    assert made == (len(paths), len(paths)), made

    n = len(paths)
    fmt_count = {f: fmts.count(f) for f in ("PNG", "JPEG")}
    report["images"] = {
        "n": n, "decode_rate": n / decode_s, "thumb1_rate": n / thumb1_s, "thumb2_rate": n / thumb2_s,
        "per_format": {f: {"decode_rate": fmt_count[f] / (per_fmt["decode"][f] / 1e9),
                           "thumb_rate": fmt_count[f] / (per_fmt["thumb"][f] / 1e9)}
                       for f in ("PNG", "JPEG") if fmt_count[f]},
    }
    im = report["images"]
    log(f"decode {im['decode_rate']:.1f}/s, thumb 1p {im['thumb1_rate']:.1f}/s, "
        f"thumb 2p {im['thumb2_rate']:.1f}/s")


# -- report ------------------------------------------------------------------------------

def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def code_version() -> str:
    """The commit benchmarked, and whether the library sources differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head}{' with uncommitted changes under src/' if dirty else ''}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def build_rows(report: dict) -> list[tuple[str, str, str, str, str]]:
    """(measure, value, detail, target, status)"""
    rows = []
    n_items = report["n_items"]
    rate = n_items / report["import_s"]
    rows.append(("Bulk import (`bulk_insert`, incl. full-text index)", f"{rate:,.0f} items/s",
                 f"{n_items:,} items + {report['n_sessions']:,} sessions in {report['import_s']:.2f} s",
                 f">= {IMPORT_ITEMS_PER_S:,} items/s", verdict(rate >= IMPORT_ITEMS_PER_S)))
    fts = report["import_phases"].get(FTS_PHASE)
    if fts is not None:
        rows.append(("… of which full-text indexing", f"{fts:.2f} s",
                     f"{fts / report['import_s']:.0%} of the import; "
                     f"{n_items / fts:,.0f} items/s on its own", "—", "info"))
    bpi = report["catalog_bytes"] / n_items
    rows.append(("Catalog size per item", f"{bpi:,.0f} B",
                 f"{report['catalog_bytes'] / 2**20:,.1f} MiB after wal_checkpoint(TRUNCATE)",
                 f"<= {BYTES_PER_ITEM:,} B", verdict(bpi <= BYTES_PER_ITEM)))
    for group, label, r in report["queries"]:
        limit = GRID_P50_MS if group == "grid" else SEARCH_P50_MS
        rows.append((label, f"p50 {r['p50']:.2f} ms",
                     f"p95 {r['p95']:.2f} ms; {r['runs']} runs; {r['rows']}",
                     f"p50 <= {limit:g} ms", verdict(r["p50"] <= limit)))
    im = report.get("images")
    if im:
        rows.append(("Decode only (`Image.open` + `load`), 1 process", f"{im['decode_rate']:.1f} img/s",
                     ", ".join(f"{f} {v['decode_rate']:.1f}/s" for f, v in im["per_format"].items()),
                     "—", "info"))
        rows.append(("Thumbnails (`make_thumbnail`, 256 px), 1 process", f"{im['thumb1_rate']:.1f} img/s",
                     ", ".join(f"{f} {v['thumb_rate']:.1f}/s" for f, v in im["per_format"].items()),
                     "—", "info"))
        ratio = im["thumb1_rate"] / im["decode_rate"]
        rows.append(("Thumbnail rate / decode-only rate", f"{ratio:.2f}x",
                     ", ".join(f"{f} {v['thumb_rate'] / v['decode_rate']:.2f}x"
                               for f, v in im["per_format"].items()),
                     f">= {THUMB_VS_DECODE}x", verdict(ratio >= THUMB_VS_DECODE)))
        speedup = im["thumb2_rate"] / im["thumb1_rate"]
        rows.append(("Thumbnails, 2 processes", f"{im['thumb2_rate']:.1f} img/s",
                     f"{speedup:.2f}x the 1-process rate", f">= {TWO_PROCESS_SPEEDUP}x faster",
                     verdict(speedup >= TWO_PROCESS_SPEEDUP)))
    return rows


def markdown_table(rows) -> str:
    out = ["| Measure | Result | Detail | Target | Status |", "|---|---|---|---|---|"]
    out += [f"| {' | '.join(r)} |" for r in rows]
    return "\n".join(out)


def render_section(report: dict, rows, args) -> str:
    f = report["facts"]
    im = report.get("images")
    kinds = ", ".join(f"{k} {v / report['n_items']:.0%}" for k, v in sorted(
        f["kinds"].items(), key=lambda kv: -kv[1]))
    lines = [
        START_MARK,
        "## Catalog scale and thumbnails (`benchmarks/catalog_scale.py`)",
        "",
        f"- Date: {report['date']}{' (quick run: smoke sizes, not the reference figures)' if args.quick else ''}",
        f"- Code: commit {report['code']}",
        f"- Command: `{report['command']}`; wall time {report['wall_s'] / 60:.1f} min; "
        f"peak RSS {report['peak_rss_mb']:,.0f} MB",
        f"- Machine: {report['cpus']} CPUs ({report['cpu_model']}), {report['platform']}, "
        f"Python {report['python']}, SQLite {sqlite3.sqlite_version}, Pillow {PIL.__version__}; "
        f"load average {report['load_before']} before, {report['load_after']} after",
        f"- Catalog: {report['n_sessions']:,} sessions, {report['n_items']:,} items "
        f"(one session of {f['big_session_items']:,}; the others hold 1 to {f['max_other_session']:,}); "
        f"kinds {kinds}; prompts 8–20 words from a 2,000-word Zipf vocabulary plus common words "
        f"(“portrait” in ~93% of prompts)",
        f"- Queries: library functions on the reopened library, {args.warmup} warm-up runs then "
        f"up to {args.runs} timed runs each (`time.perf_counter_ns`, 30 s budget per query)",
    ]
    if report["load_before_1min"] >= 0.5 * (report["cpus"] or 1):
        lines.append(f"- Note: the machine was already busy before the run (1-minute load "
                     f"{report['load_before_1min']:.2f} on {report['cpus']} CPUs), so latencies "
                     f"and the 2-process speed-up are measured under contention")
    if im:
        lines.append(f"- Images: {im['n']:,} (half PNG, half JPEG q90; half 1024 px, half 2048 px "
                     f"on the long side; {report['img_bytes'] / 1e6:,.0f} MB), warm page cache")
    lines += ["", markdown_table(rows), ""]
    phases = report["import_phases"]
    lines.append("Import time by statement (the writer connection's calls, timed inside the one "
                 "`bulk_insert` transaction):")
    lines.append("")
    accounted = 0.0
    for name, secs in sorted(phases.items(), key=lambda kv: -kv[1]):
        accounted += secs
        lines.append(f"- {name}: {secs:.2f} s")
    lines.append(f"- the rest (Python bookkeeping, reading the distinct session ids, "
                 f"re-creating the triggers): "
                 f"{max(0.0, report['import_s'] - accounted):.2f} s")
    if report.get("table_sizes"):
        lines += ["", "Catalog bytes by table and index (dbstat):", ""]
        lines += [f"- {name}: {size / 2**20:,.1f} MiB ({size / report['n_items']:,.0f} B/item)"
                  for name, size in report["table_sizes"] if size >= 0.005 * report["catalog_bytes"]]
    lines += ["", END_MARK]
    return "\n".join(lines) + "\n"


def write_section(out: Path, section: str) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else INTRO
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start != -1 and end > start:
        text = text[:start] + section.rstrip("\n") + text[end + len(END_MARK):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=None, help="sessions (default 100,000)")
    ap.add_argument("--items", type=int, default=None, help="items (default 1,000,000)")
    ap.add_argument("--images", type=int, default=None, help="images to thumbnail (default 1,000)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    ap.add_argument("--quick", action="store_true", help="2,000 sessions, 40,000 items, 60 images")
    ap.add_argument("--runs", type=int, default=200, help="timed runs per query")
    ap.add_argument("--warmup", type=int, default=20, help="warm-up runs per query")
    ap.add_argument("--workdir", type=Path, default=None, help="parent of the temporary folder")
    args = ap.parse_args(argv)
    quick = (2_000, 40_000, 60)
    full = (100_000, 1_000_000, 1_000)
    defaults = quick if args.quick else full
    args.sessions = args.sessions if args.sessions is not None else defaults[0]
    args.items = args.items if args.items is not None else defaults[1]
    args.images = args.images if args.images is not None else defaults[2]
    if args.sessions < 1 or args.items < 1 or args.images < 0:
        ap.error("--sessions and --items must be at least 1, --images at least 0")

    wall0 = time.perf_counter()
    report: dict = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python3 benchmarks/catalog_scale.py" + (" " + " ".join(
            sys.argv[1:] if argv is None else argv)).rstrip(),
        "cpus": os.cpu_count(), "cpu_model": cpu_model(),
        "platform": platform.platform(terse=True), "python": platform.python_version(),
        "load_before": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "load_before_1min": os.getloadavg()[0], "code": code_version(),
    }
    work = Path(tempfile.mkdtemp(prefix="catalog_scale_", dir=args.workdir))
    old_home = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(work / "home")  # cache and config stay in the temp folder
    try:
        run_catalog(args, work, report)
        if args.images:
            run_images(args, work, report)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if old_home is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = old_home
    report["wall_s"] = time.perf_counter() - wall0
    report["peak_rss_mb"] = peak_rss_mb()
    report["load_after"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    rows = build_rows(report)
    section = render_section(report, rows, args)
    print(section.replace(START_MARK + "\n", "").replace(END_MARK + "\n", ""))
    if args.out:
        write_section(args.out, section)
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
