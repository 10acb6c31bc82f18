"""Sync settings (declared in settings.py OPTIONS) and the target they describe."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import InvalidInput
from .targets import FolderTarget


@dataclass
class SyncConfig:
    kind: str = ""          # "" (off) | "folder" | "webdav"
    folder: str = ""
    url: str = ""
    user: str = ""
    password: str = ""
    paused: bool = False

    @classmethod
    def from_settings(cls, settings) -> "SyncConfig":
        return cls(kind=settings.get("sync_target"), folder=settings.get("sync_folder"),
                   url=settings.get("sync_url"), user=settings.get("sync_user"),
                   password=settings.get("sync_password"), paused=settings.get("sync_paused"))

    def save(self, settings) -> None:
        for key, value in (("sync_target", self.kind), ("sync_folder", self.folder),
                           ("sync_url", self.url), ("sync_user", self.user),
                           ("sync_password", self.password), ("sync_paused", self.paused)):
            settings.set(key, value)

    @property
    def enabled(self) -> bool:
        return self.kind in ("folder", "webdav")

    @property
    def where(self) -> str:
        return self.folder if self.kind == "folder" else self.url

    def make_target(self, device: str = "device"):
        if self.kind == "folder":
            if not self.folder:
                raise InvalidInput("No sync folder is set: run `sessionstudio sync setup --folder DIR`.")
            return FolderTarget(self.folder, device)
        if self.kind == "webdav":
            if not self.url:
                raise InvalidInput("No WebDAV URL is set: run `sessionstudio sync setup --webdav URL`.")
            from .webdav import WebDavTarget   # httpx loads only when WebDAV is used
            return WebDavTarget(self.url, device, user=self.user, password=self.password)
        raise InvalidInput("Sync is not set up: run `sessionstudio sync setup --folder DIR` "
                           "or `--webdav URL`.")
