"""Which country an official text comes from, by the names it uses: it says what a bare دينار or درهم is."""

import re
from collections import Counter

from masar.arabic import fold

# Names, adjectives, capitals and institutions that place a text, folded; ambiguous ones (عمان: Oman or Amman,
# طرابلس: Libya or Lebanon) are written with what tells them apart.
_PLACES: dict[str, tuple[str, ...]] = {
    "TN": ("تونس", "التونسيه", "تونسي", "قصر القصبه", "باردو", "الرائد الرسمي للجمهوريه التونسيه"),
    "MA": ("المغرب", "المغربيه", "المغربي", "الرباط", "ظهير شريف", "دجنبر", "يوليوز", "غشت"),
    "DZ": ("الجزائر", "الجزائريه", "الجزائري", "جويليه", "الجريده الرسميه للجمهوريه الجزائريه"),
    "AE": ("الامارات", "الاماراتيه", "الاماراتي", "ابوظبي", "ابو ظبي", "دبي"),
    "SA": ("السعوديه", "السعودي", "الرياض", "خادم الحرمين"),
    "QA": ("قطر", "القطريه", "القطري", "الدوحه"),
    "OM": ("سلطنه عمان", "العماني", "العمانيه", "مسقط"),
    "JO": ("الاردن", "الاردنيه", "الاردني", "الهاشميه"),
    "KW": ("الكويت", "الكويتيه", "الكويتي"),
    "BH": ("البحرين", "البحرينيه", "البحريني", "المنامه"),
    "IQ": ("العراق", "العراقيه", "العراقي", "بغداد"),
    "LY": ("ليبيا", "الليبيه", "الليبي", "بنغازي"),
    "LB": ("لبنان", "اللبنانيه", "اللبناني", "بيروت"),
    "SY": ("سوريا", "سوريه", "السوريه", "السوري", "دمشق"),
    "EG": ("مصر", "المصريه", "المصري", "القاهره"),
    "SD": ("السودان", "السودانيه", "السوداني", "الخرطوم"),
    "YE": ("اليمن", "اليمنيه", "اليمني", "صنعاء"),
    "MR": ("موريتانيا", "الموريتانيه", "الموريتاني", "نواكشوط"),
}
_PATTERNS = {
    country: re.compile(rf"(?<![^\W\d_])[وبل]?(?:{'|'.join(re.escape(fold(name)) for name in names)})(?![^\W\d_])")
    for country, names in _PLACES.items()
}


def country_of(text: str) -> str | None:
    """Return the ISO 3166 code of the country text names most (at least once, and more than any other), or None."""
    folded = fold(text)
    counts = Counter({country: len(pattern.findall(folded)) for country, pattern in _PATTERNS.items()})
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]
