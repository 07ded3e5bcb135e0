"""Arabic month names as written across the Arab world, and the dates and year ranges of running text."""

import datetime
import enum
import re
from dataclasses import dataclass

from masar.arabic.normalize import fold, normalize_digits
from masar.arabic.number_words import read_number_words, read_ordinal
from masar.arabic.spans import Folded, fold_with_origin

# Each month in its Mashriq/Egyptian, Maghreb (Tunisia/Algeria, Morocco) and Levant names.
MONTHS = {
    1: ("يناير", "جانفي", "كانون الثاني", "كانون ثاني"),
    2: ("فبراير", "فيفري", "شباط"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "أفريل", "نيسان"),
    5: ("مايو", "ماي", "أيار"),
    6: ("يونيو", "يونيه", "جوان", "حزيران"),
    7: ("يوليو", "يوليوز", "يوليه", "جويلية", "تموز"),
    8: ("أغسطس", "غشت", "أوت", "آب"),
    9: ("سبتمبر", "شتنبر", "أيلول"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول"),
    11: ("نوفمبر", "نونبر", "تشرين الثاني", "تشرين ثاني"),
    12: ("ديسمبر", "دجنبر", "كانون الأول", "كانون أول"),
}
_BY_NAME = {fold(name): number for number, names in MONTHS.items() for name in names}
# Longest names first so "تشرين الثاني" wins over a shorter prefix.
_PATTERN = re.compile("|".join(sorted((re.escape(k) for k in _BY_NAME), key=len, reverse=True)))


def parse_month(text: str) -> int | None:
    """Return the month number named in text (any regional name, any spelling), or None."""
    match = _PATTERN.search(fold(text))
    return _BY_NAME[match.group(0)] if match else None


# Finding dates in running text -------------------------------------------------------------------

# French and English names, read in running text only (parse_month stays with the Arabic ones).
_LATIN_MONTHS = {
    1: ("janvier", "january", "jan"),
    2: ("février", "fevrier", "february", "feb"),
    3: ("mars", "march"),
    4: ("avril", "april"),
    5: ("mai", "may"),
    6: ("juin", "june"),
    7: ("juillet", "july"),
    8: ("août", "aout", "august"),
    9: ("septembre", "september", "sept"),
    10: ("octobre", "october", "oct"),
    11: ("novembre", "november", "nov"),
    12: ("décembre", "decembre", "december", "dec"),
}
HIJRI_MONTHS = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع الاول"),
    4: ("ربيع الآخر", "ربيع الثاني"),
    5: ("جمادى الأولى", "جمادى الاولى"),
    6: ("جمادى الآخرة", "جمادى الثانية"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}


class Calendar(enum.Enum):
    """The calendar a date is written in."""

    GREGORIAN = "gregorian"
    HIJRI = "hijri"


class Precision(enum.Enum):
    """How much of a date the text gives."""

    DAY = "day"
    MONTH = "month"  # month and year, no day: نهاية شهر دجنبر 2020
    YEAR = "year"  # a Hijri year alone: 1443 هـ


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text.

    start and end are offsets into the text as given, covering the weekday, day, month, year and a
    calendar mark (هـ, م) when written. date is the Gregorian date when the day is known, None otherwise
    (precision says what is known: year and month are then in their own fields). A Hijri date is kept in
    its own calendar (calendar is HIJRI, date is None): converting it needs the official calendar of the
    country (Umm al-Qura or sighting), which an arithmetical rule gets wrong by a day or two.
    """

    start: int
    end: int
    text: str
    year: int
    month: int | None
    day: int | None
    calendar: Calendar
    precision: Precision
    date: datetime.date | None


@dataclass(frozen=True)
class YearRange:
    """A span of years written in a text (2021-2030, من 2021 إلى 2023); start and end are offsets."""

    start: int
    end: int
    text: str
    start_year: int
    end_year: int


def _alternation(names: dict[str, int]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_GREGORIAN_NAMES = _BY_NAME | {fold(name): number for number, names in _LATIN_MONTHS.items() for name in names}
_HIJRI_NAMES = {fold(name): number for number, names in HIJRI_MONTHS.items() for name in names}
_HIJRI_MARK = r"(?:هجري(?:ه)?|للهجره|ه)"
_CALENDAR_MARK = rf"(?:\s*(?P<mark>{_HIJRI_MARK}|م|ميلادي(?:ه)?|للميلاد)\.?(?![^\W\d_]))?"
_WEEKDAY = r"(?:(?:يوم\s+)?ال(?:اثنين|ثلاثا|اربعا|خميس|جمعه|سبت|احد)\s*[،,]?\s*)?"
_DAY = r"(?P<day>\d{1,2}|[^\W\d_]+(?:\s+[^\W\d_]+)?)(?:er)?"
_YEAR_INTRO = r"(?:(?:من\s+)?(?:ل|ب)?(?:ال)?(?:سنه|عام)\s+)?"
_WRITTEN = re.compile(
    rf"(?<![^\W\d_]){_WEEKDAY}(?:{_DAY}\s+(?:من\s+)?)?(?P<head>(?:شهر\s+)?)"
    rf"(?:(?P<gregorian>{_alternation(_GREGORIAN_NAMES)})|(?P<hijri>{_alternation(_HIJRI_NAMES)}))"
    rf"(?![^\W\d_])\s*[،,]?\s*{_YEAR_INTRO}(?P<year>\d{{4}}|1\d{{3}}){_CALENDAR_MARK}"
)
_NUMERIC = re.compile(
    r"(?<![\d.,/-])(?:(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"|(?P<year2>\d{4})(?P<sep2>[/.-])(?P<month2>\d{1,2})(?P=sep2)(?P<day2>\d{1,2}))(?![\d]|[.,/-]\d)" + _CALENDAR_MARK
)
_HIJRI_YEAR = re.compile(rf"(?<![\d.,/-])(?P<year>\d{{3,4}})\s*{_HIJRI_MARK}(?![^\W\d_])")
# Days written as words: فاتح (Morocco) and غرة (Hijri) name the first day of a month.
_FIRST_DAY = frozenset({"فاتح", "غره", "اول", "مستهل"})
# A numeric date whose year falls here is Hijri even without its mark (1443/05/12).
_HIJRI_YEARS = range(1300, 1501)


def _day_value(written: str) -> int | None:
    word = written.strip()
    if word.isdigit() or any(c.isdigit() for c in word):
        return int(normalize_digits(word)) if normalize_digits(word).isdigit() else None
    if word in _FIRST_DAY:
        return 1
    ordinal = read_ordinal(word)
    if ordinal is not None:
        return ordinal
    number = read_number_words(word)
    return int(number) if number is not None and number == int(number) else None


def _make(
    folded: Folded, start: int, end: int, parts: tuple[int, int | None, int | None], hijri: bool
) -> DateMatch | None:
    year, month, day = parts
    calendar = Calendar.HIJRI if hijri else Calendar.GREGORIAN
    precision = Precision.DAY if day is not None else Precision.MONTH if month is not None else Precision.YEAR
    gregorian = None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and hijri and not 1 <= day <= 30:
        return None
    if day is not None and month is not None and not hijri:
        try:
            gregorian = datetime.date(year, month, day)
        except ValueError:
            return None
    original_start, original_end = folded.start(start), folded.end(end)
    text = folded.original[original_start:original_end]
    return DateMatch(original_start, original_end, text, year, month, day, calendar, precision, gregorian)


def _day_of(match: re.Match[str]) -> tuple[int, int | None]:
    """Return where the date starts and its day; words before the month that are no day stay outside."""
    written = match.group("day")
    if not written:
        return match.start(), None
    if (day := _day_value(written)) is not None:
        return match.start(), day
    last = written.split()[-1]
    if " " in written and (day := _day_value(last)) is not None:
        return match.start("day") + written.rindex(last), day  # "في فاتح يناير": في is no part of it
    if last == "شهر":
        return match.start("day") + written.rindex(last), None  # "خلال شهر مارس 2021"
    return match.start("head"), None  # "نهاية شهر دجنبر 2020"


def _written_dates(folded: Folded) -> list[DateMatch]:
    found = []
    for match in _WRITTEN.finditer(folded.text):
        start, day = _day_of(match)
        hijri_month = match.group("hijri") is not None
        mark = match.group("mark") or ""
        hijri = hijri_month or (mark not in ("", "م") and not mark.startswith("ميلادي") and mark != "للميلاد")
        if hijri != hijri_month:
            continue  # a Gregorian month with a Hijri year, or the reverse, is not a date we can read
        month = _HIJRI_NAMES[match.group("hijri")] if hijri_month else _GREGORIAN_NAMES[match.group("gregorian")]
        year = int(normalize_digits(match.group("year")))
        date = _make(folded, start, match.end(), (year, month, day), hijri)
        if date is not None:
            found.append(date)
    return found


def _numeric_dates(folded: Folded) -> list[DateMatch]:
    found = []
    for match in _NUMERIC.finditer(folded.text):
        day, month, year = (match.group(n) or match.group(n + "2") for n in ("day", "month", "year"))
        year_value = int(normalize_digits(year))
        mark = match.group("mark") or ""
        hijri = mark.startswith(("ه", "لله")) or (year_value in _HIJRI_YEARS and mark == "")
        parts = (year_value, int(normalize_digits(month)), int(normalize_digits(day)))
        date = _make(folded, match.start(), match.end(), parts, hijri)
        if date is not None:
            found.append(date)
    return found


def find_dates(text: str) -> list[DateMatch]:
    """Return every date written in text, in reading order.

    Read: "31/8/2021", "2021-08-31", "31.08.2021" (day first, as Arab countries write it); "31 أوت 2021",
    "٣١ أغسطس ٢٠٢١", "الثلاثاء 31 غشت 2021", "الحادي والثلاثين من شهر آب سنة 2021", "فاتح يناير 2021",
    month names of the Mashriq, the Maghreb and the Levant, French and English; a month and a year
    without a day; Hijri dates ("15 رمضان 1443 هـ", "1443 هـ"), kept Hijri. A year alone ("لسنة 2021") and
    a day and month without a year are not dates here.
    """
    folded = fold_with_origin(text)
    found = _written_dates(folded)
    for date in _numeric_dates(folded) + _hijri_years(folded):
        if all(date.end <= other.start or date.start >= other.end for other in found):
            found.append(date)
    return sorted(found, key=lambda date: date.start)


def _hijri_years(folded: Folded) -> list[DateMatch]:
    found = []
    for match in _HIJRI_YEAR.finditer(folded.text):
        date = _make(folded, match.start(), match.end(), (int(normalize_digits(match.group("year"))), None, None), True)
        if date is not None:
            found.append(date)
    return found


_RANGES = (
    re.compile(r"(?<![\d.,/-])(?P<first>\d{4})\s*[-–—/]\s*(?P<last>\d{4})(?![\d]|[.,/-]\d)"),
    re.compile(
        r"(?<![^\W\d_])(?:[وف]?من|بين|from|de|entre|between)\s+(?:(?:ال)?(?:عام|سنه)(?:ي|ين)?\s+)?(?P<first>\d{4})"
        r"\s+(?:(?:و\s*)?(?:حتي|الي|لغايه|غايه)\s+|و\s*|to\s+|à\s+|a\s+|et\s+|and\s+)"
        r"(?:(?:ال)?(?:عام|سنه)\s+)?(?P<last>\d{4})(?!\d)"
    ),
)
_LONGEST_RANGE = 100


def find_year_ranges(text: str) -> list[YearRange]:
    """Return every span of years written in text (2021-2030, من العام 2021 وحتى العام 2023), in reading order.

    The first year must come before the last and the span last at most a century, so a decree number
    and its year ("1234/2021") are not a range.
    """
    folded = fold_with_origin(text)
    found: list[YearRange] = []
    for pattern in reversed(_RANGES):
        for match in pattern.finditer(folded.text):
            first, last = (int(normalize_digits(match.group(g))) for g in ("first", "last"))
            if not 0 < last - first <= _LONGEST_RANGE:
                continue
            start, end = folded.start(match.start()), folded.end(match.end())
            if all(end <= other.start or start >= other.end for other in found):
                found.append(YearRange(start, end, text[start:end], first, last))
    return sorted(found, key=lambda years: years.start)
