"""PyInstaller entry point (a script cannot use the package's relative imports)."""
import sys

from sessionstudio.__main__ import main

sys.exit(main())
