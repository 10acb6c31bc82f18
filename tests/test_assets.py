import errno
import hashlib
import os
import stat

import pytest

from sessionstudio.core.errors import InvalidInput, NotFound, StoreError
from sessionstudio.store.assets import AssetStore, _store_error


@pytest.fixture
def store(tmp_path):
    return AssetStore(tmp_path / "assets", tmp_path / "tmp")


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_put_bytes_layout_and_read_back(store):
    digest, size = store.put_bytes(b"hello")
    assert (digest, size) == (sha(b"hello"), 5)
    assert store.path(digest) == store.root / digest[:2] / digest[2:4] / digest
    assert store.has(digest)
    with store.open(digest) as f:
        assert f.read() == b"hello"


def test_put_file_streams_large_file(store, tmp_path):
    data = os.urandom(3 * (1 << 20) + 17)  # more than one chunk, not a multiple
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    assert store.put_file(source) == (sha(data), len(data))
    assert store.path(sha(data)).read_bytes() == data


def test_identical_content_stored_once(store, tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    a.write_bytes(b"same")
    b.write_bytes(b"same")
    assert store.put_file(a) == store.put_file(b) == store.put_bytes(b"same")
    assert [p.name for p in store.root.rglob("*") if p.is_file()] == [sha(b"same")]


def test_atomic_write_leaves_no_temp(store):
    store.put_bytes(b"one")
    store.put_bytes(b"one")
    store.put_bytes(b"two")
    assert list(store.tmp_dir.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="read-only mode bits are POSIX")
def test_stored_file_is_read_only(store):
    digest, _ = store.put_bytes(b"frozen")
    mode = stat.S_IMODE(store.path(digest).stat().st_mode)
    assert mode == 0o444


def test_verify_reports_missing_and_damaged(store):
    good, _ = store.put_bytes(b"good")
    bad, _ = store.put_bytes(b"will be damaged")
    gone, _ = store.put_bytes(b"will go missing")
    store.remove(gone)
    target = store.path(bad)
    os.chmod(target, 0o644)
    target.write_bytes(b"bit rot")

    seen = []
    report = store.verify([good, bad, gone], progress=lambda done, total: seen.append((done, total)))
    assert report.missing == (gone,)
    assert report.damaged == (bad,)
    assert report.checked == 2
    assert not report.ok
    assert seen == [(1, 3), (2, 3), (3, 3)]

    everything = store.verify()
    assert everything.checked == 2 and everything.damaged == (bad,) and everything.missing == ()


def test_verify_all_ok_and_ignores_stray_files(store):
    store.put_bytes(b"x")
    (store.root / "notes.txt").write_text("not an asset")
    report = store.verify()
    assert report.ok and report.checked == 1


@pytest.mark.parametrize("value", ["abc", "A" * 64, "g" * 64, sha(b"x").upper(), "../" + "a" * 61, 5])
def test_bad_hash_rejected(store, value):
    with pytest.raises(InvalidInput, match="not a SHA-256 hash"):
        store.path(value)
    with pytest.raises(InvalidInput):
        store.has(value)


def test_put_file_from_missing_path_is_clear(store, tmp_path):
    missing = tmp_path / "nowhere" / "render.mp4"
    with pytest.raises(NotFound, match=r"Cannot import .*render\.mp4: the file does not exist"):
        store.put_file(missing)
    assert not store.tmp_dir.exists() or list(store.tmp_dir.iterdir()) == []


def test_put_file_from_folder_is_clear(store, tmp_path):
    with pytest.raises(InvalidInput, match="is a folder"):
        store.put_file(tmp_path)


def test_open_missing_asset(store):
    with pytest.raises(NotFound, match="missing"):
        store.open(sha(b"never stored"))


def test_remove(store):
    digest, _ = store.put_bytes(b"garbage")
    assert store.remove(digest) is True
    assert not store.has(digest)
    assert store.remove(digest) is False


def test_cleanup_tmp_removes_only_old_own_temp_files(store):
    store.tmp_dir.mkdir(parents=True)
    old = store.tmp_dir / "asset-crashed.partial"
    fresh = store.tmp_dir / "asset-in-progress.partial"
    foreign = store.tmp_dir / "bundle-import.zip"
    for p in (old, fresh, foreign):
        p.write_bytes(b"x")
    two_hours_ago = os.path.getmtime(old) - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(foreign, (two_hours_ago, two_hours_ago))
    assert store.cleanup_tmp() == 1
    assert sorted(p.name for p in store.tmp_dir.iterdir()) == sorted([foreign.name, fresh.name])


def test_unusable_tmp_dir_gives_store_error_and_leaves_nothing(tmp_path):
    (tmp_path / "tmp").write_text("a file where the temp folder should be")
    store = AssetStore(tmp_path / "assets", tmp_path / "tmp")
    with pytest.raises(StoreError, match=r"Could not store 3 bytes of data in .*assets"):
        store.put_bytes(b"abc")
    assert not (tmp_path / "assets").exists()


@pytest.mark.parametrize(
    "code, message",
    [
        (errno.ENOSPC, "Not enough disk space to store clip.mp4 in"),
        (getattr(errno, "EDQUOT", errno.ENOSPC), "Not enough disk space"),
        (errno.EACCES, "cannot write to"),
        (errno.EROFS, "not read-only"),
    ],
)
def test_os_errors_become_clear_store_errors(tmp_path, code, message):
    error = _store_error(OSError(code, os.strerror(code)), "clip.mp4", tmp_path)
    assert isinstance(error, StoreError)
    assert message in str(error)
