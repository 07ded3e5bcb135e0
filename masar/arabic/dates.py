"""Arabic month names as written across the Arab world, for reading dates people type."""

import re

from masar.arabic.normalize import fold

# Each month in its Mashriq/Egyptian, Maghreb (Tunisia/Algeria, Morocco) and Levant names.
MONTHS = {
    1: ("يناير", "جانفي", "كانون الثاني"),
    2: ("فبراير", "فيفري", "شباط"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "أفريل", "نيسان"),
    5: ("مايو", "ماي", "أيار"),
    6: ("يونيو", "يونيه", "جوان", "حزيران"),
    7: ("يوليو", "يوليوز", "يوليه", "جويلية", "تموز"),
    8: ("أغسطس", "غشت", "أوت", "آب"),
    9: ("سبتمبر", "شتنبر", "أيلول"),
    10: ("أكتوبر", "تشرين الأول"),
    11: ("نوفمبر", "نونبر", "تشرين الثاني"),
    12: ("ديسمبر", "دجنبر", "كانون الأول"),
}
_BY_NAME = {fold(name): number for number, names in MONTHS.items() for name in names}
# Longest names first so "تشرين الثاني" wins over a shorter prefix.
_PATTERN = re.compile("|".join(sorted((re.escape(k) for k in _BY_NAME), key=len, reverse=True)))


def parse_month(text: str) -> int | None:
    """Return the month number named in text (any regional name, any spelling), or None."""
    match = _PATTERN.search(fold(text))
    return _BY_NAME[match.group(0)] if match else None
