"""Words as people write them in the catalogue's import files: the columns' names in Arabic and French, the
channels, audiences and classifications by their names in any language, months by their names.

Each is read folded (`plain`): Arabic as typed (hamza, taa marbuta, alef maqsura), case, accents, spaces,
hyphens and underscores do not matter. The labels of the enumerations in the three languages are read too, as
the interface's translations give them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from babel.dates import get_month_names
from django.db import models
from django.utils import translation

from masar.arabic import fold, normalize_digits, parse_month
from masar.catalogue.models import Audience, Channel
from masar.core.models import Classification
from masar.imports.values import CellError

# Headers as people write them, beside the codes: Arabic and French names of the columns.
HEADER_WORDS = {
    "code": ("الرمز", "رمز الخدمة", "الترميز"),
    "name_ar": ("الاسم بالعربية", "الاسم", "اسم الخدمة", "nom en arabe", "nom arabe", "name in arabic"),
    "name_fr": ("الاسم بالفرنسية", "nom en francais", "name in french"),
    "name_en": ("الاسم بالإنجليزية", "الاسم بالانجليزية", "nom en anglais", "name in english"),
    "description_ar": ("الوصف بالعربية", "الوصف", "description en arabe"),
    "description_fr": ("الوصف بالفرنسية", "description en francais"),
    "description_en": ("الوصف بالإنجليزية", "description en anglais", "description in english"),
    "owner": ("الهيكل المالك", "الجهة المالكة", "الهيكل", "proprietaire", "organisme", "organization"),
    "classification": ("التصنيف", "تصنيف البيانات"),
    "audiences": ("الجمهور", "الفئات المستهدفة", "publics", "public cible", "audience"),
    "channels": ("القنوات", "قنوات الإسداء", "canaux"),
    "life_event": ("حدث الحياة", "المناسبة", "evenement de vie", "life event"),
    "category": ("الصنف", "المجال", "categorie"),
    "level": ("مستوى الرقمنة", "المستوى", "niveau", "niveau de numerisation", "digitization level"),
    "fee": ("المعلوم", "الرسوم", "التعريفة", "frais", "tarif"),
    "fee_currency": ("العملة", "devise", "currency"),
    "fee_note_ar": ("ملاحظة المعلوم",),
    "processing_days": ("آجال المعالجة", "مدة المعالجة", "الآجال", "delai", "delai de traitement"),
    "legal_basis_ar": ("السند القانوني", "المرجع القانوني", "base legale"),
    "online_url": ("الرابط", "العنوان الإلكتروني", "رابط الخدمة", "lien", "adresse en ligne", "url"),
    "steps_ar": ("المراحل", "خطوات الحصول", "etapes", "steps"),
    "documents": ("الوثائق", "الوثائق المطلوبة", "pieces", "pieces a fournir"),
    "projects": ("المشاريع", "projets"),
    "service": ("الخدمة", "رمز الخدمة", "service code", "code"),
    "month": ("الشهر", "mois"),
    "channel": ("القناة", "canal"),
    "transactions": ("عدد المعاملات", "المعاملات", "العمليات", "operations", "nombre de transactions"),
    "cumulative": ("المجموع التراكمي", "التراكمي", "cumul", "cumule", "running total"),
    "backlog": ("المطالب العالقة", "الملفات العالقة", "en attente", "stock", "arriere"),
}


def plain(text: str) -> str:
    """Return a word folded as people type it: Arabic spellings, case, accents, spaces, hyphens, underscores."""
    decomposed = unicodedata.normalize("NFKD", fold(str(text)).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(part for part in re.split(r"[\s_\-]+", bare.strip()) if part)


# Values as people write them ------------------------------------------------------------------------

CHANNEL_WORDS = {
    Channel.COUNTER: ("guichet", "desk", "شباك", "الشباك", "المكتب"),
    Channel.WEB: ("internet", "site web", "portail", "en ligne", "online", "الويب", "الانترنت", "الموقع", "البوابة"),
    Channel.MOBILE: (
        "application mobile",
        "mobile app",
        "الهاتف",
        "الجوال",
        "المحمول",
        "الهاتف الجوال",
        "الهاتف المحمول",
        "تطبيق الهاتف",
        "تطبيقة",
    ),
    Channel.KIOSK: ("kiosque", "borne", "كشك", "الكشك", "الموزع الآلي"),
    Channel.CALL_CENTRE: ("call center", "centre d'appel", "centre d'appels", "مركز النداء", "مركز الاتصال"),
}
AUDIENCE_WORDS = {
    Audience.CITIZENS: ("citoyens", "citoyen", "citizen", "المواطنون", "المواطنين", "مواطنون", "المواطن"),
    Audience.BUSINESSES: ("entreprises", "entreprise", "business", "المؤسسات", "الشركات", "المؤسسات الاقتصادية"),
    Audience.ADMINISTRATIONS: ("administration", "الإدارات", "الإدارة", "الهياكل العمومية"),
}
CLASSIFICATION_WORDS = {
    Classification.PUBLIC: ("عمومي", "عام", "عمومية"),
    Classification.RESTRICTED: ("restreint", "محدود", "مقيد", "محدود التداول"),
    Classification.CONFIDENTIAL: ("confidentiel", "سري"),
}
LIST_SEPARATORS = re.compile(r"[;,،؛]")


def vocabulary(choices: type[models.TextChoices], words: dict[Any, tuple[str, ...]]) -> dict[str, str]:
    """Return {word folded: code} for an enumeration: its codes, its labels in the three languages, synonyms."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[plain(value)] = str(value)
        for language in ("ar", "fr", "en"):
            with translation.override(language):
                found.setdefault(plain(str(label)), str(value))
        for word in words.get(value, ()):
            found.setdefault(plain(word), str(value))
    return found


