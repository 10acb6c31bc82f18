"""Setting a library up to sync: one function for `sessionstudio sync setup` and the
window's Sync dialog. It checks the target before anything is saved, so a wrong path or
URL leaves the old settings as they were."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..core.errors import InvalidInput
from .config import SyncConfig
from .engine import SyncEngine


@dataclass(frozen=True)
class SetupResult:
    device: str
    device_name: str
    target: str
    group: str


def set_up_sync(lib, settings, *, folder: str | None = None, webdav: str | None = None,
                user: str = "", password: str | None = None) -> SetupResult:
    """Make or join the sync target (exactly one of folder / webdav) and remember it.
    Raises InvalidInput or TargetError with a message for the person; nothing is saved
    then. A password of None keeps the one already saved."""
    if bool(folder) == bool(webdav):
        raise InvalidInput("Choose either a folder or a WebDAV URL to sync through.")
    config = SyncConfig.from_settings(settings)
    if folder:
        config.kind, config.folder = "folder", os.path.abspath(os.path.expanduser(folder.strip()))
    else:
        url = webdav.strip()
        if not url.startswith(("http://", "https://")):
            raise InvalidInput(f"{url} is not an http(s) URL.")
        config.kind, config.url, config.user = "webdav", url, user.strip()
        if password is not None:
            config.password = password
    target = config.make_target()
    try:
        engine = SyncEngine(lib, target)
        info = engine.setup()
    finally:
        target.close()
    config.save(settings)
    dev = engine.device
    return SetupResult(dev.id, dev.name, config.where, info["group"])
