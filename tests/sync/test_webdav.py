"""The WebDAV target against a real wsgidav server on 127.0.0.1."""

import hashlib
import uuid

import pytest

from sessionstudio import library as L
from sessionstudio.sync import TargetConflict, TargetUnavailable
from sessionstudio.sync.webdav import WebDavTarget
from tests.sync.conftest import sync_all
from tests.sync.test_merge import _item


@pytest.fixture
def dav(webdav_root):
    root, url = webdav_root
    sub = uuid.uuid4().hex[:8]           # each test its own folder on the one server
    (root / sub).mkdir()
    targets = []

    def make(device="dev", *, password="secret", path=sub):
        t = WebDavTarget(f"{url}/{path}", device, user="ann", password=password)
        targets.append(t)
        return t
    yield root / sub, make
    for t in targets:
        t.close()


def test_write_new_atomic_never_overwrites_and_verifies(dav):
    folder, make = dav
    t = make()
    data = b"hello"
    sha = hashlib.sha256(data).hexdigest()
    assert t.write_new_atomic("a/b/file", data, sha) is True
    assert (folder / "a/b/file").read_bytes() == data
    assert t.write_new_atomic("a/b/file", data, sha) is False        # identical: fine
    other = b"other"
    with pytest.raises(TargetConflict):
        t.write_new_atomic("a/b/file", other, hashlib.sha256(other).hexdigest())
    assert (folder / "a/b/file").read_bytes() == data                 # not replaced
    assert [e.path for e in t.list("a")] == ["a/b/file"]
    assert not any(p.name.endswith(".part") for p in folder.rglob("*"))
    assert t.read("a/b/file") == data
    with pytest.raises(FileNotFoundError):
        t.read("a/nope")


def test_missing_folder_and_bad_login_are_unavailable(dav):
    _folder, make = dav
    with pytest.raises(TargetUnavailable):
        make(path="no-such-folder").check_root()
    with pytest.raises(TargetUnavailable, match="401"):
        make(password="wrong").check_root()


def test_devices_converge_over_webdav_with_assets(device, dav):
    folder, make = dav
    a = device("a", target=make())
    b = device("b", target=make())
    sid = L.create_session(a.lib, name="Over DAV").created[0]
    iid = _item(a.lib, sid)
    sync_all(a, b)
    h = L.get_item(b.lib, iid).asset_hash
    assert b.lib.store.has(h)
    L.rename_item(b.lib, item_id=iid, name="renamed on b")
    sync_all(a, b)
    assert L.get_item(a.lib, iid).name == "renamed on b"
    assert a.state() == b.state()
    assert (folder / "FORMAT").is_file()


def test_read_only_webdav_keeps_the_outbox(device, dav, webdav_root):
    folder, make = dav
    a = device("a", target=make())
    sid = L.create_session(a.lib, name="S").created[0]
    a.sync()
    # The same folder through a read-only share (wsgidav answers 403 to writes).
    ro = WebDavTarget(webdav_root[1].replace("/dav", "/ro") + "/" + folder.name,
                      a.engine.device.id, user="ann", password="secret")
    good, a.engine.target = a.engine.target, ro
    L.rename_session(a.lib, session_id=sid, name="later")
    report = a.sync()
    assert any("refused" in p or "read-only" in p for p in report["problems"]), report["problems"]
    assert a.engine.counts()["pending_up"] >= 1
    a.engine.target = good
    a.sync()
    assert a.engine.counts()["pending_up"] == 0
    ro.close()
