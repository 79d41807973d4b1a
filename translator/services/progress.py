"""The progress callback that long operations accept (GUI dialog or command-line bar)."""

from __future__ import annotations

from collections.abc import Callable

# Called as progress(done, total). To cancel, the callback raises OperationCancelled:
# the operation's transaction is rolled back and nothing of it remains.
Progress = Callable[[int, int], None]


def no_progress(_done: int, _total: int) -> None:
    return None
