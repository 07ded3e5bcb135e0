"""Read an id a request names (a query parameter, a form value, a key): one parser for every door.

An id is written in ASCII digits and fits a 64-bit signed integer, the widest key a database
here holds. Anything else names no record: "²" and "٣" pass str.isdigit() yet int() refuses the
first and reads the second; 20 digits overflow SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """Return the id value names (ASCII digits, 1 to 2**63 - 1), or None when it names none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip() if isinstance(value, str) else ""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
