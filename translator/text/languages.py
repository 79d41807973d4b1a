"""Language tags: what the rest of the program needs to know about a language."""

from __future__ import annotations

# Languages written without spaces between words and sentences.
_NO_SPACE = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def base_language(lang: str) -> str:
    """``ar-SA`` -> ``ar``, ``EN_us`` -> ``en``."""
    return lang.replace("_", "-").split("-")[0].lower()


def word_joiner(lang: str) -> str:
    """What goes between two sentences joined into one text: a space, or nothing."""
    return "" if base_language(lang) in _NO_SPACE else " "
