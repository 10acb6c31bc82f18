"""Every CLI command, run in-process through main() against a real library folder."""

import json
import subprocess
import sys
import zipfile

import pytest

from sessionstudio.__main__ import main
from sessionstudio.media import read_png_text
from tests.mediafactory import make_mp4, make_png, make_wav


def run(capsys, *args, expect=0):
    code = main(["--library", str(run.lib_dir), *args])
    out = capsys.readouterr()
    assert code == expect, out.err
    return out


def js(capsys, *args, expect=0):
    return json.loads(run(capsys, "--json", *args, expect=expect).out)


@pytest.fixture(autouse=True)
def library_dir(tmp_path):
    run.lib_dir = tmp_path / "lib"
    return run.lib_dir


@pytest.fixture
def files(tmp_path):
    return {"png": make_png(tmp_path / "harbor.png", 96, 64),
            "mp4": make_mp4(tmp_path / "waves.mp4", seconds=1.0),
            "wav": make_wav(tmp_path / "gulls.wav", seconds=0.5)}


def test_sessions_commands(capsys):
    s = js(capsys, "sessions", "new", "Harbor")
    assert s["name"] == "Harbor"
    assert "Harbor" in run(capsys, "sessions", "ls").out
    run(capsys, "sessions", "rename", "Harbor", "Harbour")
    assert [x["name"] for x in js(capsys, "sessions", "ls")] == ["Harbour"]
    dup = js(capsys, "sessions", "dup", s["id"], "--name", "Copy")
    assert dup["name"] == "Copy"
    run(capsys, "sessions", "rm", "Copy")
    assert [x["name"] for x in js(capsys, "sessions", "ls", "--trash")] == ["Copy"]
    run(capsys, "sessions", "restore", dup["id"])
    opened = js(capsys, "sessions", "open", s["id"][:30])
    assert opened["session"]["opened_at"] is not None
    js(capsys, "folders", "new", "Clients")
    run(capsys, "sessions", "mv", "Copy", "--folder", "Clients")
    assert [x["name"] for x in js(capsys, "sessions", "ls", "--folder", "Clients")] == ["Copy"]
    run(capsys, "sessions", "rm", "--purge", "Copy")
    assert [x["name"] for x in js(capsys, "sessions", "ls")] == ["Harbour"]


def test_items_commands(capsys, files, tmp_path):
    sid = js(capsys, "sessions", "new", "Coast")["id"]
    added = js(capsys, "items", "add", sid, str(files["png"]), "--prompt", "quiet harbor at dusk",
               "--settings", '{"model": "sdxl", "steps": 30}', "--seed", "42")
    img = added[0]
    assert img["kind"] == "image" and img["seed"] == 42 and img["settings"]["model"] == "sdxl"
    vid, mus = js(capsys, "items", "add", sid, str(files["mp4"]), str(files["wav"]))
    vo = js(capsys, "items", "add", sid, str(files["wav"]), "--kind", "voiceover", "--name", "Intro")[0]
    assert (vid["kind"], mus["kind"], vo["kind"]) == ("video", "music", "voiceover")
    assert len(js(capsys, "items", "ls", sid)) == 4
    assert [i["kind"] for i in js(capsys, "items", "ls", sid, "--kind", "music,voiceover")] == ["voiceover", "music"]
    assert "quiet harbor at dusk" in run(capsys, "items", "show", img["id"]).out
    run(capsys, "items", "rename", img["id"], "Dusk")
    run(capsys, "items", "fav", img["id"])
    assert [i["id"] for i in js(capsys, "items", "ls", sid, "--favorites")] == [img["id"]]
    run(capsys, "items", "fav", "--off", img["id"])
    other = js(capsys, "sessions", "new", "Other")["id"]
    run(capsys, "items", "mv", vid["id"], "--to", "Other")
    run(capsys, "items", "cp", img["id"], "--to", other)
    assert len(js(capsys, "items", "ls", other)) == 2
    run(capsys, "items", "rm", mus["id"])
    assert [i["id"] for i in js(capsys, "items", "ls", sid, "--trash")] == [mus["id"]]
    run(capsys, "items", "restore", mus["id"])
    run(capsys, "items", "rm", "--purge", vo["id"])
    assert len(js(capsys, "items", "ls", sid)) == 2
    out_dir = tmp_path / "downloads"
    paths = js(capsys, "items", "export", img["id"], "--to", str(out_dir))
    assert paths[0].endswith("Dusk.png")
    text = read_png_text(open(paths[0], "rb").read())
    assert "quiet harbor at dusk" in text["parameters"] and "Seed: 42" in text["parameters"]
    assert json.loads(text["sessionstudio"])["settings"]["model"] == "sdxl"


def test_search_undo_redo_verify(capsys, files):
    sid = js(capsys, "sessions", "new", "Night")["id"]
    item = js(capsys, "items", "add", sid, str(files["png"]), "--prompt", "lantern festival")[0]
    res = js(capsys, "search", "lantern")
    assert [i["id"] for i in res["items"]] == [item["id"]]
    assert "Nothing matches" in run(capsys, "search", "zebra").out
    run(capsys, "items", "rm", item["id"])
    assert "Undid: Move item to trash" in run(capsys, "undo").out
    assert len(js(capsys, "items", "ls", sid)) == 1
    assert "Redid" in run(capsys, "redo").out
    assert js(capsys, "items", "ls", sid) == []
    report = js(capsys, "verify")
    assert report["checked"] == 1 and report["damaged"] == {}
    # Damage the stored file: verify names it and exits 1.
    from sessionstudio.library import Library
    lib = Library.open(run.lib_dir, readonly=True)
    path = lib.store.path(item["asset_hash"])
    lib.close()
    path.chmod(0o644)
    path.write_bytes(b"not the original")
    report = js(capsys, "verify", expect=1)
    assert list(report["damaged"]) == [item["asset_hash"]]


