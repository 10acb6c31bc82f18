"""Dealing with what sync reports: taking a losing value back, setting up through the
shared setup function, and assets arriving as a change the views refresh from."""

import time

import pytest

from sessionstudio import library as L
from sessionstudio.core.errors import InvalidInput
from sessionstudio.settings import Settings
from sessionstudio.sync import list_conflicts
from sessionstudio.sync.conflicts import can_use, field_label, use_conflict_value, value_text
from sessionstudio.sync.setup import set_up_sync
from tests.sync.conftest import sync_all, uploaded_item
from tests.sync.test_merge import _pair


def _renamed_on_both(device):
    a, b, sid, iid = _pair(device)
    L.rename_item(a.lib, item_id=iid, name="from a")
    time.sleep(0.005)
    L.rename_item(b.lib, item_id=iid, name="from b")   # later: wins
    sync_all(a, b)
    return a, b, iid


def test_using_the_losing_value_is_an_undoable_edit_that_wins_everywhere(device):
    a, b, iid = _renamed_on_both(device)
    [c] = [c for c in list_conflicts(b.lib) if c.field == "name"]
    assert can_use(c) and field_label(c) == "Name" and value_text(c) == "from a"
    changes = use_conflict_value(b.lib, c.id)
    assert iid in changes.items and "from a" in L.get_item(b.lib, iid).name
    assert list_conflicts(b.lib) == []                 # dealt with
    sync_all(a, b)
    assert L.get_item(a.lib, iid).name == L.get_item(b.lib, iid).name == "from a"
    b.lib.undo()
    assert L.get_item(b.lib, iid).name == "from b"     # an ordinary edit: undoable


def test_favorite_and_trash_read_as_words(device):
    a, b, sid, iid = _pair(device)
    L.set_favorite(a.lib, item_ids=[iid])
    time.sleep(0.005)
    L.set_favorite(b.lib, item_ids=[iid], favorite=False)
    L.set_favorite(b.lib, item_ids=[iid])
    time.sleep(0.005)
    L.set_favorite(b.lib, item_ids=[iid], favorite=False)
    sync_all(a, b)
    lost = [c for c in list_conflicts(b.lib) if c.field == "favorite"]
    assert lost and value_text(lost[0]) == "Favorite"


def test_machine_fields_cannot_be_taken_by_hand(device):
    a, b, iid = _renamed_on_both(device)
    [c] = [c for c in list_conflicts(b.lib) if c.field == "name"]
    b.lib.write("test", lambda tx: tx.conn.execute(
        "UPDATE sync_conflicts SET field = 'asset_hash' WHERE id = ?", [c.id]), undoable=False)
    [c] = list_conflicts(b.lib)
    assert not can_use(c)
    with pytest.raises(InvalidInput, match="set by the app"):
        use_conflict_value(b.lib, c.id)


def test_setup_checks_before_saving(make_lib, tmp_path):
    lib = make_lib("a")
    settings = Settings(lib.paths.settings_path)
    with pytest.raises(InvalidInput, match="either a folder or a WebDAV URL"):
        set_up_sync(lib, settings)
    with pytest.raises(InvalidInput, match="not an http"):
        set_up_sync(lib, settings, webdav="ftp://nas/studio")
    assert settings.get("sync_target") == ""          # nothing saved
    res = set_up_sync(lib, settings, folder=str(tmp_path / "shared"))
    assert res.target == str(tmp_path / "shared") and res.device and res.group
    assert (tmp_path / "shared" / "FORMAT").exists()
    assert Settings(lib.paths.settings_path).get("sync_target") == "folder"


def test_arriving_assets_touch_their_items(device, shared):
    a, b = device("a"), device("b")
    sid, iid, h, blob = uploaded_item(a, shared)
    whole = blob.read_bytes()
    blob.unlink()
    b.sync()
    assert not b.lib.store.has(h)
    seen = []
    b.lib.changed.connect(seen.append)
    blob.write_bytes(whole)
    b.sync()
    assert b.lib.store.has(h)
    assert any(iid in ch.items and sid in ch.session_contents for ch in seen)
