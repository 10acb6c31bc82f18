"""generate, use, jobs and engines through main(), with jobs in real worker processes."""

import json

from sessionstudio.__main__ import main


def run(capsys, lib_dir, *args, expect=0):
    code = main(["--library", str(lib_dir), *args])
    out = capsys.readouterr()
    assert code == expect, out.err + out.out
    return out


def js(capsys, lib_dir, *args, expect=0):
    return json.loads(run(capsys, lib_dir, "--json", *args, expect=expect).out)


def test_generate_use_and_jobs(capsys, tmp_path):
    lib = tmp_path / "lib"
    job = js(capsys, lib, "generate", "image", "a", "green", "forest", "-p", "resolution=512",
             "-p", "aspect=3:2", "--seed", "3")
    assert job["state"] == "done" and len(job["outputs"]) == 1
    item = js(capsys, lib, "items", "show", job["outputs"][0])
    assert (item["width"], item["seed"]) == (512, 3)
    assert abs(item["height"] - 512 * 2 / 3) <= 8          # 3:2, rounded to a multiple of 8
    sessions = js(capsys, lib, "sessions", "ls")
    assert sessions[0]["name"].lower().startswith("a green forest")   # named by its prompt
    edited = js(capsys, lib, "use", item["id"][:13], "edit", "sepia")
    assert edited["state"] == "done"
    bad = run(capsys, lib, "use", item["id"], "edit", "dance", expect=1)
    assert "failed" in bad.out and "brighter" in bad.out
    failed_id = js(capsys, lib, "jobs", "ls")[0]["id"]
    queued = js(capsys, lib, "jobs", "retry", failed_id[-8:], "--no-wait")
    assert queued["job"] == failed_id
    run(capsys, lib, "jobs", "cancel", failed_id[-8:])
    states = [j["state"] for j in js(capsys, lib, "jobs", "ls")]
    assert states == ["cancelled", "done", "done"]
    assert "cancelled" in run(capsys, lib, "jobs", "ls").out


def test_bad_parameters_are_one_clear_line(capsys, tmp_path):
    lib = tmp_path / "lib"
    err = run(capsys, lib, "generate", "image", "x", "-p", "aspect=7:5", expect=2).err
    assert err.count("\n") == 1 and "aspect" in err and "16:9" in err
    err = run(capsys, lib, "generate", "music", "-p", "genre", expect=2).err
    assert "name=value" in err
    err = run(capsys, lib, "use", "nothing", "upscale", expect=2).err
    assert "nothing" in err


def test_engines_lists_actions_and_parameters(capsys, tmp_path):
    data = js(capsys, tmp_path / "lib", "engines")
    actions = {(a["kind"], a["action"]) for a in data["actions"]}
    assert ("video", "extend") in actions and ("voiceover", "generate") in actions
    voice = next(a for a in data["actions"] if a["kind"] == "voiceover" and a["action"] == "generate")
    assert {p["name"] for p in voice["params"]} >= {"voice", "language", "accent", "emotion",
                                                    "speed", "effect"}
    text = run(capsys, tmp_path / "lib", "engines").out
    assert "Extend Video" in text and "accent=" in text


def test_a_cli_job_runs_alone_and_typos_make_no_session(capsys, tmp_path):
    lib = tmp_path / "lib"
    run(capsys, lib, "generate", "image", "x", "-p", "aspect=5:7", expect=2)
    assert js(capsys, lib, "sessions", "ls") == []
    waiting = js(capsys, lib, "generate", "voiceover", "later", "--no-wait")["job"]
    done = js(capsys, lib, "generate", "voiceover", "now")
    assert done["state"] == "done"
    states = {j["id"]: j["state"] for j in js(capsys, lib, "jobs", "ls")}
    assert states[waiting] == "queued"          # not run, not marked interrupted
