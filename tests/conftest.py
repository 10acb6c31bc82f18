"""Shared fixtures: every test gets its own SESSIONSTUDIO_HOME and real library files."""

import os

# pytest-qt aborts without a display unless Qt is told to render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def studio_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SESSIONSTUDIO_HOME", str(home))
    return home


@pytest.fixture
def make_lib(tmp_path):
    """Open (and later close) libraries in tmp folders: make_lib("a"), make_lib("b")."""
    from sessionstudio.library import Library

    opened = []

    def make(name: str = "lib", **kwargs):
        lib = Library.open(tmp_path / name, **kwargs)
        opened.append(lib)
        return lib

    yield make
    for lib in opened:
        lib.close()


@pytest.fixture
def lib(make_lib):
    return make_lib("lib")


@pytest.fixture
def session_id(lib):
    from sessionstudio.library import create_session
    return create_session(lib, name="Test session").created[0]
