"""What the shared target holds, and how its file names are read.

    FORMAT                                           which format, and the sync group id
    devices/<device>/log/<seq>.<sha256>.jsonl.gz     one device's immutable log segments
    blobs/ab/cd/<sha256>                             assets, content-addressed
    tmp/<device>-<random>.part                       uploads in progress (never read)

Every file is written once by one device under a final name that states its content
(sha256), so a reader can always tell a complete file from one still being synced.
Cloud clients sometimes add copies of a file under a changed name ("conflicted copy",
".sync-conflict-", "name 2", "-PCNAME"): those are recognised, read like the original
(duplicates are harmless, merging is idempotent) and never deleted.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass, field

FORMAT_PATH = "FORMAT"
FORMAT_NAME = "sessionstudio-sync"
FORMAT_VERSION = 1
DEVICES = "devices"
TMP = "tmp"
SEGMENT_EXT = ".jsonl.gz"

_SHA = r"[0-9a-f]{64}"
_SEGMENT = re.compile(rf"^(?P<seq>\d{{10}})\.(?P<sha>{_SHA})(?P<rest>.*)$")
_BLOB = re.compile(rf"^(?P<sha>{_SHA})(?P<rest>.*)$")
# Markers cloud clients insert into a copy's name, anywhere before or between extensions:
#   Dropbox/Nextcloud/ownCloud " (conflicted copy 2024-01-02)", " (Ann's conflicted copy)"
#   Syncthing ".sync-conflict-20240102-030405-ABCDEFG"; iCloud/macOS Finder " 2";
#   OneDrive "-PCNAME" (optionally "-PCNAME-2").
_MARKER = re.compile(
    r"\s*\([^()]*\)"
    r"|\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]+)?"
    r"|\s\d+"
    r"|-[A-Za-z0-9_]+(?:-\d+)?")


@dataclass(frozen=True)
class SegmentName:
    seq: int
    sha: str
    conflict: str | None   # the cloud client's marker, None for the file as we wrote it


def segment_path(device: str, seq: int, sha: str) -> str:
    return f"{DEVICES}/{device}/log/{seq:010d}.{sha}{SEGMENT_EXT}"


def blob_path(sha: str) -> str:
    return f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"


def tmp_path(device: str, token: str) -> str:
    return f"{TMP}/{device}-{token}.part"


def _conflict_marker(rest: str, canonical: str) -> str | None | bool:
    """None: exactly canonical; the marker text: a conflict copy; False: not ours."""
    if rest == canonical:
        return None
    if _MARKER.sub("", rest) == canonical:
        return rest
    return False


def parse_segment_name(name: str) -> SegmentName | None:
    m = _SEGMENT.match(name)
    if not m:
        return None
    marker = _conflict_marker(m["rest"], SEGMENT_EXT)
    if marker is False:
        return None
    return SegmentName(int(m["seq"]), m["sha"], marker)


def parse_blob_name(name: str) -> tuple[str, str | None] | None:
    m = _BLOB.match(name)
    if not m:
        return None
    marker = _conflict_marker(m["rest"], "")
    return None if marker is False else (m["sha"], marker)


# -- FORMAT ----------------------------------------------------------------------------
def format_bytes(group: str, created_by: str, created_at: int) -> bytes:
    return (json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "group": group,
                        "created_by": created_by, "created_at": created_at},
                       sort_keys=True) + "\n").encode()


def parse_format(data: bytes) -> dict:
    """The FORMAT file's fields; ValueError if it is not ours or too new."""
    try:
        info = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"FORMAT is not readable ({exc})") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT_NAME or "group" not in info:
        raise ValueError("FORMAT does not describe a Session Studio sync folder")
    if int(info.get("version", 0)) > FORMAT_VERSION:
        raise ValueError(f"the sync folder uses format {info['version']}; update Session Studio")
    return info


# -- segments --------------------------------------------------------------------------
@dataclass
class Segment:
    header: dict
    records: list[dict] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)  # 1-based line numbers skipped
    complete: bool = True                               # gzip intact and end line found


def encode_lines(lines: list[str]) -> bytes:
    # mtime=0: the same records always make the same bytes, hence the same name.
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=6, mtime=0)


def encode_segment(header: dict, records: list[dict]) -> bytes:
    lines = [json.dumps({**header, "count": len(records)}, sort_keys=True, separators=(",", ":"))]
    lines += [json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in records]
    lines.append(json.dumps({"end": len(records)}))
    return encode_lines(lines)


def decode_segment(data: bytes) -> Segment:
    """Parse a segment. A truncated gzip stream or a missing end line means the file is
    incomplete (still arriving); a line that is not a JSON object is skipped and its
    number kept in bad_lines so it can be reported."""
    try:
        text = gzip.decompress(data).decode("utf-8", errors="replace")
    except (OSError, EOFError, zlib.error):
        return Segment(header={}, complete=False)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    seg = Segment(header={}, complete=False)
    for n, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            seg.bad_lines.append(n)
            continue
        if n == 1 and "device" in obj and "seq" in obj:
            seg.header = obj
        elif "end" in obj and len(obj) == 1:
            seg.complete = True
        elif "t" in obj and "k" in obj:
            seg.records.append(obj)
        else:
            seg.bad_lines.append(n)
    if not seg.header:
        seg.complete = False
    return seg
