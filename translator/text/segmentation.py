"""Sentence segmentation driven by SRX-like rule files: ordered break / no-break rules.

A rule file (``rules/<lang>.json``) holds abbreviation groups and regex rules.  A position
in a paragraph is a *candidate* when a break rule's ``before`` pattern ends there and its
``after`` pattern starts there; the first rule in order that matches the position decides.
Candidates are found with one ``finditer`` per break rule; the no-break rules ahead of that
break rule are then tried at the candidates only, so the cost grows with the number of
sentence-final punctuation marks, not with the number of characters.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from translator.errors import InputFileError

#: How many characters before a position a ``before`` pattern may start: the patterns are
#: matched backwards from each candidate, so their reach has to be bounded.
LOOKBEHIND = 100

_RULES_DIR = resources.files(__package__).joinpath("rules")
_FILE_KEYS = frozenset({"language", "description", "comment", "abbreviations", "rules"})
_GROUP_KEYS = frozenset({"comment", "words", "after"})
_RULE_KEYS = frozenset({"comment", "break", "before", "after", "words"})
# An abbreviation stands alone: what precedes it is not part of a word ("البلد." is not "د.")
# nor of a dotted abbreviation ("ق.م." is not "م.").  Arabic diacritics are not \w.
_GLUE = "\\w.\u0640\u064b-\u065f\u0670"
_GLUED = re.compile(f"[{_GLUE}]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")


@dataclass(frozen=True)
class Rule:
    """One ordered rule; an abbreviation group is a no-break rule whose ``before`` is a word list.

    ``before`` must end at the position and ``after`` must start there (empty matches
    anything).  ``words`` (abbreviations ending in ".") replaces ``before`` when given: one of
    them ends at the position, standing alone (after the start, a space or punctuation).
    """

    breaks: bool
    before: str = ""
    after: str = ""
    words: frozenset[str] = frozenset()
    origin: str = ""


class _Exception:
    """A no-break rule compiled for checking at one candidate position."""

    __slots__ = ("after", "before", "lengths", "words")

    def __init__(self, rule: Rule) -> None:
        self.before = re.compile(f"(?:{rule.before})\\Z") if rule.before else None
        self.after = re.compile(rule.after) if rule.after else None
        self.words = rule.words
        self.lengths = sorted({len(word) for word in rule.words})

    def matches(self, text: str, position: int) -> bool:
        if self.after is not None and self.after.match(text, position) is None:
            return False
        if self.words and not self._ends_with_word(text, position):
            return False
        if self.before is not None:
            return self.before.search(text, max(0, position - LOOKBEHIND), position) is not None
        return True

    def _ends_with_word(self, text: str, position: int) -> bool:
        for length in self.lengths:
            start = position - length
            if start < 0:
                return False
            if text[start:position] in self.words and (
                start == 0 or _GLUED.match(text, start - 1) is None
            ):
                return True
        return False


class Segmenter:
    """Splits paragraphs into sentences by an ordered list of rules."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._scanners: list[tuple[re.Pattern[str], tuple[_Exception, ...]]] = []
        exceptions: list[_Exception] = []
        for rule in self.rules:
            if rule.breaks:
                pattern = re.compile(f"(?:{rule.before})(?={rule.after})")
                self._scanners.append((pattern, tuple(exceptions)))
            else:
                exceptions.append(_Exception(rule))

    @classmethod
    def for_language(cls, lang: str, extra_rule_files: Sequence[str | Path] = ()) -> Segmenter:
        """The built-in rules for ``lang`` ("ar", "en-GB" ...), after any extra rule files.

        Rules of the extra files come first, so they win over the built-in ones.  Languages
        without a rule file get the language-neutral ``default.json``.
        """
        extras = tuple(_stamp(Path(path).expanduser()) for path in extra_rule_files)
        return _segmenter_for(_base_language(lang), extras)

    @classmethod
    def from_file(cls, path: str | Path) -> Segmenter:
        """A segmenter with exactly the rules of one file (no built-in rules added)."""
        return cls(load_rule_file(path))

    def breaks(self, paragraph: str) -> list[int]:
        """The positions (character offsets) where sentences end, in order."""
        candidates: dict[int, tuple[_Exception, ...]] = {}
        for pattern, exceptions in self._scanners:
            for match in pattern.finditer(paragraph):
                candidates.setdefault(match.end(), exceptions)
        positions = sorted(candidates) if len(self._scanners) > 1 else list(candidates)
        return [
            position
            for position in positions
            if not any(rule.matches(paragraph, position) for rule in candidates[position])
        ]

    def split(self, paragraph: str) -> list[str]:
        """The sentences of ``paragraph``, stripped, without empty ones."""
        sentences = []
        start = 0
        for end in [*self.breaks(paragraph), len(paragraph)]:
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = end
        return sentences


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """The sentences of ``paragraph`` by the built-in rules for ``lang``."""
    return Segmenter.for_language(lang).split(paragraph)


