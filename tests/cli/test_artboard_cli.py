"""`sessionstudio artboards ...` through main(): make a board, put items and a note on
it, export PNG and PDF, trash and restore it, and undo from the command line."""

import json

from PIL import Image

from sessionstudio.__main__ import main


def run(capsys, lib_dir, *args, expect=0):
    code = main(["--library", str(lib_dir), *args])
    out = capsys.readouterr()
    assert code == expect, out.err + out.out
    return out


def js(capsys, lib_dir, *args, expect=0):
    return json.loads(run(capsys, lib_dir, "--json", *args, expect=expect).out)


def test_artboard_commands(capsys, tmp_path):
    lib = tmp_path / "lib"
    Image.new("RGB", (200, 100), (200, 30, 30)).save(tmp_path / "red.png")
    Image.new("RGB", (100, 100), (30, 30, 200)).save(tmp_path / "blue.png")
    run(capsys, lib, "sessions", "new", "Shoot")
    run(capsys, lib, "items", "add", "Shoot", str(tmp_path / "red.png"), str(tmp_path / "blue.png"))
    red, blue = sorted(js(capsys, lib, "items", "ls", "Shoot"), key=lambda i: i["name"], reverse=True)
    board = js(capsys, lib, "artboards", "new", "Mood", red["id"])["id"]
    assert js(capsys, lib, "artboards", "add", "Mood", blue["id"][:13], "--at", "0,300")["elements"]
    run(capsys, lib, "artboards", "note", board[:13], "Warmer reds")
    shown = js(capsys, lib, "artboards", "show", "mood")
    assert [(e["kind"], e["x"], e["y"]) for e in shown["elements"]] == [
        ("item", 0, 0), ("item", 0, 300), ("note", 528, 0)]       # note: right of the content
    text = run(capsys, lib, "artboards", "show", "Mood").out
    assert "image: red" in text and "note: Warmer reds" in text

    png, pdf = tmp_path / "mood.png", tmp_path / "mood.pdf"
    run(capsys, lib, "artboards", "export", "Mood", str(png))
    run(capsys, lib, "artboards", "export", "Mood", str(pdf), "--scale", "1")
    img = Image.open(png).convert("RGB")
    assert img.getpixel((48 + 240, 48 + 120)) == (200, 30, 30)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "gif" in run(capsys, lib, "artboards", "export", "Mood", str(tmp_path / "x.gif"),
                        expect=2).err

    listed = js(capsys, lib, "artboards", "ls")
    assert [(b["name"], b["element_count"]) for b in listed] == [("Mood", 3)]
    run(capsys, lib, "artboards", "rename", "Mood", "Palette")
    run(capsys, lib, "artboards", "rm", "Palette")
    assert "No boards yet." in run(capsys, lib, "artboards", "ls").out
    assert js(capsys, lib, "artboards", "ls", "--trash")[0]["name"] == "Palette"
    run(capsys, lib, "artboards", "restore", "Palette")
    run(capsys, lib, "undo")
    assert js(capsys, lib, "artboards", "ls") == []
    assert "No board matches" in run(capsys, lib, "artboards", "show", "Nope", expect=2).err
    run(capsys, lib, "artboards", "rm", "Palette", "--purge")
    assert js(capsys, lib, "artboards", "ls", "--trash") == []