def test_folders_commands(capsys):
    work = js(capsys, "folders", "new", "Work")
    js(capsys, "folders", "new", "Ads", "--parent", "Work")
    run(capsys, "folders", "rename", "Ads", "Adverts")
    tree = run(capsys, "folders", "ls").out
    assert "Work" in tree and "  Adverts" in tree
    run(capsys, "folders", "mv", "Adverts")
    run(capsys, "folders", "mv", "Adverts", "--parent", work["created"][0])
    run(capsys, "folders", "rm", "Work")
    assert "No folders." in run(capsys, "folders", "ls").out
    run(capsys, "folders", "restore", "Work")
    assert "Adverts" in run(capsys, "folders", "ls").out
    run(capsys, "folders", "rm", "--purge", "Work")
    assert js(capsys, "folders", "ls") == []


def test_bundle_export_and_import_into_another_library(capsys, files, tmp_path):
    sid = js(capsys, "sessions", "new", "Trip")["id"]
    js(capsys, "items", "add", sid, str(files["png"]), "--prompt", "pier")
    js(capsys, "items", "add", sid, str(files["wav"]))
    bundle = tmp_path / "trip.zip"
    run(capsys, "bundle", "export", sid, str(bundle))
    assert "manifest.json" in zipfile.ZipFile(bundle).namelist()
    run.lib_dir = tmp_path / "second"
    new = js(capsys, "bundle", "import", str(bundle))
    items = js(capsys, "items", "ls", new["id"])
    assert sorted(i["kind"] for i in items) == ["image", "music"]
    assert any(i["prompt"] == "pier" for i in items)


def test_bad_input_gives_one_line_and_nonzero_exit(capsys, tmp_path):
    err = run(capsys, "sessions", "rename", "nope", "x", expect=2).err
    assert err.startswith("sessionstudio: error: No session matches 'nope'") and err.count("\n") == 1
    sid = js(capsys, "sessions", "new", "S")["id"]
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff" + b"garbage" * 10)
    err = run(capsys, "items", "add", sid, str(bad), expect=2).err
    assert "bad.jpg" in err and err.count("\n") == 1
    err = run(capsys, "items", "add", sid, str(bad), "--settings", "{oops", expect=2).err
    assert "--settings is not valid JSON" in err
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escape.txt", "x")
    err = run(capsys, "bundle", "import", str(evil), expect=2).err
    assert "escape.txt" in err
    assert [s["name"] for s in js(capsys, "sessions", "ls")] == ["S"]
    err = run(capsys, "undo", expect=0).out  # undoes "New session"
    err = run(capsys, "undo", expect=2).err
    assert "Nothing to undo" in err


def test_cloud_folder_refused_and_second_instance_message(capsys, tmp_path):
    run.lib_dir = tmp_path / "OneDrive - Contoso" / "lib"
    err = run(capsys, "sessions", "new", "x", expect=2).err
    assert "OneDrive" in err and "--allow-unsafe-location" in err
    code = main(["--library", str(run.lib_dir), "--allow-unsafe-location", "sessions", "new", "x"])
    assert code == 0


def test_console_script_and_module_entry_points(tmp_path):
    env_lib = str(tmp_path / "lib")
    out = subprocess.run([sys.executable, "-m", "sessionstudio", "--library", env_lib, "--json",
                          "sessions", "new", "From module"], capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["name"] == "From module"
    out = subprocess.run(["sessionstudio", "--library", env_lib, "sessions", "ls"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "From module" in out.stdout


def test_no_display_says_so_in_one_line(tmp_path):
    import os
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for extra in ([], ["--library", str(tmp_path / "lib")]):
        out = subprocess.run([sys.executable, "-m", "sessionstudio", *extra], capture_output=True,
                             text=True, env=env)
        assert out.returncode == 1, out.stdout
        assert out.stderr.count("\n") == 1 and "No display" in out.stderr and "--help" in out.stderr


def test_second_instance_gets_a_clear_message_and_readers_still_work(tmp_path):
    from sessionstudio.library import Library, create_session
    lib = Library.open(tmp_path / "lib")
    try:
        create_session(lib, name="Open in the app")
        base = [sys.executable, "-m", "sessionstudio", "--library", str(tmp_path / "lib")]
        out = subprocess.run([*base, "sessions", "new", "x"], capture_output=True, text=True)
        assert out.returncode == 2
        assert "open in another Session Studio" in out.stderr and out.stderr.count("\n") == 1
        out = subprocess.run([*base, "sessions", "ls"], capture_output=True, text=True)
        assert out.returncode == 0 and "Open in the app" in out.stdout
    finally:
        lib.close()


def test_trash_and_gc_commands(capsys, files):
    sid = js(capsys, "sessions", "new", "T")["id"]
    item = js(capsys, "items", "add", sid, str(files["png"]))[0]
    assert "The trash is empty." in run(capsys, "trash", "ls").out
    run(capsys, "items", "rm", item["id"])
    assert [i["id"] for i in js(capsys, "trash", "ls")["items"]] == [item["id"]]
    assert js(capsys, "trash", "empty", "--older-than-days", "3")["items"] == []
    assert js(capsys, "trash", "empty")["items"] == [item["id"]]
    assert js(capsys, "gc") == {"removed": 0, "bytes": 0}  # undo still needs the file