def load_rule_file(path: str | Path) -> list[Rule]:
    """The rules of one JSON rule file, in order; raises InputFileError if it is unusable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(path, "segmentation rule file not found") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "segmentation rule file is not UTF-8 text") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read segmentation rule file: {exc.strerror}") from exc
    return parse_rules(text, str(path))


def parse_rules(text: str, origin: str) -> list[Rule]:
    """The rules of a rule file's text; ``origin`` names the file in error messages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            origin, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    if not isinstance(data, dict):
        raise InputFileError(origin, 'a rule file is a JSON object with "rules" / "abbreviations"')
    _check_keys(data, _FILE_KEYS, origin, None)
    rules = [
        _parse_group(group, origin, f"abbreviations[{index}]")
        for index, group in enumerate(_list(data, "abbreviations", origin, None))
    ]
    rules += [
        _parse_rule(rule, origin, f"rules[{index}]")
        for index, rule in enumerate(_list(data, "rules", origin, None))
    ]
    return rules


def _parse_group(group: Any, origin: str, where: str) -> Rule:
    if not isinstance(group, dict):
        raise InputFileError(origin, 'expected an object with "words"', where=where)
    _check_keys(group, _GROUP_KEYS, origin, where)
    return _parse_rule({"break": False, **group}, origin, where)


def _parse_rule(rule: Any, origin: str, where: str) -> Rule:
    if not isinstance(rule, dict):
        raise InputFileError(
            origin, 'expected an object with "break", "before", "after"', where=where
        )
    _check_keys(rule, _RULE_KEYS, origin, where)
    breaks = rule.get("break")
    if not isinstance(breaks, bool):
        raise InputFileError(origin, '"break" must be true or false', where=where)
    words = _words(rule, origin, where)
    before = _pattern(rule, "before", origin, where)
    after = _pattern(rule, "after", origin, where)
    if words and before:
        raise InputFileError(origin, 'a rule has "words" or "before", not both', where=where)
    if not (words or before or after):
        raise InputFileError(origin, 'a rule needs a "before" or an "after" pattern', where=where)
    if words:
        # The same test as an exception, as a pattern for the scan of a break rule.
        alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
        before = f"(?<![{_GLUE}])(?:{alternatives})"
    # Validate the forms actually compiled: a global flag such as "(?i)" is only valid alone.
    form = f"(?:{before})(?={after})" if breaks else f"(?:{before})\\Z"
    try:
        re.compile(form)
    except re.error as exc:
        raise InputFileError(
            origin,
            f"the rule's patterns do not combine: {exc.msg} (write flags as (?i:...))",
            where=where,
        ) from None
    return Rule(breaks, "" if words and not breaks else before, after, words, f"{origin}: {where}")


def _words(rule: dict[str, Any], origin: str, where: str) -> frozenset[str]:
    if "words" not in rule:
        return frozenset()
    words = _list(rule, "words", origin, where)
    for word in words:
        if not isinstance(word, str) or not word.endswith(".") or any(c.isspace() for c in word):
            raise InputFileError(
                origin, f'{word!r} is not an abbreviation: one word ending in "."', where=where
            )
    if not words:
        raise InputFileError(origin, '"words" is empty', where=where)
    return frozenset(words)


def _pattern(obj: dict[str, Any], key: str, origin: str, where: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise InputFileError(origin, f'"{key}" must be a string', where=where)
    try:
        re.compile(value)
    except re.error as exc:
        raise InputFileError(
            origin,
            f"bad regular expression {value!r}: {exc.msg} at character {exc.pos}",
            where=f"{where}.{key}",
        ) from None
    return value


def _list(obj: dict[str, Any], key: str, origin: str, where: str | None) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise InputFileError(origin, f'"{key}" must be a list', where=where)
    return value


def _check_keys(
    obj: dict[str, Any], allowed: frozenset[str], origin: str, where: str | None
) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise InputFileError(
            origin,
            f"unknown key {unknown[0]!r} (expected one of: {', '.join(sorted(allowed))})",
            where=where,
        )


def _base_language(lang: str) -> str:
    match = _LANGUAGE.match(lang.strip())
    return match.group().lower() if match else "default"


def _stamp(path: Path) -> tuple[str, int]:
    """A cache key for a user's rule file that changes when the file is edited."""
    try:
        return str(path.resolve()), path.stat().st_mtime_ns
    except OSError:
        raise InputFileError(path, "segmentation rule file not found") from None


def _builtin(name: str) -> list[Rule]:
    resource: Traversable = _RULES_DIR.joinpath(f"{name}.json")
    return parse_rules(resource.read_text(encoding="utf-8"), f"{name}.json (built-in)")


@functools.lru_cache(maxsize=64)
def _segmenter_for(lang: str, extras: tuple[tuple[str, int], ...]) -> Segmenter:
    rules = [rule for path, _ in extras for rule in load_rule_file(path)]
    if lang != "default" and _RULES_DIR.joinpath(f"{lang}.json").is_file():
        rules += _builtin(lang)
    rules += _builtin("default")
    return Segmenter(rules)
