"""The checkable claims of a news item or a communiqué: figures, counts, years, percentages and amounts.

Pure Python (no Django), over `masar.arabic`: a claim is a figure with what it counts or what it dates, found in
the text as written, with its span (offsets of the Python str given), the clause and the sentence it sits in (the
words that say what it is about), and the axis or phase it is bound to when the text binds it ("99 مشروعا في
المحور الأول", "التحول الرقمي للإدارة (99 مشروعًا)", "انطلاق المرحلة الثانية سنة 2023"). A number that counts
nothing Masar holds (persons, days, article numbers) is not a claim: only what could be compared is returned.
"""

from __future__ import annotations

import datetime
import enum
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from masar.arabic import find_amounts, find_dates, find_numbers, find_year_ranges, fold, normalize_digits
from masar.arabic.number_words import NumberMatch, Written
from masar.arabic.spans import fold_with_origin


class ClaimKind(enum.StrEnum):
    """What kind of fact a claim states."""

    PROJECT_COUNT = "project_count"  # 138 مشروعا, 99 مشروعا في المحور الأول
    AXIS_COUNT = "axis_count"  # موزعة على أربعة محاور
    PROGRAM_COUNT = "program_count"  # 12 برنامجا
    PHASE_COUNT = "phase_count"  # ثلاث مراحل
    PERIOD = "period"  # 2026-2030 of a strategy, or of a phase when one is named
    PHASE_START = "phase_start"  # انطلاق المرحلة الثانية سنة 2023
    PHASE_END = "phase_end"  # تنتهي المرحلة الأولى سنة 2023
    ADOPTION = "adoption"  # اعتمدت بتاريخ 31/8/2021
    PERCENT = "percent"  # نسبة الإنجاز 60%
    AMOUNT = "amount"  # 109،9 مليون دينار
    STATUS = "status"  # اكتمل مشروع البوابة الوطنية, المشروع قيد الإنجاز, تم تنفيذ قرار …, لم ينطلق بعد


# What a status word says of a project, as fold() writes it; a negated completion ("لم يكتمل") says it is not done.
# Only words that can be nothing but a project's state are read: "تأخر" or "متعثر" say more than Masar records.
_STATUS_WORDS = (
    (
        "not_completed",
        r"لم\s+(?:يكتمل|تكتمل|ينجز|تنجز|يستكمل|تستكمل|ينفذ|تنفذ|يتم\s+تنفيذ)|pas\s+encore\s+(?:achev|ex[ée]cut)[ée]e?",
    ),
    ("not_started", r"لم\s+(?:ينطلق|تنطلق|يبدا|تبدا)(?:\s+بعد)?|pas\s+encore\s+(?:lanc|d[ée]marr)[ée]e?"),
    (
        "completed",
        r"(?:اكتمل|اكتملت|استكمل|استكملت|تم\s+انجاز|تم\s+استكمال|انتهي\s+انجاز|تم\s+تنفيذ|نفذ|نفذت)"
        r"|achev[ée]e?|termin[ée]e?|ex[ée]cut[ée]e?",
    ),
    ("in_progress", r"قيد\s+(?:الانجاز|التنفيذ)|في\s+طور\s+(?:الانجاز|التنفيذ)|en\s+cours\s+de\s+r[ée]alisation"),
    ("suspended", r"(?:علق|علقت|تعليق|توقف|توقفت)\s+(?:العمل\s+)?(?:ب|في\s+)?(?:ال)?(?:مشروع|انجاز)|suspendu"),
)
_STATUS = re.compile(
    "|".join(rf"(?P<{name}>(?<![^\W\d_])(?:{pattern})(?![^\W\d_]))" for name, pattern in _STATUS_WORDS)
)


