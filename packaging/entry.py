"""PyInstaller entry point (a script cannot use the package's relative imports)."""
import multiprocessing
import sys

from sessionstudio.__main__ import main

if __name__ == "__main__":
    # Job workers are started with "spawn" in a frozen app: the child re-enters here and
    # freeze_support() turns it into the worker instead of a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
