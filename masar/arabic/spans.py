"""A folded copy of a text that remembers where each of its characters came from.

Readers of running text (numbers, amounts, dates) match on the folded form, where spelling variants
(hamza, ta marbuta, diacritics, tatweel) are gone, and report offsets into the text the person wrote.
Digits and the Arabic decimal and thousands marks are kept as written: they carry meaning there.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from masar.arabic.normalize import fold

_KEPT = frozenset("٫٬،%٪.,/-–—()[]:")
# No-break spaces group thousands ("1 200 000"): kept so a reader can tell them from a space between words.
_GROUPING_SPACES = "\u00a0\u202f\u2009"
WORD = re.compile(r"[^\W\d_]+")
# Diacritics and tatweel written after the last letter of a match belong to it.
_TRAILING = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _GROUPING_SPACES:
        return char
    if char.isspace():
        return " "
    if char.isdigit() or char in _KEPT:
        return char
    return fold(char)


@dataclass(frozen=True)
class Folded:
    """Text folded for matching, with the original offset of every folded character."""

    original: str
    text: str
    origin: tuple[int, ...]

    def start(self, index: int) -> int:
        """Return the offset in the original text where the folded character at index starts."""
        return self.origin[index] if index < len(self.origin) else len(self.original)

    def index(self, offset: int) -> int:
        """Return the index in the folded text of the first character at or after an original offset."""
        return bisect_left(self.origin, offset)

    def end(self, index: int) -> int:
        """Return the original offset that ends a folded span ending at index (diacritics after it included)."""
        if index <= 0:
            return 0
        last = self.origin[index - 1] + 1
        tail = self.original[last:]
        return last + len(tail) - len(tail.lstrip(_TRAILING))


@lru_cache(maxsize=32)
def fold_with_origin(text: str) -> Folded:
    """Return text folded character by character, keeping digits, separators and spacing as written."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return Folded(text, "".join(parts), tuple(origin))
