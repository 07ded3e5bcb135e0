"""Arabic text as people type it: normalization, digits and month names.

No Django import here: search, imports and document intake share this library.
"""

from masar.arabic.dates import MONTHS, parse_month  # noqa: F401
from masar.arabic.normalize import fold, normalize_digits, strip_marks  # noqa: F401
from masar.arabic.numbers import NumberError, NumberProblem, decimal_mark_of, parse_number  # noqa: F401
