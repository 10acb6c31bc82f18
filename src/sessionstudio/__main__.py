"""`sessionstudio` and `python -m sessionstudio`: the window with no command, else the CLI."""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not _has_command(argv) and not {"-h", "--help", "--version"} & set(argv):
        from .app import main as app_main
        return app_main(argv)
    from .cli import main as cli_main
    return cli_main(argv)


def _has_command(argv: list[str]) -> bool:
    """True when a subcommand follows the global options (`--library DIR` takes a value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--library":
            skip = True
        elif not arg.startswith("-"):
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