# Counted nouns as fold() writes them (the accusative alef already dropped by find_numbers), Arabic and French.
_COUNTED = {
    ClaimKind.PROJECT_COUNT: {"مشروع", "مشاريع", "مشروعات", "projet", "projets", "project", "projects"},
    ClaimKind.AXIS_COUNT: {"محور", "محاور", "axe", "axes", "axis"},
    ClaimKind.PROGRAM_COUNT: {"برنامج", "برامج", "programme", "programmes", "program", "programs"},
    ClaimKind.PHASE_COUNT: {"مرحله", "مراحل", "phase", "phases"},
}
_NOUN_KINDS = {noun: kind for kind, nouns in _COUNTED.items() for noun in nouns}
# The word an ordinal follows when it names an axis or a phase (المحور الأول, المرحلة الثانية, l'axe 1).
_AXIS_BEFORE = re.compile(r"(?:محور|axe)\s*$")
_PHASE_BEFORE = re.compile(r"(?:مرحله|phase)\s*$")
_AXIS_NUMBERED = re.compile(r"(?<![^\W\d_])(?:ال)?محور\s+(?:رقم\s+)?(\d+)|\baxe\s+(?:n°\s*)?(\d+)", re.IGNORECASE)
_PHASE_NUMBERED = re.compile(r"(?<![^\W\d_])(?:ال)?مرحله\s+(?:رقم\s+)?(\d+)|\bphase\s+(\d+)", re.IGNORECASE)
# Words that say a year is when a phase starts, or when it ends (folded).
_START_WORDS = re.compile(r"انطلاق|انطلق|تنطلق|بدايه|بدء|تبدا|بدات|يبدا|شروع|démarr|début|lancement|commence")
_END_WORDS = re.compile(r"انتهاء|تنتهي|انتهت|نهايه|اختتام|استكمال|تستمر\s+(?:الي|حتي)|fin\b|achève|termin")
_ADOPTION_WORDS = re.compile(r"اعتماد|اعتمد|المصادقه|صادق|اقرار|اقر|adopt")
_YEAR = re.compile(r"(?<![\d.,/-])(?:19|20)\d\d(?![\d]|[.,/-]\d)")
# Sentences end at these marks (a point or a comma between digits is a decimal mark, not an end).
_SENTENCE_END = re.compile(r"[!?؟\n]|\.(?!\d)")
_CLAUSE_END = re.compile(r"[!?؟\n;؛:()]|\.(?!\d)|(?<!\d)[،,]|[،,](?!\d)")
_NEAR = 24  # characters between a count and the axis it is in (" في المحور", " dans l'axe", " ضمن المحور")
_WORD_AFTER = re.compile(r"[\s/]*[^\W\d_][\w\u064b-\u065f\u0670\u0640]*")


@dataclass(frozen=True)
class Claim:
    """One checkable statement: text[start:end] is the figure (with what it counts) as written.

    value is an int (counts, years), a Decimal (percentages, amounts), a (start_year, end_year) pair (periods),
    a date (adoption) or the state a project is said to be in (status). clause and sentence are the spans of the words
    around it that say what it is about; axis_order, axis_name and phase_order bind it to a part of a strategy when
    the text does.
    """

    kind: ClaimKind
    start: int
    end: int
    text: str
    value: int | Decimal | tuple[int, int] | datetime.date | str
    clause: tuple[int, int]
    sentence: tuple[int, int]
    axis_order: int | None = None
    axis_name: str | None = None
    phase_order: int | None = None
    currency: str | None = None


