"""Normalize Arabic text for matching, keeping what the person typed for display."""

import re
import unicodedata

TATWEEL = "\u0640"
# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬",
    "01234567890123456789.,",
)
# Hamza carriers and alef forms fold to their bare letters; ta marbuta to ha; alef maqsura to ya.
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ک": "ك",
        "ی": "ي",
    }
)
_SPACES = re.compile(r"\s+")


def normalize_digits(text: str) -> str:
    """Return text with Eastern Arabic and Persian digits as ASCII digits."""
    return text.translate(_DIGITS)


def strip_marks(text: str) -> str:
    """Return text without tatweel and diacritics (harakat)."""
    return _MARKS.sub("", text.replace(TATWEEL, ""))


def fold(text: str | None) -> str:
    """Return the form of text used for matching.

    Two spellings a person would call the same word fold to the same string: with or
    without diacritics or tatweel, any hamza form of alef, ta marbuta or ha, Eastern or
    Western digits, any letter case of Latin text.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = strip_marks(text)
    text = normalize_digits(text).translate(_LETTERS)
    text = text.replace("ء", "")
    return _SPACES.sub(" ", text).strip().casefold()
