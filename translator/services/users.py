"""Who is working: the name recorded as author of every change."""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    """$TRANSLATOR_USER, else the login name; never empty."""
    name = os.environ.get("TRANSLATOR_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError):  # no login name in some containers
        return "unknown"