@lru_cache(maxsize=16)
def _marks(pattern: re.Pattern[str], text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Return the starts and ends of every mark of pattern in text (read once for all the claims)."""
    found = list(pattern.finditer(text))
    return tuple(mark.start() for mark in found), tuple(mark.end() for mark in found)


def _span(pattern: re.Pattern[str], text: str, position: int) -> tuple[int, int]:
    """Return the span between the marks of pattern around position."""
    starts, ends = _marks(pattern, text)
    before = bisect_right(ends, position) - 1  # the last mark ending at or before position
    start = ends[before] if before >= 0 else 0
    after = bisect_left(starts, position)  # the first mark starting at or after position
    return start, starts[after] if after < len(starts) else len(text)


class _Text:
    """The text with its clauses, sentences and ordinals, read once for every claim."""

    def __init__(self, text: str, numbers: list[NumberMatch]) -> None:
        self.text = text
        self.axes = self._ordinals(numbers, _AXIS_BEFORE, _AXIS_NUMBERED)
        self.phases = self._ordinals(numbers, _PHASE_BEFORE, _PHASE_NUMBERED)

    def _ordinals(
        self, numbers: list[NumberMatch], before: re.Pattern[str], numbered: re.Pattern[str]
    ) -> list[tuple[int, int]]:
        """Return (offset, rank) of each axis or phase named by its rank (المحور الأول, المرحلة 2)."""
        found = []
        for number in numbers:
            if number.written is Written.ORDINAL and before.search(
                fold(self.text[max(0, number.start - 12) : number.start])
            ):
                found.append((number.start, int(number.value)))
        folded = fold_with_origin(self.text)
        for match in numbered.finditer(folded.text):
            found.append((folded.start(match.start()), int(normalize_digits(match.group(1) or match.group(2)))))
        return sorted(found)

    def clause(self, position: int) -> tuple[int, int]:
        return _span(_CLAUSE_END, self.text, position)

    def sentence(self, position: int) -> tuple[int, int]:
        return _span(_SENTENCE_END, self.text, position)

    def rank_in(self, ranks: list[tuple[int, int]], position: int, after: int | None = None) -> int | None:
        """Return the rank bound to the figure at position: named right after it (99 مشروعا في المحور الأول),
        else the only one named in its clause; None when none is or when the clause names several."""
        if after is not None:
            following = [rank for offset, rank in ranks if after <= offset <= after + _NEAR]
            if following:
                return following[0]
        start, end = self.clause(position)
        inside = {rank for offset, rank in ranks if start <= offset < end}
        return inside.pop() if len(inside) == 1 else None

    def name_before(self, position: int) -> str | None:
        """Return the name written just before "(" when the figure opens a parenthesis (الأمن السيبراني (12 مشروعًا))."""
        head = self.text[:position].rstrip()
        if not head.endswith("("):
            return None
        start = self.clause(len(head) - 1)[0]
        name = head[start : len(head) - 1].strip(" \t-–—•*")
        return name or None

    def claim(self, kind: ClaimKind, start: int, end: int, value: object, **bound: object) -> Claim:
        return Claim(
            kind=kind,
            start=start,
            end=end,
            text=self.text[start:end],
            value=value,  # type: ignore[arg-type]
            clause=self.clause(start),
            sentence=self.sentence(start),
            **bound,  # type: ignore[arg-type]
        )


def _counts(read: _Text, numbers: list[NumberMatch]) -> list[Claim]:
    claims = []
    for number in numbers:
        kind = _NOUN_KINDS.get(number.noun or "")
        if kind is None or number.percent or number.reference or number.written is Written.ORDINAL:
            continue
        if number.value != number.value.to_integral_value() or number.scale != 1:
            continue
        noun = _WORD_AFTER.match(read.text, number.end)
        end = noun.end() if noun is not None else number.end
        bound: dict[str, object] = {}
        if kind is ClaimKind.PROJECT_COUNT:
            axis = read.rank_in(read.axes, number.start, after=end)
            bound = {"axis_order": axis, "axis_name": read.name_before(number.start)}
        claims.append(read.claim(kind, number.start, end, int(number.value), **bound))
    return claims


def _years(read: _Text, taken: list[tuple[int, int]]) -> list[Claim]:
    """Return the years bound to a phase's start or end (انطلاق المرحلة الثانية سنة 2023).

    A clause may state two ("تنتهي المرحلة الأولى سنة 2023 وتنطلق الثالثة سنة 2027"): each year is read with the
    words since the year before it in its clause, and bound to the phase named last among them.
    """
    claims = []
    previous: dict[tuple[int, int], int] = {}  # clause -> end of the last year read in it
    for match in _YEAR.finditer(normalize_digits(read.text)):
        start, end = match.span()
        if any(s <= start < e for s, e in taken):
            continue
        clause = read.clause(start)
        since = previous.get(clause, clause[0])
        previous[clause] = end
        named = [rank for offset, rank in read.phases if since <= offset < start]
        phase = named[-1] if named else read.rank_in(read.phases, start)
        if phase is None:
            continue
        words = fold(read.text[since:start])
        alone = since == clause[0] and not _YEAR.search(normalize_digits(read.text[end : clause[1]]))
        if alone and not (_START_WORDS.search(words) or _END_WORDS.search(words)):
            words = fold(read.text[slice(*clause)])  # the only year of its clause: the word may follow it
        if _START_WORDS.search(words):
            kind = ClaimKind.PHASE_START
        elif _END_WORDS.search(words):
            kind = ClaimKind.PHASE_END
        else:
            continue
        claims.append(read.claim(kind, start, end, int(match.group()), phase_order=phase))
    return claims


def find_claims(text: str, *, default_country: str | None = None) -> list[Claim]:
    """Return the claims of text in reading order; spans never overlap (the first, then the longest, wins).

    default_country names the currency of a bare دينار or درهم (see `masar.arabic.find_amounts`).
    """
    numbers = find_numbers(text)
    read = _Text(text, numbers)
    claims = _counts(read, numbers)
    year_ranges = find_year_ranges(text)
    for years in year_ranges:
        phase = read.rank_in(read.phases, years.start)
        value = (years.start_year, years.end_year)
        claims.append(read.claim(ClaimKind.PERIOD, years.start, years.end, value, phase_order=phase))
    dates = find_dates(text)
    for date in dates:
        if date.date is not None and _ADOPTION_WORDS.search(fold(text[slice(*read.sentence(date.start))])):
            claims.append(read.claim(ClaimKind.ADOPTION, date.start, date.end, date.date))
    spans = [(y.start, y.end) for y in year_ranges] + [(d.start, d.end) for d in dates]
    claims += _years(read, spans)
    for number in numbers:
        if number.percent and not number.reference:
            claims.append(read.claim(ClaimKind.PERCENT, number.start, number.end, number.value))
    folded = fold_with_origin(text)
    for status in _STATUS.finditer(folded.text):
        start, end = folded.start(status.start()), folded.end(status.end())
        claims.append(read.claim(ClaimKind.STATUS, start, end, status.lastgroup))
    for amount in find_amounts(text, default_country=default_country):
        if not amount.equivalent:
            claims.append(
                read.claim(ClaimKind.AMOUNT, amount.start, amount.end, amount.value, currency=amount.currency)
            )
    return _without_overlaps(claims)


def _without_overlaps(claims: list[Claim]) -> list[Claim]:
    kept: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (c.start, -(c.end - c.start))):
        if all(claim.start >= other.end or claim.end <= other.start for other in kept):
            kept.append(claim)
    return kept
