"""Amounts of money in running text: a number with its scale and a currency, as an ISO 4217 code.

The currency is read from the words around the number (دينار تونسي, 5 ملايين دولار أمريكي, € 30, 12 MDT,
2,5 millions de dinars algériens). A dinar, dirham, lira, pound or riyal written without its country
is given the currency of default_country when that country uses one by that name, and None otherwise:
the reader is told the currency is unknown rather than handed a guess. A bare dollar is the US dollar
(official Arab texts name any other), a bare ouguiya the Mauritanian one (MRU: since 2018, ten old MRO).

A number that names a text (الأمر عدد 12), a percentage or an ordinal is never an amount.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from masar.arabic.number_words import NumberMatch, Written, find_numbers
from masar.arabic.spans import Folded, fold_with_origin

# The currency of each (name, country) pair.
CURRENCIES = {
    ("dinar", "TN"): "TND",
    ("dinar", "DZ"): "DZD",
    ("dinar", "KW"): "KWD",
    ("dinar", "JO"): "JOD",
    ("dinar", "IQ"): "IQD",
    ("dinar", "BH"): "BHD",
    ("dinar", "LY"): "LYD",
    ("dirham", "MA"): "MAD",
    ("dirham", "AE"): "AED",
    ("lira", "SY"): "SYP",
    ("lira", "LB"): "LBP",
    ("lira", "TR"): "TRY",
    ("pound", "EG"): "EGP",
    ("pound", "SD"): "SDG",
    ("pound", "GB"): "GBP",
    ("riyal", "SA"): "SAR",
    ("riyal", "QA"): "QAR",
    ("riyal", "OM"): "OMR",
    ("riyal", "YE"): "YER",
    ("dollar", "US"): "USD",
    ("dollar", "CA"): "CAD",
    ("dollar", "AU"): "AUD",
}
_BARE = {"dollar": "USD", "euro": "EUR", "ouguiya": "MRU"}
ISO_CODES = frozenset(CURRENCIES.values()) | frozenset(_BARE.values())

# Names as fold() writes them: (pattern, name or ISO code, scale the abbreviation carries).
_NAMES: tuple[tuple[str, str, int], ...] = (
    (r"(?:ال)?(?:دينار(?:ا|ان|ين)?|دنانير)", "dinar", 1),
    (r"(?:ال)?(?:درهم(?:ا|ان|ين)?|دراهم)", "dirham", 1),
    (r"(?:ال)?(?:ليره|ليرات|ليرتان|ليرتين)", "lira", 1),
    (r"(?:ال)?(?:جنيه(?:ا|ان|ين|ات)?)", "pound", 1),
    (r"(?:ال)?(?:ريال(?:ا|ان|ين|ات)?)", "riyal", 1),
    (r"(?:ال)?(?:اوقيه|اوقيات)", "ouguiya", 1),
    (r"(?:ال)?(?:يورو|اورو)", "euro", 1),  # أورو as the Maghreb writes it
    (r"(?:ال)?(?:دولار(?:ا|ان|ين|ات)?)", "dollar", 1),
    (r"د\s?\.\s?ت", "TND", 1),
    (r"د\s?\.\s?ج", "DZD", 1),
    (r"د\s?\.\s?ك", "KWD", 1),
    (r"د\s?\.\s?ل", "LYD", 1),
    (r"د\s?\.\s?ع", "IQD", 1),
    (r"د\s?\.\s?ب", "BHD", 1),
    (r"ر\s?\.\s?س", "SAR", 1),
    (r"ر\s?\.\s?ق", "QAR", 1),
    (r"ر\s?\.\s?ع", "OMR", 1),
    (r"ج\s?\.\s?م", "EGP", 1),
    (r"ل\s?\.\s?ل", "LBP", 1),
    (r"ل\s?\.\s?س", "SYP", 1),
    (r"م\s?\.\s?د", "dinar", 10**6),  # مليون دينار, as Tunisian budgets write it
    (r"ا\s?\.\s?د", "dinar", 10**3),  # ألف دينار
    (r"mdt", "TND", 10**6),
    (r"dt", "TND", 1),
    (r"da", "DZD", 1),
    (r"dhs?", "dirham", 1),
    (r"dinars?", "dinar", 1),
    (r"dirhams?", "dirham", 1),
    (r"livres?", "pound", 1),
    (r"pounds?", "pound", 1),
    (r"(?:riyals?|rials?)", "riyal", 1),
    (r"(?:lira|liras|lires?)", "lira", 1),
    (r"ouguiyas?", "ouguiya", 1),
    (r"euros?|€", "euro", 1),
    (r"dollars?|us\$|\$", "dollar", 1),
)
_ISO = "|".join(sorted(c.lower() for c in ISO_CODES))
_NAME = "|".join(f"(?P<n{index}>{pattern})" for index, (pattern, _, _) in enumerate(_NAMES))
_BEFORE = re.compile(rf"(?<![^\W\d_])(?:(?P<iso>{_ISO})|(?P<symbol>us\$|\$|€))\s*$")

# Nationality adjectives, Arabic (after the name, any gender and case) and French/English.
_COUNTRIES = {
    "تونسي": "TN",
    "جزايري": "DZ",
    "كويتي": "KW",
    "اردني": "JO",
    "عراقي": "IQ",
    "بحريني": "BH",
    "ليبي": "LY",
    "مغربي": "MA",
    "اماراتي": "AE",
    "سوري": "SY",
    "لبناني": "LB",
    "تركي": "TR",
    "مصري": "EG",
    "سوداني": "SD",
    "استرليني": "GB",
    "سعودي": "SA",
    "قطري": "QA",
    "عماني": "OM",
    "يمني": "YE",
    "امريكي": "US",
    "اميركي": "US",
    "كندي": "CA",
    "استرالي": "AU",
    "tunisien": "TN",
    "algérien": "DZ",
    "koweïtien": "KW",
    "jordanien": "JO",
    "irakien": "IQ",
    "bahreïni": "BH",
    "libyen": "LY",
    "marocain": "MA",
    "libanais": "LB",
    "syrien": "SY",
    "turc": "TR",
    "turque": "TR",
    "égyptien": "EG",
    "soudanais": "SD",
    "saoudien": "SA",
    "qatari": "QA",
    "omanais": "OM",
    "yéménite": "YE",
    "américain": "US",
    "sterling": "GB",
    "canadien": "CA",
    "australien": "AU",
}
_ADJECTIVE = re.compile(
    r"\s+(?:ال)?(?P<adjective>" + "|".join(sorted(_COUNTRIES, key=len, reverse=True)) + r")"
    r"(?:يه|ه|ا|ين|ون|nes|ne|s|e|es)?(?![^\W\d_])"
)
_ENGLISH = {
    "tunisian": "TN",
    "algerian": "DZ",
    "kuwaiti": "KW",
    "jordanian": "JO",
    "iraqi": "IQ",
    "bahraini": "BH",
    "libyan": "LY",
    "moroccan": "MA",
    "uae": "AE",
    "emirati": "AE",
    "syrian": "SY",
    "lebanese": "LB",
    "turkish": "TR",
    "egyptian": "EG",
    "sudanese": "SD",
    "saudi": "SA",
    "qatari": "QA",
    "omani": "OM",
    "yemeni": "YE",
    "us": "US",
    "american": "US",
    "canadian": "CA",
    "australian": "AU",
}
_AFTER = re.compile(
    r"\s*(?:(?:de|d['’])\s*)?(?:(?P<english>" + "|".join(_ENGLISH) + r")\s+)?"
    rf"(?:(?P<iso>{_ISO})|{_NAME})(?![^\W\d_])"
)

_EQUIVALENT = re.compile(
    r"(?:(?<![^\W\d_])(?:اي\s+|او\s+)?ب?ما\s+(?:يعادل|يوازي|يساوي)(?:\s+(?:حوالي|نحو|قرابه|زهاء|ما\s+يقارب))?"
    r"|(?<![^\W\d_])اي(?:\s+(?:حوالي|نحو|قرابه|ما\s+يقارب))?"
    r"|soit(?:\s+environ)?|l['’]?\s*[ée]quivalent\s+(?:de|d['’])|[ée]quivalent\s+(?:à|a|de|to)|equivalent\s+to)"
    r"\s*[(:]?\s*$"
)
_RESTATED = re.compile(r"\s*\(\s*(?:(?:حوالي|حوالى|نحو|قرابة|زهاء|environ|soit)\s*)?$")
_APPROXIMATE = re.compile(
    r"(?<![^\W\d_])(?:حوالي|نحو|قرابه|زهاء|ما\s+يقارب|ما\s+يناهز|يناهز|environ|près\s+de|about|approximately|around)"
    r"\s*$"
)


@dataclass(frozen=True)
class AmountMatch:
    """An amount of money found in a text.

    start and end cover the number, its scale and its currency as written ("5 ملايين دولار أمريكي"),
    not the words that introduce it. value has every scale applied. currency is an ISO 4217 code, or
    None when the text does not say which dinar, dirham, lira, pound or riyal and no default country
    does. equivalent says the amount restates another (أي ما يعادل 30 مليون دولار, soit …); approximate
    that it is given as about (حوالي, نحو, environ).
    """

    start: int
    end: int
    text: str
    value: Decimal
    currency: str | None
    currency_text: str
    number: NumberMatch
    equivalent: bool = False
    approximate: bool = False


def _currency(name: str, country: str | None, default_country: str | None) -> str | None:
    if name in ISO_CODES:
        return name
    if country is not None:
        return CURRENCIES.get((name, country))
    if name in _BARE:
        return _BARE[name]
    return CURRENCIES.get((name, default_country.upper())) if default_country else None


def _after(folded: Folded, position: int) -> tuple[str, str | None, int, int, int] | None:
    """Return (name or ISO code, country, scale, start, end) of a currency written from position (folded)."""
    found = _AFTER.match(folded.text, position)
    if found is None:
        return None
    country = _ENGLISH[found.group("english")] if found.group("english") else None
    if found.group("iso"):
        code = folded.original[folded.start(found.start("iso")) : folded.end(found.end("iso"))]
        return (code, None, 1, found.start("iso"), found.end()) if code.isupper() else None
    index = next(i for i in range(len(_NAMES)) if found.group(f"n{i}"))
    _, name, scale = _NAMES[index]
    start = found.start("english") if country else found.start(f"n{index}")
    written = folded.original[folded.start(found.start(f"n{index}")) : folded.end(found.end())]
    if len(written) <= 3 and written.isascii() and written.isalpha() and not written.isupper():
        return None  # dt, da, dh in lower case are words; DT, DA, DH are abbreviations
    if (adjective := _ADJECTIVE.match(folded.text, found.end())) is not None:
        return name, _COUNTRIES[adjective.group("adjective")], scale, start, adjective.end()
    return name, country, scale, start, found.end()


def _before(folded: Folded, start: int) -> tuple[str, int, int] | None:
    """Return (name or ISO code, start, end) of a currency sign or code written just before start (folded)."""
    # A sign or code stands right before the number: a short window keeps a long text's reading linear.
    found = _BEFORE.search(folded.text, max(0, start - 24), start)
    if found is None:
        return None
    if found.group("symbol"):
        return ("euro" if found.group("symbol") == "€" else "dollar"), found.start(), found.end("symbol")
    code = folded.original[folded.start(found.start("iso")) : folded.end(found.end("iso"))]
    return (code, found.start(), found.end("iso")) if code.isupper() else None


def _amount(folded: Folded, number: NumberMatch, default_country: str | None) -> AmountMatch | None:
    start, end = folded.index(number.start), folded.index(number.end)
    country, scale = None, 1
    if (after := _after(folded, end)) is not None:
        name, country, scale, currency_start, currency_end = after
        span_start, span_end = start, currency_end
    elif (before := _before(folded, start)) is not None:
        name, currency_start, currency_end = before
        span_start, span_end = currency_start, end
    else:
        return None
    value = number.value * scale if number.scale == 1 else number.value
    introduction = folded.text[max(0, span_start - 60) : span_start]  # the words just before say how it is given
    original_start, original_end = folded.start(span_start), folded.end(span_end)
    return AmountMatch(
        start=original_start,
        end=original_end,
        text=folded.original[original_start:original_end],
        value=value,
        currency=_currency(name, country, default_country),
        currency_text=folded.original[folded.start(currency_start) : folded.end(currency_end)],
        number=number,
        equivalent=_EQUIVALENT.search(introduction) is not None,
        approximate=_APPROXIMATE.search(introduction) is not None,
    )


def find_amounts(text: str, *, default_country: str | None = None, decimal_mark: str = ",") -> list[AmountMatch]:
    """Return every amount of money written in text, in reading order.

    default_country (ISO 3166 alpha-2, e.g. "TN") names the currency a bare دينار, درهم, ليرة, جنيه or
    ريال stands for in this text; without it such an amount's currency is None.
    """
    folded = fold_with_origin(text)
    amounts: list[AmountMatch] = []
    for number in find_numbers(text, decimal_mark=decimal_mark):
        if number.reference or number.percent or number.written is Written.ORDINAL:
            continue
        amount = _amount(folded, number, default_country)
        if amount is None:
            continue
        if amounts and amount.currency != amounts[-1].currency and _RESTATED.match(text, amounts[-1].end, amount.start):
            # "١٢٫٤ مليار ريال سعودي (نحو ٣٫٣ مليارات دولار)": an amount in another currency in parentheses restates.
            amount = replace(amount, equivalent=True)
        amounts.append(amount)
    return amounts
