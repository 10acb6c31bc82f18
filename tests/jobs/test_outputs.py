"""A job's outputs land together: an engine that makes several files (a batch of four
images, say) gets all its items and its "done" in one transaction, or none of them."""

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import MediaError
from sessionstudio.jobs.execute import import_outputs
from sessionstudio.jobs.queue import claim_next_job, get_job, submit_job
from tests.mediafactory import make_png


@pytest.fixture
def running_job(lib, session_id):
    submit_job(lib, session_id=session_id, engine="builtin", kind="image", action="generate",
               title="Generate image", prompt="four foxes", seed=3)
    return claim_next_job(lib)


def test_all_outputs_and_done_are_one_step(lib, session_id, running_job, tmp_path):
    outs = [{"path": str(make_png(tmp_path / f"{n}.png", 40 + n, 30)), "kind": "image"}
            for n in range(4)]
    before = lib.query("SELECT count(*) FROM ops")[0][0]
    ids = import_outputs(lib, running_job, outs)
    job = get_job(lib, running_job.id)
    assert job.state == "done" and job.outputs == ids and len(set(ids)) == 4
    assert [L.get_item(lib, i).width for i in ids] == [40, 41, 42, 43]
    assert lib.query("SELECT count(*) FROM ops")[0][0] == before + 1
    lib.undo()                                   # one undo takes the whole batch back
    assert L.list_items(lib, session_id=session_id) == []


def test_a_bad_output_adds_nothing_and_leaves_the_job_to_fail(lib, session_id, running_job,
                                                             tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    outs = [{"path": str(make_png(tmp_path / "good.png")), "kind": "image"},
            {"path": str(broken), "kind": "image"}]
    with pytest.raises(MediaError):
        import_outputs(lib, running_job, outs)
    assert L.list_items(lib, session_id=session_id) == []   # before: the first one stayed
    assert get_job(lib, running_job.id).state == "running"  # the runner marks it failed
