"""Two and three devices over a real shared folder: changes travel and converge."""

from sessionstudio import library as L
from tests.sync.conftest import sync_all


def test_session_and_items_travel(device, tmp_path):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="Trip").created[0]
    L.add_item(a.lib, session_id=sid, source=_png(tmp_path), prompt="red square")
    sync_all(a, b)
    assert a.state() == b.state()
    assert L.get_session(b.lib, sid).name == "Trip"
    item = L.list_items(b.lib, session_id=sid)[0]
    assert b.lib.store.has(item.asset_hash)


def test_rename_on_one_device_reaches_the_other(device):
    a, b = device("a"), device("b")
    sid = L.create_session(a.lib, name="Old").created[0]
    sync_all(a, b)
    L.rename_session(b.lib, session_id=sid, name="New")
    sync_all(a, b)
    assert L.get_session(a.lib, sid).name == "New"
    assert a.state() == b.state()


def _png(tmp_path, color=(255, 0, 0), name="x.png"):
    from PIL import Image
    p = tmp_path / name
    Image.new("RGB", (8, 8), color).save(p)
    return p
