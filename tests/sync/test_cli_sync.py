"""`sessionstudio sync ...` end to end: two libraries (two devices) and one folder."""

import json

from sessionstudio.__main__ import main


def run(capsys, lib, *args, expect=0):
    code = main(["--library", str(lib), *args])
    out = capsys.readouterr()
    assert code == expect, out.err + out.out
    return out.out


def js(capsys, lib, *args, expect=0):
    return json.loads(run(capsys, lib, "--json", *args, expect=expect))


def test_setup_now_status_pause(capsys, tmp_path, monkeypatch):
    # Two devices = two users' homes (settings) and two libraries.
    shared = tmp_path / "Dropbox" / "Studio"
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("SESSIONSTUDIO_HOME", str(tmp_path / "home-a"))
    # A missing parent is a drive not mounted or a typo: refused, nothing made.
    assert main(["--library", str(a), "sync", "setup", "--folder", str(shared)]) == 2
    assert str(tmp_path / "Dropbox") in capsys.readouterr().err      # the message names it
    assert not (tmp_path / "Dropbox").exists()
    (tmp_path / "Dropbox").mkdir()
    info = js(capsys, a, "sync", "setup", "--folder", str(shared))
    assert info["target"] == str(shared) and (shared / "FORMAT").is_file()
    sid = js(capsys, a, "sessions", "new", "Made on a")["id"]
    report = js(capsys, a, "sync", "now")
    assert report["up"]["records"] >= 1
    status = js(capsys, a, "sync", "status")
    assert status["pending_up"] == 0 and status["last_sync"] and status["device"]
    assert "Last sync" in run(capsys, a, "sync", "status")

    monkeypatch.setenv("SESSIONSTUDIO_HOME", str(tmp_path / "home-b"))
    js(capsys, b, "sync", "setup", "--folder", str(shared))
    assert "Received" in run(capsys, b, "sync", "now")
    assert js(capsys, b, "sessions", "ls")[0]["id"] == sid
    run(capsys, b, "sessions", "rename", sid, "Renamed on b")
    run(capsys, b, "sync", "now")

    monkeypatch.setenv("SESSIONSTUDIO_HOME", str(tmp_path / "home-a"))
    run(capsys, a, "sync", "now")
    assert js(capsys, a, "sessions", "ls")[0]["name"] == "Renamed on b"
    assert js(capsys, a, "sync", "pause")["paused"] is True
    assert js(capsys, a, "sync", "status")["paused"] is True
    assert js(capsys, a, "sync", "resume")["paused"] is False
    assert "No conflicting edits" in run(capsys, a, "sync", "conflicts")
    assert js(capsys, a, "sync", "name", "Studio desktop")["device_name"] == "Studio desktop"
    assert js(capsys, a, "sync", "status")["device_name"] == "Studio desktop"
    run(capsys, a, "sync", "name", " ", expect=2)


def test_now_without_setup_is_a_clear_error(capsys, tmp_path):
    code = main(["--library", str(tmp_path / "lib"), "sync", "now"])
    assert code == 2
    assert "sync setup" in capsys.readouterr().err


def test_setup_refuses_a_bad_url(capsys, tmp_path):
    code = main(["--library", str(tmp_path / "lib"), "sync", "setup", "--webdav", "ftp://x"])
    assert code == 2
