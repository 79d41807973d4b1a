"""Long work off the GUI thread, with a progress dialog that can cancel it.

The work is a plain core function taking a ``progress(done, total)`` callback, the same
one the command line drives with its progress line. Cancelling makes the callback raise
OperationCancelled inside the worker, which rolls the unit of work back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from translator.errors import OperationCancelled, TranslatorError
from translator.services.progress import Progress

T = TypeVar("T")


class _Worker(QThread):
    progressed = Signal(int, int)

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.cancelled = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled.is_set():
            raise OperationCancelled("cancelled")
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            self.result = self.work(self._progress)
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.error = exc


def run_with_progress(
    parent: QWidget, label: str, work: Callable[[Progress], T], *, delay_ms: int = 400
) -> T | None:
    """Run ``work`` in a thread while a progress dialog shows; None when cancelled.

    TranslatorError from the work is re-raised here, on the GUI thread, for a dialog.
    """
    worker = _Worker(work)
    dialog = QProgressDialog(label, parent.tr("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(parent.tr("translator"))
    dialog.setMinimumDuration(delay_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    worker.progressed.connect(on_progress)
    dialog.canceled.connect(worker.cancelled.set)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    loop.exec()
    worker.wait()
    dialog.close()
    dialog.deleteLater()
    if isinstance(worker.error, OperationCancelled):
        return None
    if worker.error is not None:
        if isinstance(worker.error, TranslatorError):
            raise worker.error
        raise TranslatorError(f"{label} failed: {worker.error}") from worker.error
    return cast(T, worker.result)
