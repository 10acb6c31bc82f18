"""play / pause / stop / seek on a QMediaPlayer without holding Python's GIL.

Qt's FFmpeg backend makes and tears down its renderers on threads of its own, and those
threads call virtual methods of our Python-made QMediaPlayer and QAudioOutput (such as
disconnectNotify); PySide takes the GIL to look for a Python override. Meanwhile play(),
pause() and stop() on the GUI thread wait for a Qt lock those threads hold, and PySide
keeps the GIL through them (only setSource is marked to release it). Each then waits for
the other forever: the test suite hung in AudioPane.stop that way. QMetaObject.
invokeMethod releases the GIL and calls the slot directly, so nothing changes but that.
"""

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt


def _call(player: QObject, slot: str, *args) -> None:
    if not QMetaObject.invokeMethod(player, slot, Qt.DirectConnection, *args):
        raise RuntimeError(f"QMediaPlayer.{slot} could not be called")


def play(player: QObject) -> None:
    _call(player, "play")


def pause(player: QObject) -> None:
    _call(player, "pause")


def stop(player: QObject) -> None:
    _call(player, "stop")


def seek(player: QObject, ms: int) -> None:
    _call(player, "setPosition", Q_ARG("qint64", int(ms)))
