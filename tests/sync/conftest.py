"""Devices for sync tests: real libraries in tmp folders, each with its own engine over
one shared target (a real folder, or a real WebDAV server on 127.0.0.1)."""

import threading

import pytest

from sessionstudio.core.ids import now_ms
from sessionstudio.sync import FolderTarget, SyncEngine

SYNCED = ("folders", "sessions", "items", "item_inputs", "artboards", "artboard_elements")


class Device:
    def __init__(self, name, lib, target, skew_ms=0, mass_delete_min=20):
        self.name = name
        self.lib = lib
        self.skew_ms = skew_ms
        self.engine = SyncEngine(lib, target, clock=lambda: now_ms() + self.skew_ms,
                                 mass_delete_min=mass_delete_min)

    def setup(self):
        return self.engine.setup()

    def sync(self, **kw):
        return self.engine.run_round(**kw)

    def state(self):
        """Every synced row, for convergence checks."""
        out = {}
        for t in SYNCED:
            out[t] = {r["id"]: dict(r) for r in self.lib.query(f"SELECT * FROM {t} ORDER BY id")}
        return out


@pytest.fixture
def shared(tmp_path):
    d = tmp_path / "shared"
    d.mkdir()
    return d


@pytest.fixture
def device(make_lib, shared):
    """device("a") -> a Device over the shared folder (set up, i.e. joined)."""
    made = {}

    def make(name, *, target=None, skew_ms=0, setup=True, **kw):
        lib = make_lib(name)
        dev = Device(name, lib, target or FolderTarget(shared), skew_ms=skew_ms, **kw)
        if setup:
            dev.setup()
        made[name] = dev
        return dev
    return make


def two_devices(make_lib, tmp_path):
    """Devices "a" and "b", both joined to one shared folder (for tests outside tests/sync,
    where the `device` fixture is not visible). Returns (shared, a, b)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    a = Device("a", make_lib("a"), FolderTarget(shared))
    b = Device("b", make_lib("b"), FolderTarget(shared))
    a.setup()
    b.setup()
    return shared, a, b


def uploaded_item(dev, shared):
    """A new session with one picture on `dev`, synced up. Returns (session id, item id,
    asset hash, path of its blob on the target)."""
    from sessionstudio import library as L
    from sessionstudio.sync import layout
    from tests.sync.test_merge import _item
    sid = L.create_session(dev.lib, name="S").created[0]
    iid = _item(dev.lib, sid)
    dev.sync()
    h = L.get_item(dev.lib, iid).asset_hash
    return sid, iid, h, shared / layout.blob_path(h)


def sync_all(*devices, rounds=2):
    for _ in range(rounds):
        for d in devices:
            d.sync()


@pytest.fixture(scope="session")
def webdav_root(tmp_path_factory):
    """A real WebDAV server (wsgidav + cheroot) on 127.0.0.1, serving a tmp folder."""
    from cheroot import wsgi
    from wsgidav.wsgidav_app import WsgiDAVApp

    root = tmp_path_factory.mktemp("dav")
    config = {
        "host": "127.0.0.1", "port": 0,
        "provider_mapping": {"/dav": str(root),
                             "/ro": {"root": str(root), "readonly": True}},
        "http_authenticator": {"domain_controller": None, "accept_basic": True,
                               "accept_digest": False, "default_to_digest": False},
        "simple_dc": {"user_mapping": {"*": {"ann": {"password": "secret"}}}},
        "verbose": 0,
        "logging": {"enable": False},
        "property_manager": True,
        "lock_storage": True,
    }
    app = WsgiDAVApp(config)
    server = wsgi.Server(("127.0.0.1", 0), app, numthreads=4)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    port = server.bind_addr[1]
    yield root, f"http://127.0.0.1:{port}/dav"
    server.stop()
    thread.join(5)
