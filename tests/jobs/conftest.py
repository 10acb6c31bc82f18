import pytest

from sessionstudio.engines.registry import load_registry
from sessionstudio.jobs.queue import get_job
from sessionstudio.jobs.runner import JobRunner


@pytest.fixture(scope="session")
def reg():
    return load_registry()


@pytest.fixture
def runner(lib, reg):
    r = JobRunner(lib, reg, concurrency=1)
    r.start()
    yield r
    r.stop()


@pytest.fixture
def run(lib, runner):
    """Queue-and-wait: returns the finished job."""
    def go(changes, timeout: float = 90.0):
        runner.wake()
        assert runner.wait_idle(timeout), "the job did not finish in time"
        return get_job(lib, changes.created[0])
    return go
