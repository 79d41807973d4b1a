"""Undo and redo: every change is a small command that calls a service and knows its inverse.

The editor makes a change through the services first (so a conflict or a full disk is
reported before anything enters the history) and pushes a command that records it;
the command's first ``redo`` is therefore a no-op. Undo and later redos call the same
services. Consecutive draft saves of one segment merge into one command, so Ctrl+Z
undoes a burst of typing, not a single keystroke.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from translator.domain import MergeResult, Segment
from translator.errors import TranslatorError
from translator.services import segments as segment_service
from translator.storage.database import Workspace

_DRAFT_ID = 1
# Drafts saved closer together than this (the draft timer saves every 0.7 s while typing
# goes on) are one undo step.
TYPING_PAUSE_S = 2.0


class EditorContext(Protocol):
    """What a command needs from the editor that owns the undo stack."""

    workspace: Workspace

    def current(self, segment_id: int) -> Segment: ...

    def apply(self, changed: Sequence[Segment], focus: int | None = None) -> None: ...

    def reload(self, focus_n: int | None = None) -> None: ...

    def report(self, error: TranslatorError) -> None: ...


class _Command(QUndoCommand):
    def __init__(self, context: EditorContext, text: str) -> None:
        super().__init__(text)
        self.context = context
        self._fresh = True  # the change is already made when the command is pushed

    def _guarded(self, action: Callable[[], None]) -> None:
        try:
            action()
        except TranslatorError as exc:  # changed elsewhere meanwhile: never overwrite
            self.setObsolete(True)
            self.context.report(exc)

    def redo(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self._guarded(self.do)

    def undo(self) -> None:
        self._guarded(self.undo_change)

    def do(self) -> None:
        raise NotImplementedError

    def undo_change(self) -> None:
        raise NotImplementedError


class EditSegmentCommand(_Command):
    """A segment's target and status changed (a draft save, a confirm, copy source ...)."""

    def __init__(
        self, context: EditorContext, before: Segment, after: Segment, *, action: str, text: str
    ) -> None:
        super().__init__(context, text)
        self.before, self.after, self.action = before, after, action
        self.last_saved = time.monotonic()

    def id(self) -> int:
        return _DRAFT_ID if self.action == "draft" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Drafts saved while the translator keeps typing in a segment are one step; after a
        pause, the next typing is a step of its own (Ctrl+Z takes back the last burst)."""
        if not isinstance(other, EditSegmentCommand) or other.before.id != self.before.id:
            return False
        if other.last_saved - self.last_saved > TYPING_PAUSE_S:
            return False
        self.after, self.last_saved = other.after, other.last_saved
        return True

    def _write(self, goal: Segment, action: str) -> None:
        current = self.context.current(goal.id)
        segment = segment_service.update_segment(
            self.context.workspace,
            goal.id,
            target=goal.target,
            status=goal.status,
            expected_version=current.version,
            action=action,
        )
        self.context.apply([segment], focus=segment.id)

    def do(self) -> None:
        self._write(self.after, "redo")

    def undo_change(self) -> None:
        self._write(self.before, "undo")


class RestoreCommand(_Command):
    """Many segments changed at once (Replace All): undo puts every one back."""

    def __init__(
        self, context: EditorContext, pairs: Sequence[tuple[Segment, Segment]], text: str
    ) -> None:
        super().__init__(context, text)
        self.before = [before for before, _ in pairs]
        self.after = [after for _, after in pairs]

    def _restore(self, goal: Sequence[Segment]) -> None:
        current = [self.context.current(segment.id) for segment in goal]
        changed = segment_service.restore_segments(self.context.workspace, current, goal)
        self.context.apply(changed)

    def do(self) -> None:
        self._restore(self.after)

    def undo_change(self) -> None:
        self._restore(self.before)


class StructureCommand(_Command):
    """A split or a merge, undone by the inverse operation with the original texts put back.

    Segment ids survive undo and redo (a re-split brings the second half back under the
    same id; an unmerge restores the second segment's id), so later commands in the
    stack still find their segments.
    """

    def __init__(
        self,
        context: EditorContext,
        text: str,
        do: Callable[[], int],
        undo: Callable[[], int],
    ) -> None:
        super().__init__(context, text)
        self._do, self._undo = do, undo

    def do(self) -> None:
        self.context.reload(focus_n=self._do())

    def undo_change(self) -> None:
        self.context.reload(focus_n=self._undo())

    @classmethod
    def split(
        cls, context: EditorContext, original: Segment, second: Segment, at: int
    ) -> StructureCommand:
        workspace = context.workspace

        def split_again() -> int:
            now = context.current(original.id)
            segment_service.split_segment(
                workspace, now.id, at, expected_version=now.version, second_id=second.id
            )
            return original.n

        def merge_back() -> int:
            a, b = context.current(original.id), context.current(second.id)
            segment_service.merge_segments(
                workspace, a.id, expected_versions=(a.version, b.version), restore=original
            )
            return original.n

        text = QCoreApplication.translate("undo", "Split segment {0}").format(original.n)
        return cls(context, text, split_again, merge_back)

    @classmethod
    def merge(cls, context: EditorContext, result: MergeResult) -> StructureCommand:
        workspace = context.workspace
        state = {"result": result}

        def merge_again() -> int:
            first, second = state["result"].first, state["result"].second
            a, b = context.current(first.id), context.current(second.id)
            state["result"] = segment_service.merge_segments(
                workspace, a.id, expected_versions=(a.version, b.version)
            )
            return first.n

        def split_back() -> int:
            segment_service.unmerge_segments(workspace, state["result"])
            return state["result"].first.n

        text = QCoreApplication.translate("undo", "Merge segment {0}").format(result.first.n)
        return cls(context, text, merge_again, split_back)
