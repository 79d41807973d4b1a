"""Errors a user can act on: the command line prints them in one line and exits with 1."""

from __future__ import annotations

from pathlib import Path


class TranslatorError(Exception):
    """A problem the user can fix (bad file, unknown document, conflicting edit ...).

    Its ``str()`` is the whole one-line message shown to the user.
    """


class InputFileError(TranslatorError):
    """A file could not be read: names the file and, where known, the place in it."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        where: str | None = None,
    ) -> None:
        self.path = str(path)
        self.message = message
        self.line = line
        self.column = column
        self.where = where
        super().__init__(self._format())

    def _format(self) -> str:
        place = []
        if self.line is not None:
            place.append(f"line {self.line}")
            if self.column is not None:
                place[-1] += f", column {self.column}"
        if self.where:
            place.append(self.where)
        prefix = self.path + (": " + ", ".join(place) if place else "")
        return f"{prefix}: {self.message}"


class WorkspaceError(TranslatorError):
    """The workspace database cannot be opened, upgraded or used."""


class NotFoundError(TranslatorError):
    """A document or segment named by the user does not exist."""


class ConflictError(TranslatorError):
    """Someone else changed the segment since it was read; nothing was overwritten."""


class OperationCancelled(TranslatorError):
    """The user cancelled long work; raised from a progress callback, undoes everything."""
