"""The one place that builds things: paths, library, thumbnailer, engines, job runner,
window; connects them.
Only this module imports `ui`."""

import argparse
import os
import sys

from .core.errors import StudioError


def display_problem(env=os.environ, platform: str = sys.platform) -> str | None:
    """Why no window can open here, or None. Only X11/Wayland desktops can lack a display."""
    if platform.startswith(("win", "darwin")):
        return None
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("No display found, so the Session Studio window cannot open; "
            "use the headless commands instead (sessionstudio --help).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sessionstudio")
    parser.add_argument("--library")
    parser.add_argument("--allow-unsafe-location", action="store_true")
    args, _unknown = parser.parse_known_args(argv or [])
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from .library import Library
    from .library.thumbnails import Thumbnailer
    from .paths import resolve_paths
    try:
        paths = resolve_paths(args.library)
        lib = Library(paths, allow_unsafe_location=args.allow_unsafe_location)
    except StudioError as exc:
        print(f"sessionstudio: error: {exc}", file=sys.stderr)
        return 2
    lib.thumbnailer = Thumbnailer(lib.store, paths.thumbs_dir, paths.waveforms_dir)
    from .engines.registry import load_registry
    from .jobs.runner import JobRunner
    registry = load_registry()
    runner = JobRunner(lib, registry)
    runner.start()          # also marks jobs cut off by a crash as interrupted
    from .library.watch_service import WatchService
    watcher = WatchService(lib)  # watch folders: rescans at start, then imports as files land
    watcher.start()
    from .sync import start_sync_worker
    sync_worker = start_sync_worker(lib)   # None unless `sessionstudio sync setup` was run
    from .ui.main_window import run_window
    try:
        return run_window(lib, registry=registry, runner=runner, watcher=watcher,
                          sync=sync_worker)
    finally:
        if sync_worker is not None:
            sync_worker.stop()
        watcher.stop()
        runner.stop()
        lib.thumbnailer.close()
        lib.close()
