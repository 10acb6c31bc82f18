"""Running one command: open the library (read-only when the command only reads),
dispatch, and turn any StudioError into one line on stderr with a non-zero exit."""

import sys

from .. import __version__
from ..core.errors import StudioError
from ..library import Library
from ..library.thumbnails import Thumbnailer
from ..paths import resolve_paths
from .parser import build_parser


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"sessionstudio {__version__}")
        return 0
    if not args.command:
        parser.print_help()
        return 0
    paths = resolve_paths(args.library)
    # Reading commands work beside a running app (which holds the writer lock).
    readonly = not args.writes and paths.catalog_path.exists()
    lib = Library(paths, readonly=readonly, allow_unsafe_location=args.allow_unsafe_location)
    if not readonly:
        lib.thumbnailer = Thumbnailer(lib.store, paths.thumbs_dir, paths.waveforms_dir)
    try:
        return args.func(lib, args) or 0
    finally:
        if lib.thumbnailer is not None:
            lib.thumbnailer.close()
        lib.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return run(argv)
    except StudioError as exc:
        print(f"sessionstudio: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sessionstudio: interrupted", file=sys.stderr)
        return 130
