"""Refusing library folders that will corrupt the catalog.

SQLite needs working file locks and a file nobody else rewrites while it is open.
Cloud sync clients (Dropbox, OneDrive, iCloud, Google Drive...) upload and replace
the catalog mid-transaction, and network file systems lock unreliably, so a
library in either place ends up corrupt. We refuse such folders up front, with a
message that says why and how to override.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sessionstudio.core.errors import UnsafeLocation

OVERRIDE_HINT = "choose a local folder, or pass --allow-unsafe-location if you accept the risk."

# Folder names (lower-cased) that sync clients create, mapped to the name we show.
# "Sync" and ".sync" are left out on purpose: too many ordinary folders use them.
_SYNC_FOLDER_NAMES = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "cloudstorage": "cloud storage (~/Library/CloudStorage)",
    "box": "Box",
    "pcloud drive": "pCloud",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "mega": "MEGA",
}
# Business accounts get suffixed names: "OneDrive - Contoso", "Dropbox (Team)".
_SYNC_FOLDER_PREFIXES = {"onedrive - ": "OneDrive", "dropbox (": "Dropbox"}

# Marker entries a sync client keeps at the root of the folder it syncs.
# ".dropbox" counts only as a file: a *directory* of that name is Dropbox's own
# settings folder in the user's home, and would flag every library under ~.
_MARKER_FILES = {".dropbox": "Dropbox"}
_MARKER_ANY = {".dropbox.cache": "Dropbox", ".stfolder": "Syncthing"}

_REMOTE_FS_TYPES = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "davfs",
    "fuse.davfs2", "afs", "ceph", "glusterfs", "fuse.rclone", "9p", "fuse.s3fs",
    # macOS names, as printed by /sbin/mount.
    "afpfs", "webdav",
}

_DRIVE_REMOTE = 4  # GetDriveTypeW result for a mapped network drive.
_MAC_MOUNT_LINE = re.compile(r"^(?P<device>.+?) on (?P<mount>/.*?) \((?P<fstype>[^,)]+)")
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def check_library_location(
    path: str | Path, *, allow_unsafe: bool = False, mounts_text: str | None = None
) -> None:
    """Raise UnsafeLocation if `path` is in a synced or network folder.

    `mounts_text` replaces the system mount table (Linux /proc/self/mounts format,
    or macOS `mount` output); tests pass a real table through it.
    """
    if allow_unsafe:
        return
    reason = find_unsafe_reason(path, mounts_text=mounts_text)
    if reason is not None:
        raise UnsafeLocation(f"The library folder {path} {reason}; {OVERRIDE_HINT}")


def find_unsafe_reason(path: str | Path, *, mounts_text: str | None = None) -> str | None:
    """Why `path` is unsafe for a library (a sentence fragment), or None if it looks local."""
    absolute = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    # resolve() follows symlinks of the parts that exist: a local-looking symlink
    # into ~/Dropbox is still in Dropbox.
    resolved = absolute.resolve()
    for candidate in dict.fromkeys((absolute, resolved)):
        reason = _sync_folder_reason(candidate) or _marker_reason(candidate)
        if reason:
            return reason
    return _network_reason(resolved, mounts_text)


def _sync_folder_reason(path: Path) -> str | None:
    parts = path.parts
    try:
        # The home folder itself is named after the user, not a sync client: a user
        # called "mega" or "box" must not have every library refused.
        parts = path.relative_to(Path.home()).parts
    except (ValueError, RuntimeError):
        pass
    for part in parts:
        name = part.strip().lower()
        service = _SYNC_FOLDER_NAMES.get(name)
        if service is None:
            service = next((s for p, s in _SYNC_FOLDER_PREFIXES.items() if name.startswith(p)), None)
        if service is not None:
            return (
                f"is inside a {service} folder. Cloud sync clients rewrite the catalog "
                "while it is open and corrupt it"
            )
    return None


def _nearest_existing(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def _marker_reason(path: Path) -> str | None:
    # The library folder may not exist yet; its would-be ancestors are what matter.
    start = _nearest_existing(path)
    if start is None:
        return None
    for folder in (start, *start.parents):
        for marker, service in (*_MARKER_FILES.items(), *_MARKER_ANY.items()):
            entry = folder / marker
            found = entry.is_file() if marker in _MARKER_FILES else entry.exists()
            if found:
                return (
                    f"is inside a {service}-synced folder ({entry} exists). Sync clients "
                    "rewrite the catalog while it is open and corrupt it"
                )
    return None


def _network_reason(path: Path, mounts_text: str | None) -> str | None:
    network = (
        "is on a network {what}. Network file systems do not lock files reliably, "
        "so the catalog would get corrupted"
    )
    if mounts_text is None and os.name == "nt":
        if is_unc_path(str(path)):
            return network.format(what="share")
        if _is_remote_drive(path):
            return network.format(what=f"drive ({path.drive})")
        return None
    text = mounts_text if mounts_text is not None else _system_mounts_text()
    if not text:
        return None
    mount = mount_for(str(path), parse_mounts(text))
    if mount is not None and mount[1] in _REMOTE_FS_TYPES:
        return network.format(what=f"file system ({mount[1]} mounted at {mount[0]})")
    return None


def is_unc_path(text: str) -> bool:
    r"""True for Windows network paths: \\server\share and \\?\UNC\server\share."""
    normalized = text.replace("/", "\\")
    if normalized.startswith(("\\\\?\\", "\\\\.\\")):
        # Extended-length prefix: local (\\?\C:\...) unless it wraps a UNC path.
        return normalized[4:].upper().startswith("UNC\\")
    return normalized.startswith("\\\\")


def _is_remote_drive(path: Path) -> bool:
    if os.name != "nt" or not path.drive:
        return False
    try:
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW(path.drive + "\\")  # type: ignore[attr-defined]
    except (OSError, AttributeError):
        return False
    return drive_type == _DRIVE_REMOTE


def _system_mounts_text() -> str:
    """The mount table of this machine, or "" when it cannot be read (never raises)."""
    if sys.platform.startswith("linux"):
        try:
            return Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    if sys.platform == "darwin" and os.path.exists("/sbin/mount"):
        # statvfs does not name the file system type; `mount` does. Bounded by a
        # timeout because a hung network mount can stall it.
        try:
            result = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=3, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return result.stdout
    return ""


def _unescape_mount_point(text: str) -> str:
    # /proc/self/mounts writes space, tab, newline and backslash as \040 \011 \012 \134.
    return _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), text)


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, fs type) pairs, in table order, from Linux or macOS mount output."""
    mounts: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        mac = _MAC_MOUNT_LINE.match(line)
        if mac:
            mounts.append((mac.group("mount"), mac.group("fstype").strip().lower()))
            continue
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape_mount_point(fields[1]), fields[2].lower()))
    return mounts


def mount_for(path: str, mounts: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The mount containing `path`: longest matching mount point; on ties the later
    entry wins, as a later mount hides an earlier one on the same point."""
    best: tuple[str, str] | None = None
    for mount_point, fstype in mounts:
        prefix = mount_point.rstrip("/") + "/"
        if path == mount_point or path.startswith(prefix):
            if best is None or len(mount_point) >= len(best[0]):
                best = (mount_point, fstype)
    return best


def on_network_file_system(path: str | Path) -> bool:
    """Whether path is on a network share or mount (where file events do not arrive,
    so watchers poll instead)."""
    return _network_reason(Path(path), None) is not None
