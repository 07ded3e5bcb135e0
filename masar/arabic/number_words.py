"""Numbers in running Arabic text: digits, number words, ordinals, scales and percentages.

Official texts write a figure as digits (Western, Eastern ٠-٩ or Persian ۰-۹), as words (مائة وثمانية
وثلاثون), or as digits and a scale word (109،9 مليار). The words are read by their grammar, not by a
list of phrases: a number is hundreds, then units or teens, then tens, each part after the first joined
by و, and a scale (ألف, مليون, مليار) multiplies what comes before it. Masculine, feminine, case and
dual forms are all accepted, and so is every spelling that normalize.fold() makes equal.

Nothing is guessed silently: a lone separator followed by three digits ("1,200": 1.2 or 1200?) is read by
the decimal mark given (the Arabic pages' comma by default) and the match says it was ambiguous; vague
quantities (آلاف, مئات, بضعة) are not numbers; a leading dash is a bullet, not a minus sign.
"""

import enum
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from masar.arabic.numbers import NumberError, parse_number
from masar.arabic.spans import WORD, Folded, fold_with_origin

_UNITS = {
    "واحد": 1,
    "واحده": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثنتان": 2,
    "ثنتين": 2,
    "ثلاثه": 3,
    "ثلاث": 3,
    "اربعه": 4,
    "اربع": 4,
    "خمسه": 5,
    "خمس": 5,
    "سته": 6,
    "ست": 6,
    "سبعه": 7,
    "سبع": 7,
    "ثمانيه": 8,
    "ثماني": 8,
    "ثمان": 8,
    "تسعه": 9,
    "تسع": 9,
    "عشره": 10,
    "عشر": 10,
    # The accusative, written with alif: "تضم واحداً وعشرين مشروعاً", "ثلاثاً وعشرين".
    "واحدا": 1,
    "ثلاثا": 3,
    "اربعا": 4,
    "خمسا": 5,
    "ستا": 6,
    "سبعا": 7,
    "ثمانيا": 8,
    "تسعا": 9,
}
# Forms of one and two that only open a teen (أحد عشر, اثنتا عشرة): alone, أحد and إحدى mean "one of".
_TEEN_HEADS = {"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
_TEEN_TAILS = frozenset({"عشر", "عشره"})
_TENS = {
    stem + ending: value
    for stem, value in (
        ("عشر", 20),
        ("ثلاث", 30),
        ("اربع", 40),
        ("خمس", 50),
        ("ست", 60),
        ("سبع", 70),
        ("ثمان", 80),
        ("تسع", 90),
    )
    for ending in ("ون", "ين")
}
_HUNDRED = ("مايه", "ميه")  # مائة, مئة, ماية as fold() writes them
_HUNDREDS = {word: 100 for word in _HUNDRED} | {
    stem + ending: 200 for stem in ("مايت", "ميت") for ending in ("ان", "ين", "ا", "ي")
}
for _stem, _value in (
    ("ثلاث", 3),
    ("اربع", 4),
    ("خمس", 5),
    ("ست", 6),
    ("سبع", 7),
    ("ثمان", 8),
    ("ثماني", 8),
    ("تسع", 9),
):
    for _word in _HUNDRED:
        _HUNDREDS[_stem + _word] = _value * 100


class _Form(enum.Enum):
    SINGULAR = "singular"  # ألف: one thousand alone, or the thousands of a count before it
    DUAL = "dual"  # ألفان: two thousand, never after a count
    COUNTED = "counted"  # ألفا (accusative after 11-99), آلاف (plural after 3-10): only after a count


_THOUSAND, _MILLION, _BILLION, _TRILLION = 10**3, 10**6, 10**9, 10**12
_SCALES: dict[str, tuple[int, _Form]] = {}
for _scale, _singular, _duals, _counted in (
    (_THOUSAND, ("الف",), ("الفان", "الفين", "الفي"), ("الفا", "الاف")),
    (_MILLION, ("مليون",), ("مليونان", "مليونين", "مليوني"), ("مليونا", "ملايين")),
    (_BILLION, ("مليار", "بليون"), ("ملياران", "مليارين", "بليونان", "بليونين"), ("مليارا", "مليارات", "بلايين")),
    (_TRILLION, ("تريليون", "ترليون"), ("تريليونان", "تريليونين"), ("تريليونا", "تريليونات")),
):
    _SCALES |= {word: (_scale, _Form.SINGULAR) for word in _singular}
    _SCALES |= {word: (_scale, _Form.DUAL) for word in _duals}
    _SCALES |= {word: (_scale, _Form.COUNTED) for word in _counted}

_ORDINALS = {
    "اول": 1,
    "اولي": 1,
    "ثاني": 2,
    "ثانيه": 2,
    "ثالث": 3,
    "ثالثه": 3,
    "رابع": 4,
    "رابعه": 4,
    "خامس": 5,
    "خامسه": 5,
    "سادس": 6,
    "سادسه": 6,
    "سابع": 7,
    "سابعه": 7,
    "ثامن": 8,
    "ثامنه": 8,
    "تاسع": 9,
    "تاسعه": 9,
    "عاشر": 10,
    "عاشره": 10,
}
_COMPOUND_ONE = frozenset({"حادي", "حاديه"})  # الحادي عشر, الحادية والعشرون: one only inside a compound

# Letters a word may carry before a number: a conjunction, then a preposition, then the article.
_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
_ARTICLES = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال")
# Month names that contain an ordinal (تشرين الأول, جمادى الآخرة): the ordinal belongs to the month.
_MONTH_HEADS = frozenset({"تشرين", "كانون", "ربيع", "جمادي"})


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def _adjacent(text: str, tokens: list[_Token], index: int) -> bool:
    """Return whether token index follows the one before it with only spaces between."""
    return index > 0 and not text[tokens[index - 1].end : tokens[index].start].strip()


class _Cardinal:
    """The parts of a cardinal number read so far, refusing a part that cannot come next."""

    def __init__(self) -> None:
        self.total = 0
        self.hundreds = 0
        self.units = 0
        self.tens = 0
        self.parts = 0
        self.last_scale = _TRILLION * 1000

    @property
    def group(self) -> int:
        return self.hundreds + self.units + self.tens

    @property
    def value(self) -> int:
        return self.total + self.group

    def add(self, word: str, value: int | None, *, joined: bool) -> bool:
        """Add one part (value given for a teen already read); joined says it came with و."""
        opening = self.parts == 0 or joined
        if value is None and word in _HUNDRED and not joined and self.parts and self._multiplies():
            self.hundreds, self.units = self.units * 100, 0  # ثلاث مائة
        elif value is not None or word in _UNITS:
            if self.units or self.tens or not opening:
                return False
            self.units = value if value is not None else _UNITS[word]
        elif word in _TENS:
            if self.tens or self.units >= 10 or not opening:
                return False
            self.tens = _TENS[word]
        elif word in _HUNDREDS:
            if self.group or not opening:
                return False
            self.hundreds = _HUNDREDS[word]
        elif word in _SCALES:
            return self._scale(*_SCALES[word], joined=joined)
        else:
            return False
        self.parts += 1
        return True

    def _multiplies(self) -> bool:
        return 3 <= self.units <= 9 and not self.hundreds and not self.tens

    def _scale(self, scale: int, form: _Form, *, joined: bool) -> bool:
        if scale >= self.last_scale:
            return False
        if self.group:
            if joined or form is _Form.DUAL:
                return False
            count = self.group
        elif (self.parts == 0 or joined) and form is not _Form.COUNTED:
            count = 2 if form is _Form.DUAL else 1
        else:
            return False
        self.total += count * scale
        self.hundreds = self.units = self.tens = 0
        self.last_scale = scale
        self.parts += 1
        return True


def _teen(tokens: list[_Token], index: int, word: str, text: str) -> int | None:
    """Return the teen that word opens with the next token (ثلاثة عشر, إحدى عشرة), or None."""
    head = _TEEN_HEADS.get(word, _UNITS.get(word, 0))
    following = index + 1
    if not 1 <= head <= 9 or following >= len(tokens) or not _adjacent(text, tokens, following):
        return None
    return head + 10 if tokens[following].word in _TEEN_TAILS else None


def _outside(prefix: str) -> int:
    """Return how many letters of a prefix stand outside the number: the article belongs to it."""
    if prefix.endswith("ال"):
        return len(prefix) - 2
    return len(prefix) - 1 if prefix.endswith("لل") else len(prefix)


def _first_forms(word: str, *, article: bool) -> list[tuple[str, str]]:
    """Return (prefix, bare word) for each way the first word of a number can be read."""
    forms = [(p, word[len(p) :]) for p in _PREFIXES if word.startswith(p) and len(word) > len(p) + 1]
    if article:
        forms += [(a, word[len(a) :]) for a in _ARTICLES if word.startswith(a) and len(word) > len(a) + 1]
    return forms


def _cardinal_first(word: str) -> list[tuple[str, str]]:
    forms = []
    for prefix, bare in _first_forms(word, article=True):
        with_article = prefix.endswith(("ال", "لل"))
        small = bare in _UNITS or bare in _TENS or bare in _TEEN_HEADS
        if with_article and (not small or _UNITS.get(bare) == 2 or bare in ("ست", "سبع")):
            continue  # الاثنين is Monday, السبع and الست are words; never بالمائة or الآلاف
        if small or bare in _HUNDREDS or bare in _SCALES:
            forms.append((prefix, bare))
    return forms


def _read_cardinal(text: str, tokens: list[_Token], index: int) -> tuple[int, int, int] | None:
    """Return (value, prefix length, index after the last token) of the cardinal starting at index."""
    for prefix, word in _cardinal_first(tokens[index].word):
        number = _Cardinal()
        position = _feed(number, text, tokens, index, word, joined=False)
        if position is None:
            continue
        while position < len(tokens) and _adjacent(text, tokens, position):
            following = _next_part(number, text, tokens, position)
            if following is None:
                break
            position = following
        return number.value, _outside(prefix), position
    return None


def _next_part(number: _Cardinal, text: str, tokens: list[_Token], index: int) -> int | None:
    word = tokens[index].word
    if word == "و" and index + 1 < len(tokens) and _adjacent(text, tokens, index + 1):
        return _feed(number, text, tokens, index + 1, tokens[index + 1].word, joined=True)
    forms = [(word, False)] + ([(word[1:], True)] if word.startswith("و") and len(word) > 2 else [])
    for bare, joined in forms:
        position = _feed(number, text, tokens, index, bare, joined=joined)
        if position is not None:
            return position
    return None


def _feed(number: _Cardinal, text: str, tokens: list[_Token], index: int, word: str, *, joined: bool) -> int | None:
    """Add the part at index to number; return the index after it, or None when it does not fit."""
    teen = _teen(tokens, index, word, text)
    if teen is not None:
        return index + 2 if number.add(word, teen, joined=joined) else None
    if word in _TEEN_HEADS:
        return None
    return index + 1 if number.add(word, None, joined=joined) else None


def _read_ordinal_at(text: str, tokens: list[_Token], index: int, *, article: bool) -> tuple[int, int, int] | None:
    """Return (value, prefix length, index after) of an ordinal starting at index (الأول, الحادي والعشرون)."""
    word = tokens[index].word
    forms = [(_outside(a), word[len(a) :]) for a in _ARTICLES if word.startswith(a)]
    if not article:
        forms.append((0, word))
    for prefix, bare in forms:
        if bare in _TENS:
            return _TENS[bare], prefix, index + 1
        unit = 1 if bare in _COMPOUND_ONE else _ORDINALS.get(bare, 0)
        if not unit:
            continue
        following = index + 1
        nxt = tokens[following].word if following < len(tokens) and _adjacent(text, tokens, following) else ""
        if unit < 10 and bare not in ("اول", "اولي"):
            if nxt in _TEEN_TAILS:
                return unit + 10, prefix, following + 1
            for joiner in ("وال", "و"):
                if nxt.startswith(joiner) and nxt[len(joiner) :] in _TENS:
                    return unit + _TENS[nxt[len(joiner) :]], prefix, following + 1
        if bare not in _COMPOUND_ONE:
            return unit, prefix, following
    return None


def read_number_words(text: str) -> Decimal | None:
    """Return the number text writes in Arabic words (مائة وثمانية وثلاثون: 138), or None.

    The whole text must be the number (spaces around it aside); a word that is not part of it makes
    the answer None rather than a number read from half the text.
    """
    folded = fold_with_origin(text.strip()).text
    tokens = _tokens(folded)
    if not tokens or folded[: tokens[0].start].strip() or folded[tokens[-1].end :].strip():
        return None
    read = _read_cardinal(folded, tokens, 0)
    if read is None or read[1] or read[2] != len(tokens):
        return None
    return Decimal(read[0])


def read_ordinal(text: str) -> int | None:
    """Return the rank an Arabic ordinal names (الأول, الثانية, الحادي عشر, الحادية والثلاثون), or None."""
    folded = fold_with_origin(text.strip()).text
    tokens = _tokens(folded)
    if not tokens or folded[: tokens[0].start].strip() or folded[tokens[-1].end :].strip():
        return None
    read = _read_ordinal_at(folded, tokens, 0, article=False)
    if read is None or read[1] or read[2] != len(tokens):
        return None
    return read[0]


class Written(enum.Enum):
    """How a number was written in the text."""

    DIGITS = "digits"  # Western digits 0-9
    EASTERN_DIGITS = "eastern_digits"  # Arabic-Indic ٠-٩ or Persian ۰-۹
    WORDS = "words"  # cardinal words: ثلاثة, مائة وثمانية وثلاثون
    ORDINAL = "ordinal"  # ordinal words: الأول, الحادية عشرة


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text.

    start and end are offsets into the text as given; the span covers the number with its scale word and
    percent sign or words ("109،9 مليار", "60 في المائة"), not the counted noun. value has the scale
    applied. noun is the word right after (folded, without the accusative alef: مشروعا gives مشروع), None
    when a preposition or nothing follows. ambiguous says a lone separator before three digits was read by
    the decimal mark given. reference says the number names a text, article or record (الأمر عدد 12,
    القانون رقم 12.34, الفصل 3), not a quantity.
    """

    start: int
    end: int
    text: str
    value: Decimal
    written: Written
    scale: int = 1
    percent: bool = False
    noun: str | None = None
    ambiguous: bool = False
    reference: bool = False


_DIGITS = re.compile(
    r"(?<![\d.,٫٬،])(?:\d{1,3}(?: \d{3})+(?![\d٫٬]|[.,،]\d)(?:[.,٫،]\d+)?|\d+(?:[.,٫٬،\u00a0\u202f\u2009]\d+)*)"
)
_WESTERN = frozenset("0123456789")
_SCALE_AFTER = re.compile(
    r"\s*(ملايين|مليونا|مليون|مليارات|مليارا|مليار|بلايين|بليونا|بليون|تريليونات|تريليون|ترليون|الاف|الفا|الف"
    r"|millions?|milliards?|billions?|mille|thousands?|mln|mds?)(?![^\W\d_])"
)
_SCALE_VALUES = {
    "مليون": _MILLION,
    "مليونا": _MILLION,
    "ملايين": _MILLION,
    "مليار": _BILLION,
    "مليارا": _BILLION,
    "مليارات": _BILLION,
    "بليون": _BILLION,
    "بليونا": _BILLION,
    "بلايين": _BILLION,
    "تريليون": _TRILLION,
    "ترليون": _TRILLION,
    "تريليونات": _TRILLION,
    "الف": _THOUSAND,
    "الفا": _THOUSAND,
    "الاف": _THOUSAND,
    "million": _MILLION,
    "millions": _MILLION,
    "mln": _MILLION,
    "milliard": _BILLION,
    "milliards": _BILLION,
    "md": _BILLION,
    "mds": _BILLION,
    "billion": _BILLION,
    "billions": _BILLION,
    "mille": _THOUSAND,
    "thousand": _THOUSAND,
    "thousands": _THOUSAND,
}
_PERCENT_AFTER = re.compile(
    r"\s*(?:%|٪|(?:ب|في\s*)ال(?:مايه|ميه)(?![^\W\d_])|pour\s*cents?\b|per\s*cent\b|percent\b)", re.IGNORECASE
)
_LOOK_BEHIND = 40
_PERCENT_BEFORE = re.compile(r"(?<![\d.,٫٬،])[%٪]\s*$")
_REFERENCE_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:رقم|عدد|ال?فصل|ال?ماده|ال?بند|ال?فقره|n°|nº|no\.|art\.|article)|№)\s*:?\s*[(\-]?\s*$"
)
_NOUN_AFTER = re.compile(r"[\s/]*([^\W\d_]+)")
_NOT_NOUNS = frozenset(
    "من في الي علي عن مع او و ثم حتي منذ الا ان ما لا قد هو هي هذا هذه ذلك تلك التي الذي خلال بين عند "
    "لسنه لعام سنه عام اي et de du des la le les a au aux en ou of in and to the".split()
)


def _digit_value(digits: str, decimal_mark: str) -> tuple[Decimal, bool] | None:
    """Return (value, ambiguous) of digits as written, or None when its separators make no number."""
    try:
        value = parse_number(digits.replace("،", "٫"), decimal_mark=decimal_mark, percent=False)
    except NumberError:
        return None
    marks = [c for c in digits if not c.isdigit()]
    whole, fraction = re.split("[.,]", digits, maxsplit=1) if marks in ([","], ["."]) else (digits, "")
    ambiguous = len(fraction) == 3 and len(whole) <= 3 and not whole.startswith("0")
    return value, ambiguous


def _integral(value: Decimal) -> Decimal:
    """Return value without a zero fraction left by a scale (109.9 × 10⁹ is 109900000000, not ….0)."""
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _noun(folded: Folded, position: int) -> str | None:
    match = _NOUN_AFTER.match(folded.text, position)
    if match is None:
        return None
    word = match.group(1)
    if word in _NOT_NOUNS or (word.startswith("و") and word[1:] in _NOT_NOUNS):
        return None
    written = folded.original[folded.start(match.start(1)) : folded.end(match.end(1))]
    bare = re.sub("[\u064b-\u065f\u0670\u0640]", "", written)
    if len(word) > 3 and bare.endswith("ا") and not bare.endswith(("اا", "يا")):
        return word[:-1]  # the accusative of a counted noun (مشروعًا, برنامجاً)
    return word


def _extend(folded: Folded, match: NumberMatch, end: int, percent_before: bool) -> tuple[NumberMatch, int]:
    """Return match widened over a scale word and a percent written after it, and its folded end."""
    scale = 1
    if not percent_before and (found := _SCALE_AFTER.match(folded.text, end)):
        scale = _SCALE_VALUES[found.group(1).lower()]
        end = found.end()
    percent = percent_before
    if not percent and (found := _PERCENT_AFTER.match(folded.text, end)):
        percent, end = True, found.end()
    noun = None if percent else _noun(folded, end)
    widened = replace(
        match,
        end=folded.end(end),
        value=_integral(match.value * scale),
        scale=scale,
        percent=percent,
        noun=noun,
    )
    return replace(widened, text=folded.original[widened.start : widened.end]), end


def _digit_matches(folded: Folded, decimal_mark: str) -> list[tuple[NumberMatch, int, int]]:
    found = []
    for match in _DIGITS.finditer(folded.text):
        pieces = [(match.start(), match.group())]
        read = _digit_value(match.group(), decimal_mark)
        if read is None:  # "1,2,3": each run of digits on its own
            pieces = [(match.start() + m.start(), m.group()) for m in re.finditer(r"\d+", match.group())]
        for offset, digits in pieces:
            value, ambiguous = read if read is not None and len(pieces) == 1 else (Decimal(int(digits)), False)
            # A window before the digits is enough for a sign or "رقم", and keeps a long text's reading linear.
            window = max(0, offset - _LOOK_BEHIND)
            before = folded.text[window:offset]
            sign = _PERCENT_BEFORE.search(before)
            percent_before = sign is not None
            start = window + sign.start() if sign is not None else offset
            number = NumberMatch(
                start=folded.start(start),
                end=folded.end(offset + len(digits)),
                text="",
                value=value,
                written=Written.DIGITS if {c for c in digits if c.isdigit()} <= _WESTERN else Written.EASTERN_DIGITS,
                percent=percent_before,
                ambiguous=ambiguous,
                reference=bool(_REFERENCE_BEFORE.search(before)),
            )
            after = offset + len(digits)
            if offset > 0 and folded.text[offset - 1] == "(" and folded.text[after : after + 1] == ")":
                # "(١٨) مشروعاً بتكلفة (٣٦) مليار ريال": the count or amount goes on past its parenthesis.
                after += 1
            widened, end = _extend(folded, number, after, percent_before)
            found.append((widened, start, end))
    return found


def _word_matches(folded: Folded, taken: list[tuple[int, int]]) -> list[NumberMatch]:
    text = folded.text
    tokens = _tokens(text)
    taken = sorted(taken)
    taken_starts = [start for start, _ in taken]
    found = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        at = bisect_right(taken_starts, token.start) - 1
        if at >= 0 and token.start < taken[at][1]:
            index += 1
            continue
        after_month_head = index > 0 and tokens[index - 1].word in _MONTH_HEADS and _adjacent(text, tokens, index)
        read = _read_cardinal(text, tokens, index)
        written = Written.WORDS
        if read is None and not after_month_head:
            read, written = _read_ordinal_at(text, tokens, index, article=True), Written.ORDINAL
        if read is None:
            index += 1
            continue
        value, prefix, following = read
        start = token.start + prefix
        number = NumberMatch(folded.start(start), 0, "", Decimal(value), written)
        match, _ = _extend(folded, number, tokens[following - 1].end, False)
        if written is Written.ORDINAL:
            match = replace(match, noun=None)
        found.append(match)
        index = following
    return found


def find_numbers(text: str, *, decimal_mark: str = ",") -> list[NumberMatch]:
    """Return every number written in text, in reading order.

    decimal_mark only decides a lone separator that could be read both ways ("1,200"); the Arabic
    comma ، and ٫ between digits are decimal marks, a comma followed by a space separates a list.
    """
    return list(_numbers_in(text, decimal_mark))


@lru_cache(maxsize=32)
def _numbers_in(text: str, decimal_mark: str) -> tuple[NumberMatch, ...]:
    # Several readers of one text (kind, plan, amounts, dates) ask for its numbers: they are read once.
    folded = fold_with_origin(text)
    digits = _digit_matches(folded, decimal_mark)
    words = _word_matches(folded, [(start, end) for _, start, end in digits])
    return tuple(sorted([match for match, _, _ in digits] + words, key=lambda match: match.start))
