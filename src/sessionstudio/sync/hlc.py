"""Hybrid logical clock stamps: wall milliseconds + a counter + the device id.

A stamp is one string, "%012x%04x" % (wall_ms, counter) followed by the device id, so
plain string comparison orders stamps (the device id breaks ties deterministically on
every device). Wall clocks are untrusted: a stamp only has to be unique and to exceed
every stamp the device had seen, which `tick(floor=...)` guarantees even when another
device's clock is hours off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..core.ids import now_ms

WALL_HEX = 12
COUNTER_HEX = 4
PREFIX = WALL_HEX + COUNTER_HEX
_MAX_COUNTER = (1 << (4 * COUNTER_HEX)) - 1
# Stamps further ahead of our clock than this are accepted (the field still merges) but
# not adopted as our clock: one device set to the year 2099 must not drag every future
# stamp there. A local edit still outranks such a value through tick(floor=...).
MAX_ADOPT_MS = 24 * 3600 * 1000


def encode(wall: int, counter: int, device: str) -> str:
    return f"{wall:0{WALL_HEX}x}{counter:0{COUNTER_HEX}x}{device}"


def decode(stamp: str) -> tuple[int, int, str]:
    return int(stamp[:WALL_HEX], 16), int(stamp[WALL_HEX:PREFIX], 16), stamp[PREFIX:]


def wall_of(stamp: str) -> int:
    return int(stamp[:WALL_HEX], 16)


def device_of(stamp: str) -> str:
    return stamp[PREFIX:]


class HLC:
    """One device's clock. Thread-safe; persisted by the caller through state()/load()."""

    def __init__(self, device: str, *, clock: Callable[[], int] = now_ms,
                 wall: int = 0, counter: int = 0):
        self.device = device
        self.clock = clock
        self.wall = wall
        self.counter = counter
        self._lock = threading.Lock()

    def state(self) -> str:
        return f"{self.wall}:{self.counter}"

    def load(self, state: str | None) -> None:
        if state:
            wall, counter = state.split(":")
            with self._lock:
                if (int(wall), int(counter)) > (self.wall, self.counter):
                    self.wall, self.counter = int(wall), int(counter)

    def tick(self, physical: int | None = None, *, floor: str | None = None) -> str:
        """A stamp for a local event at `physical` ms (default: now) that is greater than
        every stamp this clock has issued or adopted, and greater than `floor` (the
        stamp of the value the user saw), whatever the clocks say."""
        pt = self.clock() if physical is None else physical
        fw, fc = (decode(floor)[:2]) if floor else (0, -1)
        with self._lock:
            wall = max(self.wall, pt, fw)
            counter = -1
            if wall == self.wall:
                counter = max(counter, self.counter)
            if wall == fw:
                counter = max(counter, fc)
            counter += 1
            if counter > _MAX_COUNTER:
                wall, counter = wall + 1, 0
            self.wall, self.counter = wall, counter
            return encode(wall, counter, self.device)

    def observe(self, stamp: str) -> bool:
        """Adopt a received stamp so later local stamps exceed it. Returns False (and
        leaves the clock alone) when it is implausibly far ahead of our clock."""
        wall, counter, _dev = decode(stamp)
        if wall > self.clock() + MAX_ADOPT_MS:
            return False
        with self._lock:
            if (wall, counter) > (self.wall, self.counter):
                self.wall, self.counter = wall, counter
        return True
