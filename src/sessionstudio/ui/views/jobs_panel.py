"""The Jobs dock: the latest generation jobs with their progress, Cancel and Retry.

Rows follow Changes.jobs: a changed job is re-read off the GUI thread and its row updated
in place (dataChanged), a new one inserted at the top; the list is never reset."""

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QHBoxLayout, QListView, QPushButton, QStyle, QStyledItemDelegate,
                               QStyleOptionProgressBar, QApplication, QVBoxLayout, QWidget)

from ...jobs.queue import RETRYABLE, get_job, list_jobs

JobRole = Qt.UserRole + 1
LIMIT = 200
STATE_WORDS = {"queued": "Queued", "running": "Running", "done": "Done", "failed": "Failed",
               "cancelled": "Cancelled", "interrupted": "Interrupted"}


class JobListModel(QAbstractListModel):
    def __init__(self, lib, tasks, parent=None):
        super().__init__(parent)
        self._lib, self._tasks = lib, tasks
        self._jobs: list = []
        self._asked: dict[str, int] = {}     # job id -> number of the latest read asked for
        # Jobs changed while the first list is read (None once it has landed).
        self._changed_while_listing: set[str] | None = None

    def load(self) -> None:
        self._changed_while_listing = set()
        self._tasks.read(lambda: list_jobs(self._lib, limit=LIMIT), done=self._loaded)

    def _loaded(self, jobs) -> None:
        self.beginResetModel()      # once, at start: later changes update rows in place
        self._jobs = list(jobs)
        self.endResetModel()
        # The list may have been read before a change whose answer already landed: ask
        # again for those jobs so the older snapshot does not stand.
        again, self._changed_while_listing = self._changed_while_listing or set(), None
        if again:
            self._ask(again)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._jobs)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        if role == Qt.DisplayRole:
            return job.title
        if role == JobRole:
            return job
        if role == Qt.ToolTipRole:
            return job.error or job.message or STATE_WORDS[job.state]
        return None

    def job_at(self, row: int):
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def apply_changes(self, changes) -> None:
        # Reads run on a pool and may come back out of order: only the newest answer for a
        # job is applied, so a late "running 97%" never overwrites "done".
        self._ask(getattr(changes, "jobs", ()))

    def _ask(self, job_ids) -> None:
        for job_id in job_ids:
            if self._changed_while_listing is not None:
                self._changed_while_listing.add(job_id)
            n = self._asked.get(job_id, 0) + 1
            self._asked[job_id] = n
            self._tasks.read(lambda j=job_id: get_job(self._lib, j),
                             done=lambda job, j=job_id, n=n: self._answer(j, n, job),
                             failed=lambda _exc, j=job_id, n=n: self._answer(j, n, None))

    def _answer(self, job_id: str, n: int, job) -> None:
        if self._asked.get(job_id) != n:
            return
        del self._asked[job_id]
        if job is None:                      # deleted (its session was purged)
            for row, old in enumerate(self._jobs):
                if old.id == job_id:
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self._jobs[row]
                    self.endRemoveRows()
                    return
            return
        self._update(job)

    def _update(self, job) -> None:
        for row, old in enumerate(self._jobs):
            if old.id == job.id:
                self._jobs[row] = job
                idx = self.index(row)
                self.dataChanged.emit(idx, idx)
                return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._jobs.insert(0, job)
        self.endInsertRows()

    def active_count(self) -> tuple[int, int]:
        running = sum(j.state == "running" for j in self._jobs)
        queued = sum(j.state == "queued" for j in self._jobs)
        return running, queued


class JobDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:
        return QSize(200, option.fontMetrics.height() * 3 + 14)

    def paint(self, painter, option, index) -> None:
        job = index.data(JobRole)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        r = option.rect.adjusted(8, 5, -8, -5)
        fm = option.fontMetrics
        line = fm.height()
        painter.save()
        selected = option.state & QStyle.State_Selected
        painter.setPen(option.palette.color(QPalette.HighlightedText if selected else QPalette.Text))
        f = painter.font()
        f.setBold(True)
        painter.setFont(f)
        painter.drawText(QRect(r.left(), r.top(), r.width(), line), Qt.AlignLeft | Qt.AlignVCenter,
                         fm.elidedText(job.title, Qt.ElideRight, r.width()))
        f.setBold(False)
        painter.setFont(f)
        detail = job.error if job.state == "failed" else (job.message or STATE_WORDS[job.state])
        status = f"{STATE_WORDS[job.state]} · {detail}" if detail != STATE_WORDS[job.state] \
            else detail
        painter.drawText(QRect(r.left(), r.top() + line, r.width(), line),
                         Qt.AlignLeft | Qt.AlignVCenter, fm.elidedText(status, Qt.ElideRight, r.width()))
        painter.restore()
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(r.left(), r.top() + 2 * line + 3, r.width(), max(6, line - 6))
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(job.progress * 100) if job.state != "done" else 100
        bar.textVisible = False
        bar.state = QStyle.State_Enabled
        style.drawControl(QStyle.CE_ProgressBar, bar, painter)


class JobsPanel(QWidget):
    sig_cancel_requested = Signal(str)
    sig_retry_requested = Signal(str)
    sig_open_item_requested = Signal(str)
    sig_counts_changed = Signal(int, int)       # running, queued

    def __init__(self, lib, tasks, bridge, parent=None):
        super().__init__(parent)
        self.model = JobListModel(lib, tasks, self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(JobDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SingleSelection)
        self.cancel_button = QPushButton("Cancel")
        self.retry_button = QPushButton("Retry")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(lambda: self._emit(self.sig_cancel_requested))
        self.retry_button.clicked.connect(lambda: self._emit(self.sig_retry_requested))
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.view.doubleClicked.connect(self._open)
        for sig in (self.model.dataChanged, self.model.rowsInserted, self.model.modelReset):
            sig.connect(lambda *_: self._model_changed())
        bridge.sig_changed.connect(self.model.apply_changes)
        self.model.load()
        self._update_buttons()

    def current_job(self):
        return self.model.job_at(self.view.currentIndex().row())

    def _emit(self, signal) -> None:
        job = self.current_job()
        if job is not None:
            signal.emit(job.id)

    def _open(self, index) -> None:
        job = self.model.job_at(index.row())
        if job is not None and job.outputs:
            self.sig_open_item_requested.emit(job.outputs[-1])

    def _model_changed(self) -> None:
        self._update_buttons()
        self.sig_counts_changed.emit(*self.model.active_count())

    def _update_buttons(self) -> None:
        job = self.current_job()
        self.cancel_button.setEnabled(job is not None and job.state in ("queued", "running"))
        self.retry_button.setEnabled(job is not None and job.state in RETRYABLE)