def read_choice(text: str, choices: type[models.TextChoices], words: dict[Any, tuple[str, ...]]) -> str:
    """Return the code a cell names (a code, or a label or synonym in any language); raise CellError else."""
    code = vocabulary(choices, words).get(plain(text))
    if code is None:
        raise CellError("not_a_choice", value=text, choices=", ".join(str(v) for v in choices.values))
    return code


def read_choices(text: str, choices: type[models.TextChoices], words: dict[Any, tuple[str, ...]]) -> list[str]:
    """Return the codes a list cell names (separated by ; ، or ,), in order, without repeats."""
    codes: list[str] = []
    for part in LIST_SEPARATORS.split(text):
        if part.strip():
            code = read_choice(part.strip(), choices, words)
            if code not in codes:
                codes.append(code)
    return codes


_MONTH = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*0?1)?$")
_MONTH_FIRST = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _latin_months() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names.setdefault(plain(name).rstrip("."), number)
    return names


LATIN_MONTHS = _latin_months()


def read_month(raw: Any) -> datetime.date:
    """Return the first day of the month a cell names: YYYY-MM (a date of the month too, MM/YYYY), or a month's
    name with its year in Arabic as any region writes it (جانفي، يناير، كانون الثاني), in French or English."""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return raw.replace(day=1)
    text = normalize_digits(str(raw or "")).strip()
    number: int | None = None
    year: int | None = None
    if match := _MONTH.match(text):
        year, number = int(match.group(1)), int(match.group(2))
    elif match := _MONTH_FIRST.match(text):
        number, year = int(match.group(1)), int(match.group(2))
    elif found := _YEAR.search(text):
        year = int(found.group(1))
        words = plain(text[: found.start()] + " " + text[found.end() :])
        number = parse_month(words) or next((LATIN_MONTHS[w] for w in words.split() if w in LATIN_MONTHS), None)
    if number is None or year is None or not 1 <= number <= 12 or not 1900 <= year <= 2200:
        raise CellError("not_a_month", value=str(raw))
    return datetime.date(year, number, 1)
