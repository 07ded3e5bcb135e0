"""Where a text names a record: the record's name found among the text's words by the search analyzer.

Pure Python (no Django). A name is found when at least 80% of its words (as the analyzer reduces them: folded,
without article, stemmed) stand within a window a few words longer than the name; the years a name carries
(برنامج التحول الرقمي 2025-2026) are not needed but count for it when the text writes them. A text that names
two records equally well names neither: the caller gets a tie, never a guess.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from masar.arabic.analyzer import terms, tokens

COVERAGE = 0.8  # the share of a name's words the text must write
SLACK = 3  # words the text may insert inside a name (للفترة, الوطني ...)
YEAR_WEIGHT = 0.5


@dataclass(frozen=True)
class Name:
    """A record's name reduced to its words and its years."""

    key: Hashable
    words: frozenset[str]
    years: frozenset[str]


def name_of(key: Hashable, *texts: str) -> list[Name]:
    """Return the names of a record, one per language it is named in."""
    names = []
    for text in texts:
        found = terms(text)
        words = frozenset(t for t in found if not t.isdigit())
        if words:
            names.append(Name(key, words, frozenset(t for t in found if t.isdigit())))
    return names


@dataclass(frozen=True)
class Mention:
    """A place where the text names a record: the span, and how well it names it (1 = every word)."""

    key: Hashable
    start: int
    end: int
    score: float


class Words:
    """The words of a text with their spans, indexed once for every name looked for."""

    def __init__(self, text: str) -> None:
        self.tokens = tokens(text)
        self.terms = [{token.term, *token.extra} for token in self.tokens]
        self.offsets = [token.start for token in self.tokens]
        self.positions: dict[str, list[int]] = defaultdict(list)
        for index, found in enumerate(self.terms):
            for term in found:
                self.positions[term].append(index)

    def mentions(self, names: Iterable[Name], start: int = 0, end: int | None = None) -> list[Mention]:
        """Return the best mention of each name at each place it is written between offsets start and end."""
        found: dict[tuple[Hashable, int], Mention] = {}
        for name in names:
            width = len(name.words) + len(name.years) + SLACK
            low, high = bisect_left(self.offsets, start), bisect_left(self.offsets, end if end is not None else 1 << 62)
            starts = sorted({i for word in name.words for i in self.positions.get(word, ()) if low <= i < high})
            for first in starts:
                mention = self._window(name, first, width, end)
                if mention is not None:
                    current = found.get((name.key, mention.start))
                    if current is None or mention.score > current.score:
                        found[(name.key, mention.start)] = mention
        return sorted(found.values(), key=lambda m: (m.start, -m.score))

    def _window(self, name: Name, first: int, width: int, end: int | None) -> Mention | None:
        covered: set[str] = set()
        years: set[str] = set()
        last = first
        for index in range(first, min(first + width, len(self.tokens))):
            if end is not None and self.tokens[index].start >= end:
                break
            words = self.terms[index]
            if words & name.words or words & name.years:
                covered |= words & name.words
                years |= words & name.years
                last = index
            if covered == name.words and years == name.years:
                break
        share = len(covered) / len(name.words)
        needed = 1.0 if len(name.words) <= 2 else COVERAGE
        if share < needed:
            return None
        score = share + (YEAR_WEIGHT * len(years) / len(name.years) if name.years else 0.0)
        return Mention(name.key, self.tokens[first].start, self.tokens[last].end, score)


def best(mentions: list[Mention]) -> Hashable | None:
    """Return the key named best, or None when none is or two different records tie."""
    if not mentions:
        return None
    top = max(m.score for m in mentions)
    keys = {m.key for m in mentions if m.score == top}
    return keys.pop() if len(keys) == 1 else None


def named_at(
    mentions: list[Mention], clause: tuple[int, int], sentence: tuple[int, int] | None = None, before: int = 0
) -> Hashable | None:
    """Return the record named in clause; else, when sentence is given, the one named last before offset before,
    else the one named best in the sentence. mentions are those of the whole text (`Words.mentions`); a tie at
    the place decides nothing: None.
    """
    inside = [m for m in mentions if clause[0] <= m.start < clause[1]]
    if inside or sentence is None:
        return best(inside)
    earlier = [m for m in mentions if m.end <= before]
    if earlier:
        last = max(m.start for m in earlier)
        return best([m for m in earlier if m.start == last or m.end > last])
    return best([m for m in mentions if sentence[0] <= m.start < sentence[1]])
