import hashlib
from pathlib import Path

import platformdirs
import pytest

from sessionstudio.core.errors import InvalidInput
from sessionstudio.paths import Paths, ensure_dirs, resolve_paths


def test_defaults_follow_platformdirs():
    paths = resolve_paths(env={})
    assert paths.data_dir == Path(platformdirs.user_data_dir("SessionStudio", appauthor=False)) / "library"
    assert paths.cache_dir == Path(platformdirs.user_cache_dir("SessionStudio", appauthor=False))
    assert paths.config_dir == Path(platformdirs.user_config_dir("SessionStudio", appauthor=False))
    assert paths.library_dir == paths.data_dir


def test_home_env_puts_everything_under_it(tmp_path):
    paths = resolve_paths(env={"SESSIONSTUDIO_HOME": str(tmp_path)})
    assert paths == Paths(tmp_path / "library", tmp_path / "cache", tmp_path / "config")
    assert paths.catalog_path == tmp_path / "library" / "catalog.sqlite"
    assert paths.assets_dir == tmp_path / "library" / "assets"
    assert paths.tmp_dir == tmp_path / "library" / "tmp"
    assert paths.lock_path == tmp_path / "library" / "library.lock"
    assert paths.thumbs_dir == tmp_path / "cache" / "thumbs"
    assert paths.waveforms_dir == tmp_path / "cache" / "waveforms"
    assert paths.settings_path == tmp_path / "config" / "settings.json"


def test_library_override_gets_its_own_cache(tmp_path):
    env = {"SESSIONSTUDIO_HOME": str(tmp_path / "home")}
    one = resolve_paths(tmp_path / "one", env=env)
    two = resolve_paths(str(tmp_path / "two"), env=env)
    assert one.library_dir == (tmp_path / "one").resolve()
    assert one.config_dir == two.config_dir == tmp_path / "home" / "config"
    assert one.cache_dir.parent == tmp_path / "home" / "cache" / "libraries"
    assert one.cache_dir != two.cache_dir
    expected = hashlib.sha1(str((tmp_path / "one").resolve()).encode()).hexdigest()[:12]
    assert one.cache_dir.name == expected


def test_same_library_spelled_differently_shares_cache(tmp_path):
    env = {"SESSIONSTUDIO_HOME": str(tmp_path)}
    (tmp_path / "lib").mkdir()
    try:
        (tmp_path / "link").symlink_to(tmp_path / "lib")
    except OSError:
        pytest.skip("symlinks need extra privileges here")
    a = resolve_paths(tmp_path / "lib", env=env)
    b = resolve_paths(tmp_path / "x" / ".." / "link", env=env)
    assert a.cache_dir == b.cache_dir


def test_tilde_and_relative_paths_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_paths("rel", env={}).library_dir == (tmp_path / "rel").resolve()
    home = resolve_paths("~/somewhere", env={}).library_dir
    assert home.is_absolute() and "~" not in str(home)


def test_empty_library_rejected():
    with pytest.raises(InvalidInput):
        resolve_paths("  ", env={})


def test_resolve_does_not_create_and_ensure_dirs_does(tmp_path):
    paths = resolve_paths(env={"SESSIONSTUDIO_HOME": str(tmp_path / "h")})
    assert not (tmp_path / "h").exists()
    ensure_dirs(paths)
    ensure_dirs(paths)  # idempotent
    for d in (paths.library_dir, paths.assets_dir, paths.tmp_dir, paths.thumbs_dir,
              paths.waveforms_dir, paths.config_dir):
        assert d.is_dir()
