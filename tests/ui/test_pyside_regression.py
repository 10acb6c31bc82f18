"""PySide6 6.12.0 on Python 3.11 aborts (`Fatal Python error: none_dealloc`) after about
5,000 calls of Qt methods that return nothing. Make 20,000 in a child process, so an
abort fails this test instead of killing the test run."""

import subprocess
import sys

SCRIPT = """
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
obj, point, rect, widget = QObject(), QPoint(), QRect(), QWidget()
for i in range(5000):
    obj.setObjectName("n")        # each returns None
    point.setX(i)
    rect.setWidth(i)
    widget.setEnabled(i % 2 == 0)
print("ok", point.x(), rect.width())
"""


def test_twenty_thousand_void_calls_do_not_abort():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["ok", "4999", "4999"]
