"""UUIDv7 ids (sortable by creation, unique across devices) and millisecond UTC times."""

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def now_ms() -> int:
    """Integer milliseconds since the epoch, UTC."""
    return time.time_ns() // 1_000_000


def uuid7(ms: int | None = None) -> str:
    """A UUIDv7 string (RFC 9562): 48-bit ms timestamp, then a counter so ids made in
    the same millisecond by this process still sort in creation order, then random bits."""
    global _last_ms, _counter
    with _lock:
        t = now_ms() if ms is None else ms
        if ms is None and t <= _last_ms:
            # Same millisecond (or clock stepped back): keep monotonic by bumping the counter.
            t = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                t += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        if ms is None:
            _last_ms = t
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (t & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (counter & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand
    return str(uuid.UUID(int=value))


def uuid7_time_ms(value: str) -> int:
    """The millisecond timestamp inside a UUIDv7 string."""
    return uuid.UUID(value).int >> 80
