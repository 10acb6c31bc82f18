"""The README documents every CLI command, and CI runs the README's test command."""

import re
from pathlib import Path

from sessionstudio.cli.parser import all_commands

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented():
    commands = all_commands()
    assert "sessions ls" in commands and "undo" in commands
    missing = [c for c in commands if f"`sessionstudio {c}" not in README]
    assert missing == []


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```\n(.*?)\n```", README, flags=re.S)
    test_cmd = next(b for b in blocks if "pytest" in b).strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()
