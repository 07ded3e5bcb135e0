"""Arabic text as people type it: normalization, digits and month names.

No Django import here: search, imports and document intake share this library.
"""

from masar.arabic.amounts import AmountMatch, find_amounts  # noqa: F401
from masar.arabic.dates import MONTHS, DateMatch, YearRange, find_dates, find_year_ranges, parse_month  # noqa: F401
from masar.arabic.normalize import fold, normalize_digits, strip_marks  # noqa: F401
from masar.arabic.number_words import NumberMatch, find_numbers, read_number_words, read_ordinal  # noqa: F401
from masar.arabic.numbers import NumberError, NumberProblem, decimal_mark_of, parse_number  # noqa: F401
