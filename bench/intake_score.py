"""Score what `masar.intake.extract` read from a text against what a person annotated (no Django import).

Lists (missions, decisions) are scored by F1: an extracted item matches an annotated one when their words overlap by at
least MATCH (|A∩B| / max(|A|, |B|) over the sets of folded words, punctuation dropped), pairs taken one-to-one, best
overlap first. Every other field is an exact match of one comparable value, counted only where the annotation or
the extraction has one.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from masar.arabic import fold

MATCH = 0.8
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"^[0-9]+$")

Record = dict[str, object]


def words(text: str | None) -> list[str]:
    """Return the folded words of text, punctuation dropped, so spelling variants compare equal."""
    return _WORD.findall(fold(text))


def overlap(first: str, second: str) -> float:
    """Return |A∩B| / max(|A|, |B|) for the sets of words of two items (0 when either has none)."""
    a, b = set(words(first)), set(words(second))
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


def match_items(expected: list[str], got: list[str], threshold: float = MATCH) -> list[tuple[int, int, float]]:
    """Return (expected index, extracted index, overlap) of the matched pairs: one-to-one, best overlap first."""
    pairs = sorted(
        (
            (overlap(wanted, found), i, j)
            for i, wanted in enumerate(expected)
            for j, found in enumerate(got)
            if overlap(wanted, found) >= threshold
        ),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    used_expected: set[int] = set()
    used_got: set[int] = set()
    matched = []
    for score, i, j in pairs:
        if i in used_expected or j in used_got:
            continue
        used_expected.add(i)
        used_got.add(j)
        matched.append((i, j, score))
    return sorted(matched)


@dataclass
class ItemScore:
    """Matched, annotated and extracted items of one list field, summed over documents (micro-average)."""

    matched: int = 0
    expected: int = 0
    extracted: int = 0

    def add(self, expected: list[str], got: list[str]) -> list[tuple[int, int, float]]:
        pairs = match_items(expected, got)
        self.matched += len(pairs)
        self.expected += len(expected)
        self.extracted += len(got)
        return pairs

    @property
    def precision(self) -> float | None:
        return self.matched / self.extracted if self.extracted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        total = self.expected + self.extracted
        return 2 * self.matched / total if total else None


def _amount(value: object) -> Decimal | None:
    # 2.5e9 read as a float and 2500000000 typed as an int are the same amount.
    return None if value is None else Decimal(str(value)).normalize()


def _money(money: object) -> tuple[Decimal | None, object] | None:
    if not isinstance(money, dict):
        return None
    return (_amount(money.get("amount")), money.get("currency"))


def _list(record: Record, key: str) -> list[dict[str, object]]:
    value = record.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _name(record: Record, key: str) -> tuple[str, ...] | None:
    found = tuple(words(str(record[key]))) if record.get(key) else ()
    return found or None


def _plan_name(record: Record) -> tuple[str, ...] | None:
    # The years written beside a plan's name are scored as its period.
    found = tuple(word for word in words(str(record.get("name") or "")) if not _NUMBER.match(word))
    return found or None


def _period(record: Record) -> tuple[object, object] | None:
    period = record.get("period")
    return (period.get("start_year"), period.get("end_year")) if isinstance(period, dict) else None


def _axes_count(record: Record) -> int | None:
    return len(_list(record, "axes")) or None


def _axis_projects(record: Record) -> tuple[object, ...] | None:
    projects = tuple(axis.get("projects") for axis in _list(record, "axes"))
    return projects if any(count is not None for count in projects) else None


def _axis_budgets(record: Record) -> tuple[object, ...] | None:
    budgets = tuple(_money(axis.get("budget")) for axis in _list(record, "axes"))
    return budgets if any(budget is not None for budget in budgets) else None


def _programs_count(record: Record) -> object:
    programs = record.get("programs")
    return programs.get("count") if isinstance(programs, dict) else None


def _phases(record: Record) -> tuple[tuple[object, object], ...] | None:
    return tuple((phase.get("start_year"), phase.get("end_year")) for phase in _list(record, "phases")) or None


def _budget(record: Record) -> tuple[Decimal | None, object] | None:
    return _money(record.get("budget"))


def _equivalent(record: Record) -> tuple[Decimal | None, object] | None:
    budget = record.get("budget")
    return _money(budget.get("equivalent")) if isinstance(budget, dict) else None


# Each exact field: the value compared, read the same way from the annotation and from the extraction.
EXACT: dict[str, Callable[[Record], object]] = {
    "kind": lambda record: record.get("kind"),
    "organization": lambda record: _name(record, "organization"),
    "parent_organization": lambda record: _name(record, "parent_organization"),
    "body": lambda record: _name(record, "body"),
    "name": _plan_name,
    "period": _period,
    "axes_count": _axes_count,
    "axis_projects": _axis_projects,
    "axis_budgets": _axis_budgets,
    "programs_count": _programs_count,
    "phases": _phases,
    "total_projects": lambda record: record.get("total_projects"),
    "budget": _budget,
    "budget_equivalent": _equivalent,
    "date": lambda record: record.get("date"),
}
LISTS = ("missions", "decisions")


def exact(expected: object, got: object) -> bool | None:
    """Say whether two compared values are equal; None when both are null (the field is not counted)."""
    if expected is None and got is None:
        return None
    return expected == got


@dataclass
class ExactScore:
    """Documents where a field was compared and where it matched."""

    compared: int = 0
    equal: int = 0

    @property
    def rate(self) -> float | None:
        return self.equal / self.compared if self.compared else None


@dataclass
class Miss:
    """One difference between the annotation and the extraction, for the verbose report."""

    document: str
    field: str
    expected: object
    got: object


@dataclass
class Scores:
    """Every figure of the benchmark, accumulated one document at a time."""

    lists: dict[str, ItemScore] = field(default_factory=lambda: {key: ItemScore() for key in LISTS})
    fields: dict[str, ExactScore] = field(default_factory=lambda: {key: ExactScore() for key in EXACT})
    misses: list[Miss] = field(default_factory=list)
    documents: int = 0

    def add(self, document: str, expected: Record, got: Record) -> None:
        """Score one document's extraction against its annotation."""
        self.documents += 1
        for key in LISTS:
            wanted = [str(item) for item in expected.get(key) or []]
            found = [str(item) for item in got.get(key) or []]
            pairs = self.lists[key].add(wanted, found)
            matched_expected = {i for i, _, _ in pairs}
            matched_got = {j for _, j, _ in pairs}
            for i, item in enumerate(wanted):
                if i not in matched_expected:
                    best = max(found, key=lambda other, item=item: overlap(item, other), default=None)
                    self.misses.append(Miss(document, f"{key}_missed", item, best))
            for j, item in enumerate(found):
                if j not in matched_got:
                    self.misses.append(Miss(document, f"{key}_extra", None, item))
        for key, read in EXACT.items():
            verdict = exact(read(expected), read(got))
            if verdict is None:
                continue
            self.fields[key].compared += 1
            self.fields[key].equal += verdict
            if not verdict:
                self.misses.append(Miss(document, key, read(expected), read(got)))
