"""`sessionstudio agent SESSION "instruction"` and `sessionstudio agent history SESSION`."""

import json

import pytest

from sessionstudio.__main__ import main
from tests.mediafactory import make_mp4, make_png


@pytest.fixture
def cli(tmp_path, capsys):
    lib_dir = tmp_path / "lib"

    def run(*args, expect=0):
        code = main(["--library", str(lib_dir), *args])
        out = capsys.readouterr()
        assert code == expect, out.err
        return out
    return run


def test_agent_acts_remembers_and_lists_its_conversations(cli, tmp_path):
    cli("sessions", "new", "Trip")
    cli("items", "add", "Trip", str(make_png(tmp_path / "dunes.png")), str(make_mp4(tmp_path / "a.mp4")))
    out = cli("agent", "Trip", "rename", "the", "last", "image", "to", "Desert").out
    assert "Renamed #1 “dunes” to “Desert”." in out and "Built-in assistant" in out
    assert "Desert" in cli("items", "ls", "Trip").out
    out = cli("agent", "Trip", "undo that").out                 # same conversation: remembers
    assert "renamed “Desert” back to “dunes”" in out
    cli("agent", "Trip", "favorite the clip", "--new")
    listed = cli("agent", "history", "Trip").out.splitlines()
    assert [line.split("  ")[-1] for line in listed] == [
        "favorite the clip", "rename the last image to Desert"]
    conv = listed[1].split()[0]
    shown = cli("agent", "history", "Trip", "--conversation", conv).out
    assert "you: undo that" in shown and "agent: Undone:" in shown
    data = json.loads(cli("--json", "agent", "history", "Trip", "--limit", "1").out)
    assert data["has_more"] and len(data["conversations"]) == 1
    clip = next(i for i in json.loads(cli("--json", "items", "ls", "Trip").out) if i["kind"] == "video")
    reply = json.loads(cli("--json", "agent", "Trip", "rename it to Waves", "--item", clip["id"]).out)
    assert reply["text"] == "Renamed #2 “a” to “Waves”." and reply["focus"] == clip["id"]


def test_agent_wait_runs_the_job(cli, tmp_path):
    cli("sessions", "new", "Gen")
    out = cli("agent", "Gen", "generate a draft image of a red kite", "--wait").out
    assert "Generating an image of “a red kite”" in out and "done: Generate Image" in out
    assert "item " in out


def test_agent_needs_an_instruction(cli):
    cli("sessions", "new", "Empty")
    assert "Say what to do" in cli("agent", "Empty", expect=2).err
