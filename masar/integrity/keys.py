"""The keys suppliers are compared by: names, addresses, telephones and e-mails folded as people type them.

Two spellings of one supplier ("شركة الأمل" and "شركه الامل", "Société Al Amal" and "SOCIETE AL-AMAL")
get the same name key; two telephones written "+216 71 123 456" and "0021671123456" the same phone key.
No Django import: the importers, the rules and the synthetic generator share it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from masar.arabic import fold, normalize_digits

# Words that say what kind of company it is, not which one: dropped before comparing names.
LEGAL_FORMS = frozenset(
    {
        "شركة", "شركه", "مؤسسة", "مؤسسه", "ش", "م", "ذ", "ذات", "المسؤولية", "المسوولية", "المحدودة", "المحدوده",
        "sarl", "sa", "suarl", "sas", "ste", "societe", "sté", "ets", "etablissements", "company", "co", "ltd",
        "llc", "inc", "the",
    }
)  # fmt: skip


def _latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(*names: str) -> str:
    """Return the key of a supplier's name: folded Arabic, accents and case dropped, legal forms removed."""
    for name in names:
        if not name or not name.strip():
            continue
        text = _latin(fold(name)).casefold()
        words = [w for w in re.split(r"[\W_]+", text) if w and w not in LEGAL_FORMS]
        if words:
            return " ".join(words)
    return ""


def phone_key(phone: str, country_code: str = "216") -> str:
    """Return the digits of a telephone number without the international prefix (Eastern digits read too)."""
    digits = re.sub(r"\D", "", normalize_digits(phone or ""))
    digits = digits.removeprefix("00")
    if country_code and digits.startswith(country_code) and len(digits) > len(country_code) + 6:
        digits = digits[len(country_code) :]
    return digits.lstrip("0")


def email_key(email: str) -> str:
    """Return an e-mail address trimmed and in lower case."""
    return (email or "").strip().casefold()


def address_key(address: str) -> str:
    """Return an address folded (Arabic as typed, accents, case, punctuation and spaces)."""
    text = _latin(fold(normalize_digits(address or ""))).casefold()
    return " ".join(w for w in re.split(r"[\W_]+", text) if w)


def fill_supplier_keys(supplier: Any) -> None:
    """Set a supplier's comparison keys from what it says (called by every path that writes a supplier)."""
    supplier.name_key = name_key(supplier.name_ar, supplier.name_fr)
    supplier.address_key = address_key(supplier.address)
    supplier.phone_key = phone_key(supplier.phone)
    supplier.email_key = email_key(supplier.email)
