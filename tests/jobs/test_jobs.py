"""Jobs on a real library with the built-in engine in real worker processes: recipes and
lineage of results, parameter checks, failure messages, Retry, Cancel within a second,
and a job cut off by a crash."""

import os
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image, ImageStat

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput, NotFound, StudioError
from sessionstudio.engines.actions import USE_ACTIONS
from sessionstudio.jobs.plan import queue_generate, queue_use
from sessionstudio.jobs.queue import cancel_job, get_job, list_jobs, retry_job
from sessionstudio.jobs.runner import JobRunner


def test_every_use_action_has_an_engine(reg):
    providers = reg.providers()
    for kind, actions in USE_ACTIONS.items():
        for action in actions:
            if action.id not in ("agent", "recreate", "remix"):
                assert (kind, action.id) in providers, (kind, action.id)
    for kind in ("image", "video", "music", "voiceover"):
        assert (kind, "generate") in providers


def test_generated_image_has_its_full_recipe(lib, session_id, reg, run):
    job = run(queue_generate(lib, reg, session_id=session_id, kind="image",
                             prompt="a red sunset over the sea", seed=7,
                             params={"aspect": "16:9", "resolution": "512"}))
    assert job.state == "done", job.error
    item = L.get_item(lib, job.outputs[0])
    assert (item.kind, item.engine, item.action, item.seed) == ("image", "builtin", "generate", 7)
    assert item.prompt == "a red sunset over the sea"
    assert item.settings["aspect"] == "16:9" and item.settings["resolution"] == "512"
    assert (item.width, item.height) == (512, 288)
    with Image.open(lib.store.path(item.asset_hash)) as im:
        r, g, b = ImageStat.Stat(im.convert("RGB")).mean
    assert r > b                       # it follows the prompt: a red sunset


def test_recreate_keeps_the_recipe_with_a_new_seed(lib, session_id, reg, run):
    first = run(queue_generate(lib, reg, session_id=session_id, kind="image",
                               prompt="a cat in a garden", params={"resolution": "512"}, seed=1))
    original = L.get_item(lib, first.outputs[0])
    again = run(queue_use(lib, reg, item_id=original.id, action="recreate", seed=2))
    assert again.state == "done", again.error
    copy = L.get_item(lib, again.outputs[0])
    assert (copy.prompt, copy.action, copy.seed) == (original.prompt, "generate", 2)
    assert {k: copy.settings[k] for k in ("aspect", "resolution", "style")} == \
        {k: original.settings[k] for k in ("aspect", "resolution", "style")}
    assert copy.asset_hash != original.asset_hash


def test_edit_records_lineage_and_survives_the_parent_being_deleted(lib, session_id, reg, run):
    made = run(queue_generate(lib, reg, session_id=session_id, kind="image", prompt="a blue boat",
                              params={"resolution": "512"}))
    parent = L.get_item(lib, made.outputs[0])
    edited = run(queue_use(lib, reg, item_id=parent.id, action="edit",
                           prompt="black and white and crop to square"))
    assert edited.state == "done", edited.error
    child = L.get_item(lib, edited.outputs[0])
    assert child.parent_id == parent.id and child.action == "edit"
    assert [(i.role, i.source_item_id) for i in child.inputs] == [("source", parent.id)]
    assert child.width == child.height
    assert [c.id for c in L.children_of(lib, parent.id)] == [child.id]
    L.purge_items(lib, item_ids=[parent.id])
    again = run(queue_use(lib, reg, item_id=child.id, action="recreate"))
    assert again.state == "done", again.error       # the parent's file is found by its hash


def test_parameters_are_checked_before_anything_is_queued(lib, session_id, reg):
    with pytest.raises(InvalidInput, match="aspect.*one of"):
        queue_generate(lib, reg, session_id=session_id, kind="image", prompt="x",
                       params={"aspect": "5:7"})
    with pytest.raises(InvalidInput, match="no parameter colour"):
        queue_generate(lib, reg, session_id=session_id, kind="image", prompt="x",
                       params={"colour": "red"})
    with pytest.raises(InvalidInput, match="needs"):
        queue_generate(lib, reg, session_id=session_id, kind="voiceover", prompt="  ")
    with pytest.raises(InvalidInput, match="between"):
        queue_generate(lib, reg, session_id=session_id, kind="music",
                       params={"length": "9999"})
    assert list_jobs(lib) == []


def test_an_instruction_it_does_not_understand_fails_clearly_and_retry_requeues(
        lib, session_id, reg, run, runner):
    made = run(queue_generate(lib, reg, session_id=session_id, kind="image", prompt="a tree",
                              params={"resolution": "512"}))
    failed = run(queue_use(lib, reg, item_id=made.outputs[0], action="edit",
                           prompt="make it sing opera"))
    assert failed.state == "failed"
    assert "sing opera" in failed.error or "understand" in failed.error.lower()
    assert "brighter" in failed.error                  # it lists what it does understand
    assert len(L.list_items(lib, session_id=session_id)) == 1
    retry_job(lib, failed.id)
    assert get_job(lib, failed.id).state == "queued"
    again = run(type("C", (), {"created": [failed.id]}))
    assert again.state == "failed" and again.attempts == 2
    with pytest.raises(InvalidInput, match="Only a failed"):
        retry_job(lib, made.id)


