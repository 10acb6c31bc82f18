"""`sessionstudio watch add|ls|rm|scan`, run in-process through main()."""

import json

import pytest

from sessionstudio.__main__ import main
from sessionstudio.media.png_text import add_png_text
from tests.mediafactory import make_png, make_wav


@pytest.fixture
def cli(tmp_path, capsys):
    lib_dir = tmp_path / "lib"

    def run(*args, expect=0):
        code = main(["--library", str(lib_dir), *args])
        out = capsys.readouterr()
        assert code == expect, out.err
        return out

    def js(*args, expect=0):
        return json.loads(run("--json", *args, expect=expect).out)
    run.js, run.lib_dir = js, lib_dir
    return run


def test_watch_commands(cli, tmp_path):
    inbox = tmp_path / "renders"
    (inbox / "night").mkdir(parents=True)
    sid = cli.js("sessions", "new", "Renders")["id"]
    folder = cli.js("watch", "add", str(inbox), "--session", "Renders")
    assert folder["path"] == str(inbox.resolve()) and folder["session_id"] == sid and folder["recursive"]

    png = make_png(tmp_path / "src.png")
    params = "neon city at night\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 99, Size: 64x48"
    (inbox / "night" / "00001.png").write_bytes(add_png_text(png.read_bytes(), {"parameters": params}))
    make_wav(inbox / "voice.wav", 0.2)
    (inbox / "note.txt").write_text("not media")
    (inbox / "render.png.part").write_bytes(b"half")

    result = cli.js("watch", "scan", "--settle", "0")
    assert len(result) == 1 and len(result[0]["imported"]) == 2 and result[0]["failed"] == []
    items = cli.js("items", "ls", sid)
    image = next(i for i in items if i["kind"] == "image")
    assert (image["prompt"], image["seed"], image["engine"]) == ("neon city at night", 99, "a1111")
    assert "imported 0, already had 2" in cli("watch", "scan", folder["id"][:12], "--settle", "0").out

    listed = cli.js("watch", "ls")
    assert [(w["id"], w["session"], w["imported"]) for w in listed] == [(folder["id"], "Renders", 2)]
    assert str(inbox.resolve()) in cli("watch", "ls").out

    err = cli("watch", "add", str(cli.lib_dir / "assets"), "--session", sid, expect=2).err
    assert "inside the library" in err
    assert "no such folder" in cli("watch", "add", str(tmp_path / "nope"), "--session", sid, expect=2).err
    assert "No watch folder matches" in cli("watch", "rm", "zzzz", expect=2).err

    cli("watch", "rm", str(inbox))  # by path
    assert cli.js("watch", "ls") == []
    assert "No watch folders" in cli("watch", "scan").out
    assert len(cli.js("items", "ls", sid)) == 2  # imported items stay


def test_watch_skip_existing_and_unreadable(cli, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    make_png(inbox / "old.png")
    cli.js("sessions", "new", "S")
    fid = cli.js("watch", "add", str(inbox), "--session", "S", "--skip-existing", "--no-recursive")["id"]
    make_png(inbox / "new.png")
    (inbox / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    out = cli("watch", "scan", fid, "--settle", "0").out
    assert "imported 1" in out and "1 unreadable" in out and "bad.png" in out
    assert "unreadable" not in cli("watch", "scan", fid, "--settle", "0").out  # reported once
