"""The DAC 5-digit purpose code (IATI sector vocabulary 1) of a project, from the axis it sits under.

Masar's projects carry no sector of their own: each sits under an axis (and a program) of a strategy,
and the axes of the national digital-transformation programs are the national taxonomy of the open
data (`NationalTheme`). An axis is matched to its theme by the words of its names (Arabic folded as
people type it, French, English; first match wins), then the theme to one DAC code:

- cybersecurity and digital trust (سيبران, الثقة الرقمية, cyber, confiance, trust):
  22010 Communications policy and administrative management;
- digital infrastructure (تحتية, infrastructure): 22020 Telecommunications;
- digital economy (اقتصاد, économie, economy): 25010 Business policy and administration;
- governance and follow-up of public action (حوكمة, متابعة, gouvernance, governance, suivi, follow-up):
  15110 Public sector policy and administrative management;
- digital administration (ادارة, حكومي, administration, gouvernement, government): 15110 Public sector policy
  and administrative management, whose scope names e-government;
- anything else (e.g. "enabling environment for digital transformation"): 22040 Information and
  communication technology (ICT).

A project without an axis is matched by its program's names, then falls back to 22040.
"""

from __future__ import annotations

from typing import Any

from masar.arabic import fold
from masar.opendata.models import NationalTheme

DAC_VOCABULARY = "1"  # IATI SectorVocabulary: OECD DAC CRS purpose codes, 5 digits
ICT = "22040"  # Information and communication technology (ICT): the default of a digital-transformation project

THEME_SECTORS: dict[str, str] = {
    NationalTheme.TRUST: "22010",  # Communications policy and administrative management
    NationalTheme.INFRASTRUCTURE: "22020",  # Telecommunications
    NationalTheme.ECONOMY: "25010",  # Business policy and administration
    NationalTheme.GOVERNANCE: "15110",  # Public sector policy and administrative management
    NationalTheme.ADMINISTRATION: "15110",  # ... whose scope names e-government
}

# In the order they are tried: "the efficiency of government action" is governance before it is administration.
THEME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NationalTheme.TRUST, ("سيبران", "الثقة الرقمية", "cyber", "confiance", "trust")),
    (NationalTheme.INFRASTRUCTURE, ("تحتية", "infrastructure")),
    (NationalTheme.ECONOMY, ("اقتصاد", "économie", "economy")),
    (NationalTheme.GOVERNANCE, ("حوكمة", "متابعة", "gouvernance", "governance", "suivi", "follow-up")),
    (NationalTheme.ADMINISTRATION, ("ادارة", "حكومي", "administration", "gouvernement", "government")),
)
_FOLDED_WORDS = tuple((theme, tuple(fold(word) for word in words)) for theme, words in THEME_WORDS)


def theme_of(part: Any) -> str | None:
    """Return the national theme whose words an axis's or a program's names hold, or None."""
    if part is None:
        return None
    names = fold(" ".join(filter(None, (part.name_ar, part.name_fr, part.name_en))))
    for theme, words in _FOLDED_WORDS:
        if any(word in names for word in words):
            return str(theme)
    return None


def dac_sector(project: Any) -> str:
    """Return the DAC 5-digit code of a project: its axis's theme, else its program's, else ICT."""
    for part in (project.axis, project.program):
        theme = theme_of(part)
        if theme is not None:
            return THEME_SECTORS[theme]
    return ICT
