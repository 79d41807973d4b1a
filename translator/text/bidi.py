"""Text direction: which languages are right-to-left, and the invisible bidi controls.

Direction-control characters (LRM, RLM, ALM, embeddings, overrides, isolates) are the
most reported bug class in translation editors: invisible, they survive copy and paste
and silently reorder the text around them. The editor strips them from pasted text
unless asked not to, and can show the ones present as visible marks.
"""

from __future__ import annotations

RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "ps", "sd", "ug", "ur", "yi"}
)

# Character -> the short name shown for it when marks are made visible.
BIDI_CONTROLS: dict[str, str] = {
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u061c": "ALM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_STRIP = str.maketrans(dict.fromkeys(BIDI_CONTROLS))
_SHOW = str.maketrans({char: f"\u27e8{name}\u27e9" for char, name in BIDI_CONTROLS.items()})


def is_rtl(lang: str) -> bool:
    """True for languages written right to left (``ar``, ``ar-SA``, ``fa`` ...)."""
    lang = lang.replace("_", "-").lower()
    return lang in RTL_LANGUAGES or lang.split("-")[0] in RTL_LANGUAGES


def strip_bidi_controls(text: str) -> str:
    return text.translate(_STRIP)


def show_bidi_controls(text: str) -> str:
    """Replace each control with a visible mark such as ``⟨RLM⟩``."""
    return text.translate(_SHOW)


def has_bidi_controls(text: str) -> bool:
    return any(char in BIDI_CONTROLS for char in text)
