"""WebDAV target (Nextcloud, ownCloud, Apache mod_dav, wsgidav, NAS boxes), over httpx.

Same contract as FolderTarget: upload to tmp/<device>-<random>.part, MOVE to the final
name with `Overwrite: F` (the server refuses to replace anything), then GET it back and
check the SHA-256. Network and 5xx failures are "unavailable" (retry later); 507 and
403 are write refusals (full / read-only). Nothing is ever DELETEd but our own temp.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote, urlsplit

import httpx

from . import layout
from .targets import CHUNK, Entry, TargetConflict, TargetUnavailable, TargetWriteFailed

_DAV = "{DAV:}"
_PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
                  b'<d:resourcetype/><d:getcontentlength/><d:getlastmodified/></d:prop></d:propfind>')


class WebDavTarget:
    kind = "webdav"

    def __init__(self, url: str, device: str = "device", *, user: str = "", password: str = "",
                 timeout: float = 60.0, client: httpx.Client | None = None):
        self.base = url.rstrip("/") + "/"
        self.base_path = unquote(urlsplit(self.base).path)
        self.device = device
        self.description = self.base
        self.last_offset_ms: int | None = None
        auth = (user, password) if user else None
        self.client = client or httpx.Client(auth=auth, timeout=timeout, follow_redirects=True)

    def _url(self, path: str) -> str:
        return self.base + quote(path, safe="/")

    def _request(self, method: str, path: str, **kw) -> httpx.Response:
        try:
            resp = self.client.request(method, self._url(path), **kw)
        except httpx.HTTPError as exc:
            raise TargetUnavailable(f"The WebDAV server {self.base} is unreachable ({exc}).") from exc
        if resp.status_code in (401,):
            raise TargetUnavailable(f"The WebDAV server {self.base} refused the login (401).")
        if resp.status_code >= 500 and resp.status_code != 507:
            raise TargetUnavailable(f"The WebDAV server {self.base} failed ({resp.status_code}).")
        self._note_clock(resp)
        return resp

    def _note_clock(self, resp: httpx.Response) -> None:
        # The server's Date header is a clock reference independent of any device.
        date = resp.headers.get("date")
        if date:
            try:
                import time
                server_ms = int(parsedate_to_datetime(date).timestamp() * 1000)
                self.last_offset_ms = server_ms - int(time.time() * 1000)
            except (TypeError, ValueError):
                pass

    # -- reading ------------------------------------------------------------------------
    def check_root(self) -> None:
        resp = self._request("PROPFIND", "", headers={"Depth": "0"}, content=_PROPFIND_BODY)
        if resp.status_code == 404:
            raise TargetUnavailable(f"The WebDAV folder {self.base} does not exist; "
                                    "sync waits (nothing is deleted).")
        if resp.status_code != 207:
            raise TargetUnavailable(f"The WebDAV folder {self.base} answered {resp.status_code}.")

    def _propfind(self, path: str) -> list[tuple[str, bool, int, float | None]]:
        resp = self._request("PROPFIND", path, headers={"Depth": "1"}, content=_PROPFIND_BODY)
        if resp.status_code == 404:
            return []
        if resp.status_code != 207:
            raise TargetUnavailable(f"Listing {path} on {self.base} failed ({resp.status_code}).")
        out = []
        for r in ET.fromstring(resp.content).iter(f"{_DAV}response"):
            href = unquote(urlsplit(r.findtext(f"{_DAV}href") or "").path)
            if not href.startswith(self.base_path):
                continue
            rel = href[len(self.base_path):].strip("/")
            is_dir = r.find(f".//{_DAV}resourcetype/{_DAV}collection") is not None
            size = int(r.findtext(f".//{_DAV}getcontentlength") or 0)
            modified = r.findtext(f".//{_DAV}getlastmodified")
            mtime = None
            if modified:
                try:
                    mtime = parsedate_to_datetime(modified).timestamp()
                except (TypeError, ValueError):
                    pass
            out.append((rel, is_dir, size, mtime))
        return out

    def list(self, prefix: str) -> list[Entry]:
        out: list[Entry] = []
        todo = [prefix.strip("/")]
        seen = set(todo)
        while todo:
            current = todo.pop()
            for rel, is_dir, size, mtime in self._propfind(current + "/"):
                if rel == current or rel in seen:
                    continue
                name = rel.rsplit("/", 1)[-1]
                if name.startswith(".") or name.endswith(".part"):
                    continue
                seen.add(rel)
                if is_dir:
                    todo.append(rel)
                else:
                    out.append(Entry(rel, size, mtime))
        return out

    def read(self, path: str) -> bytes:
        resp = self._request("GET", path)
        if resp.status_code == 404:
            raise FileNotFoundError(path)
        if resp.status_code != 200:
            raise TargetUnavailable(f"Reading {path} from {self.base} failed ({resp.status_code}).")
        return resp.content

    def open(self, path: str) -> BinaryIO:
        """A streaming reader (assets can be gigabytes: never held in memory)."""
        try:
            resp = self.client.send(self.client.build_request("GET", self._url(path)), stream=True)
        except httpx.HTTPError as exc:
            raise TargetUnavailable(f"The WebDAV server {self.base} is unreachable ({exc}).") from exc
        if resp.status_code != 200:
            resp.close()
            if resp.status_code == 404:
                raise FileNotFoundError(path)
            raise TargetUnavailable(f"Reading {path} from {self.base} failed ({resp.status_code}).")
        return _ResponseReader(resp)

    def exists(self, path: str) -> bool:
        return self._request("HEAD", path).status_code == 200

    def _sha_of(self, path: str) -> str | None:
        digest = hashlib.sha256()
        try:
            with self.client.stream("GET", self._url(path)) as resp:
                if resp.status_code != 200:
                    return None
                for chunk in resp.iter_bytes(CHUNK):
                    digest.update(chunk)
        except httpx.HTTPError as exc:
            raise TargetUnavailable(f"Reading {path} back from {self.base} failed ({exc}).") from exc
        return digest.hexdigest()

    # -- writing ------------------------------------------------------------------------
    def _mkcols(self, directory: str) -> None:
        parts = [p for p in directory.split("/") if p]
        for i in range(1, len(parts) + 1):
            resp = self._request("MKCOL", "/".join(parts[:i]) + "/")
            if resp.status_code in (201, 405, 301, 200):
                continue   # 405: already there
            self._raise_write(resp, directory)

    def _raise_write(self, resp: httpx.Response, path: str) -> None:
        if resp.status_code == 507:
            raise TargetWriteFailed(f"The WebDAV server {self.base} is full (507); {path} was "
                                    "not published (kept locally, retried later).")
        if resp.status_code in (403, 405, 423):
            raise TargetWriteFailed(f"The WebDAV server {self.base} refused to write {path} "
                                    f"({resp.status_code}: read-only or no permission).")
        raise TargetWriteFailed(f"Writing {path} to {self.base} failed ({resp.status_code}).")

    def write_new_atomic(self, path: str, source: bytes | Path, sha256: str) -> bool:
        if self.exists(path):
            return self._same(path, sha256)
        tmp = layout.tmp_path(self.device, uuid.uuid4().hex)
        self._mkcols(layout.TMP)
        if isinstance(source, (bytes, bytearray, memoryview)):
            resp = self._request("PUT", tmp, content=bytes(source))
        else:
            with open(source, "rb") as f:
                resp = self._request("PUT", tmp, content=_chunks(f))
        if resp.status_code not in (200, 201, 204):
            self._raise_write(resp, path)
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        if parent:
            self._mkcols(parent)
        resp = self._request("MOVE", tmp, headers={"Destination": self._url(path), "Overwrite": "F"})
        if resp.status_code == 412:    # the name is taken: never replace it
            self._request("DELETE", tmp)
            return self._same(path, sha256)
        if resp.status_code not in (201, 204):
            self._request("DELETE", tmp)
            self._raise_write(resp, path)
        if self._sha_of(path) != sha256:
            raise TargetWriteFailed(f"{path} did not read back intact from {self.base}.")
        return True

    def _same(self, path: str, sha256: str) -> bool:
        if self._sha_of(path) == sha256:
            return False
        raise TargetConflict(f"{path} already exists on {self.base} with other content.")

    def probe_clock(self) -> None:
        pass   # every response's Date header already measures it (see _note_clock)

    def cleanup_own_tmp(self, max_age_s: float = 0) -> int:
        removed = 0
        for entry in self._propfind(layout.TMP + "/"):
            name = entry[0].rsplit("/", 1)[-1]
            if name.startswith(f"{self.device}-") and name.endswith(".part"):
                if self._request("DELETE", entry[0]).status_code in (200, 204):
                    removed += 1
        return removed

    def create_root(self) -> None:
        resp = self._request("MKCOL", "")
        if resp.status_code not in (201, 405, 301, 200):
            self._raise_write(resp, self.base)

    def close(self) -> None:
        self.client.close()


class _ResponseReader(io.RawIOBase):
    def __init__(self, resp: httpx.Response):
        self._resp = resp
        self._chunks = resp.iter_bytes(CHUNK)
        self._buf = b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            try:
                self._buf += next(self._chunks)
            except StopIteration:
                break
        if n < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def readinto(self, buf) -> int:
        data = self.read(len(buf))
        buf[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._resp.close()
        super().close()


def _chunks(f: BinaryIO):
    while chunk := f.read(CHUNK):
        yield chunk
