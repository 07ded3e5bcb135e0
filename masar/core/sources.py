"""The source documents records are taken from, by their title in the reader's language.

A record's `source` holds codes ("seed 003; responsible: sample"); people read the document's
title, never the code. A code with no title here is not shown.
"""

import re

from django.utils.translation import gettext_lazy as _

SOURCE_TITLES = {
    "seed 000": _("Missions of the Ministry of Communication Technologies"),
    "seed 001": _("Missions of the communication sector"),
    "seed 002": _("Press report of 22 February 2021 on information and communication technologies"),
    "seed 003": _("Report of the ministerial council on digital transformation"),
    "seed 004": _("National strategy for the digital transformation of government services 2021–2030"),
    "ISO 3166-2": _("ISO 3166-2 codes of the country's subdivisions"),
}

_CODE = re.compile(r"seed \d{3}|ISO 3166-2")


def source_titles(source):
    """Return the titles of the documents a source names, in order and once each (an empty list if none is known)."""
    titles = []
    for code in _CODE.findall(source or ""):
        title = SOURCE_TITLES.get(code)
        if title is not None and title not in titles:
            titles.append(title)
    return titles
