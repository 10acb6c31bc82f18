"""With a JobRunner, what the agent queues really runs: 'it' becomes the result, and
'undo that' moves the result to the trash (redo brings it back)."""

import pytest

from sessionstudio import library as L
from sessionstudio.agent import Agent
from sessionstudio.jobs.queue import get_job
from sessionstudio.jobs.runner import JobRunner


@pytest.fixture
def runner(lib, reg):
    r = JobRunner(lib, reg, concurrency=1)
    r.start()
    yield r
    r.stop()


def test_generate_then_follow_up_on_the_result_then_undo(studio, runner):
    s = studio
    s.agent = Agent(s.lib, s.agent.registry, runner)
    r = s.say("generate a 16:9 image of a lighthouse at dusk, draft")
    assert runner.wait_idle(90)
    made = get_job(s.lib, r.jobs[0])
    assert made.state == "done", made.error
    picture = L.get_item(s.lib, made.outputs[0])
    assert picture.width / picture.height == pytest.approx(16 / 9, rel=0.05)
    assert s.agent.focus(s.conversation) == picture.id          # 'it' is the new picture

    r = s.say("make it brighter")
    assert runner.wait_idle(90)
    edit = get_job(s.lib, r.jobs[0])
    assert edit.state == "done" and edit.source_item_id == picture.id, edit.error
    brighter = L.get_item(s.lib, edit.outputs[0])
    assert brighter.parent_id == picture.id

    r = s.say("undo that")
    assert "moved the result of “Edit Image”" in r.text
    assert L.get_item(s.lib, brighter.id).trashed_at is not None
    assert L.get_item(s.lib, picture.id).trashed_at is None     # only the last change
    s.say("redo")
    assert L.get_item(s.lib, brighter.id).trashed_at is None
