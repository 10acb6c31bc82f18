"""Headless commands on the library API (`sessionstudio sessions ls --json`, …)."""

from .main import main

__all__ = ["main"]
