import json
import os

import pytest

from sessionstudio.core.errors import InvalidInput
from sessionstudio.settings import OPTIONS, Option, Settings, effective_concurrency, option


def test_declared_options_and_defaults(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    expected = {
        "thumbnail_size": 256,
        "jobs_concurrency": 0,
        "trash_retention_days": 30,
        "theme": "system",
        "agent_llm_base_url": "",
        "agent_llm_model": "",
        "agent_llm_api_key": "",
        "last_session_id": "",
        "allow_unsafe_location": False,
        "sync_target": "", "sync_folder": "", "sync_url": "", "sync_user": "",
        "sync_password": "", "sync_paused": False,
    }
    assert settings.as_dict() == expected
    assert all(isinstance(o, Option) and o.title and o.help for o in OPTIONS.values())
    assert not (tmp_path / "settings.json").exists()  # reading never writes


def test_set_persists_as_json(tmp_path):
    path = tmp_path / "config" / "settings.json"
    Settings(path).set("thumbnail_size", 320)
    Settings(path).set("theme", "dark")
    assert json.loads(path.read_text()) == {"thumbnail_size": 320, "theme": "dark"}
    assert Settings(path).get("thumbnail_size") == 320
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp left


def test_unknown_key_is_named(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(KeyError, match="thumbnail_sise"):
        settings.get("thumbnail_sise")
    with pytest.raises(KeyError, match="nope"):
        settings.set("nope", 1)


@pytest.mark.parametrize(
    "key, value",
    [
        ("thumbnail_size", "256"),
        ("thumbnail_size", True),  # bool is an int subclass, but not a size
        ("thumbnail_size", 2.5),
        ("allow_unsafe_location", 1),
        ("theme", None),
        ("theme", "purple"),
        ("jobs_concurrency", -1),
    ],
)
def test_wrong_values_rejected(tmp_path, key, value):
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(InvalidInput, match=key):
        settings.set(key, value)
    assert not (tmp_path / "settings.json").exists()


def test_corrupt_file_moved_aside_and_defaults_used(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"thumbnail_size": 300,')  # truncated mid-write
    settings = Settings(path)
    assert settings.get("thumbnail_size") == 256
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_text() == '{"thumbnail_size": 300,'
    settings.set("theme", "light")
    assert json.loads(path.read_text()) == {"theme": "light"}


@pytest.mark.parametrize("content", [b"[1, 2]", b"\xff\xfe\x00garbage", b""])
def test_other_bad_contents_moved_aside(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert Settings(path).get("theme") == "system"
    assert not path.exists()
    assert len(list(tmp_path.glob("settings.json.corrupt-*"))) == 1


def test_hand_edited_bad_value_falls_back_and_unknown_keys_kept(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"thumbnail_size": "big", "from_newer_version": [1]}))
    settings = Settings(path)
    assert settings.get("thumbnail_size") == 256
    settings.set("trash_retention_days", 7)
    assert json.loads(path.read_text())["from_newer_version"] == [1]


def test_set_keeps_changes_made_by_another_instance(tmp_path):
    path = tmp_path / "settings.json"
    a, b = Settings(path), Settings(path)
    a.set("theme", "dark")
    b.set("thumbnail_size", 128)
    assert Settings(path).as_dict()["theme"] == "dark"


def test_reset_restores_default(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.set("trash_retention_days", 3)
    settings.reset("trash_retention_days")
    assert settings.get("trash_retention_days") == 30


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_settings_file_private(tmp_path):
    path = tmp_path / "settings.json"
    Settings(path).set("agent_llm_api_key", "sk-secret")
    assert path.stat().st_mode & 0o077 == 0


def test_duplicate_declaration_refused():
    with pytest.raises(ValueError, match="twice"):
        option("theme", "system", "Theme", "again")


def test_effective_concurrency():
    assert effective_concurrency(0, cpu_count=8) == 7
    assert effective_concurrency(0, cpu_count=1) == 1
    assert effective_concurrency(3, cpu_count=8) == 3
    assert effective_concurrency(0) >= 1