def test_cancel_stops_a_running_job_within_a_second(lib, session_id, reg, runner):
    changes = queue_generate(lib, reg, session_id=session_id, kind="video", prompt="a long drive",
                             params={"duration": 60, "fps": 30})
    job_id = changes.created[0]
    runner.wake()
    deadline = time.monotonic() + 30
    while get_job(lib, job_id).progress < 0.01 and time.monotonic() < deadline:
        time.sleep(0.05)
    job = get_job(lib, job_id)
    assert job.state == "running" and job.progress > 0
    started = time.monotonic()
    runner.cancel(job_id)
    while get_job(lib, job_id).state == "running":
        time.sleep(0.02)
    took = time.monotonic() - started
    job = get_job(lib, job_id)
    assert job.state == "cancelled" and took < 1.5, took
    assert L.list_items(lib, session_id=session_id) == []
    runner.wait_idle(5)
    assert not list((lib.paths.tmp_dir / "jobs").glob(f"{job_id}*"))
    retry_job(lib, job_id)
    cancel_job(lib, job_id)                         # a queued job cancels at once
    assert get_job(lib, job_id).state == "cancelled"


def test_a_job_cut_off_by_a_crash_is_interrupted_and_can_be_retried(tmp_path, reg):
    library = tmp_path / "crash"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "sessionstudio", "--library", str(library),
                             "generate", "video", "a", "slow", "pan", "--param", "duration=60"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        job = None
        while time.monotonic() < deadline:
            if (library / "catalog.sqlite").exists():
                try:
                    ro = L.Library.open(library, readonly=True)
                except StudioError:                  # the CLI is still creating the catalog
                    time.sleep(0.2)
                    continue
                try:
                    jobs = list_jobs(ro)
                    job = jobs[0] if jobs and jobs[0].progress > 0.005 else None
                finally:
                    ro.close()
                if job:
                    break
            time.sleep(0.2)
        assert job is not None and job.state == "running"
    finally:
        os.kill(proc.pid, signal.SIGKILL)             # the CLI, not its worker
        proc.wait()
    # The orphaned worker notices and exits by itself.
    pid_files = list((library / "tmp" / "jobs").glob(f"{job.id}-*/worker.pid"))
    assert len(pid_files) == 1
    worker = int(pid_files[0].read_text())
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)
    lib = L.Library.open(library)
    try:
        runner = JobRunner(lib, reg, concurrency=1)
        runner.start()                                   # marks what was running
        try:
            job = get_job(lib, job.id)
            assert job.state == "interrupted" and "Retry" in job.message
            assert L.list_items(lib, session_id=job.session_id) == []
            assert not (library / "tmp" / "jobs").exists() or \
                not any((library / "tmp" / "jobs").iterdir())    # its scratch is cleaned
            retry_job(lib, job.id)
            assert get_job(lib, job.id).state in ("queued", "running")
            runner.cancel(job.id)
            runner.wait_idle(10)
            assert get_job(lib, job.id).state == "cancelled"
        finally:
            runner.stop()
    finally:
        lib.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_unknown_items_and_engines_are_named(lib, reg, session_id):
    with pytest.raises(NotFound):
        queue_use(lib, reg, item_id="nope", action="upscale")
    with pytest.raises(NotFound, match="No engine named 'comfy'"):
        queue_generate(lib, reg, session_id=session_id, kind="image", prompt="x", engine="comfy")


def test_a_session_with_jobs_can_be_purged_and_the_trash_emptied(lib, session_id, reg, run):
    made = run(queue_generate(lib, reg, session_id=session_id, kind="image", prompt="a fox",
                              params={"resolution": "512"}))
    assert made.state == "done"
    queue_generate(lib, reg, session_id=session_id, kind="image", prompt="queued, never run")
    L.trash_sessions(lib, session_ids=[session_id])
    L.empty_trash(lib)
    assert list_jobs(lib) == [] and L.count_sessions(lib) == 0


def test_a_finished_job_is_never_turned_into_a_failure(lib, session_id, reg, run):
    from sessionstudio.jobs.queue import end_job
    done = run(queue_generate(lib, reg, session_id=session_id, kind="voiceover", prompt="Hi."))
    end_job(lib, done.id, "failed", error="late error")
    again = get_job(lib, done.id)
    assert (again.state, again.outputs) == ("done", done.outputs)


def test_music_needs_no_description_and_a_use_job_outlives_its_source(lib, session_id, reg, run):
    track = run(queue_generate(lib, reg, session_id=session_id, kind="music",
                               params={"length": 5}))
    assert track.state == "done", track.error
    picture = run(queue_generate(lib, reg, session_id=session_id, kind="image", prompt="a kite",
                                 params={"resolution": "512"}))
    queued = queue_use(lib, reg, item_id=picture.outputs[0], action="upscale")
    L.purge_items(lib, item_ids=picture.outputs)          # deleted before the job runs
    job = run(queued)
    assert job.state == "done", job.error
    assert L.get_item(lib, job.outputs[0]).parent_id == picture.outputs[0]
