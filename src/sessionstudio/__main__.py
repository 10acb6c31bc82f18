"""`sessionstudio` and `python -m sessionstudio`: the window with no command, else the CLI."""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = [a for a in argv if not a.startswith("-")]
    if not commands and not {"-h", "--help", "--version"} & set(argv):
        from .app import main as app_main
        return app_main(argv)
    from .cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
