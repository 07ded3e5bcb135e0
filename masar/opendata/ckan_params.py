"""Read the parameters of the CKAN Action API into the catalogue's filters, as CKAN validates them.

`package_search` takes Solr's syntax; this reads the part harvesters and portals send — `fq` clauses
`field:value` joined by spaces (or AND), `metadata_modified:[2024-01-01T00:00:00Z TO *]`, `sort` as
`field asc|desc` pairs, `rows`, `start`, `facet.field` — and refuses the rest with CKAN's validation
error (409) naming the parameter, never a 500 and never an unbounded answer.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from masar.opendata.selectors import CatalogueFilters

ROWS_DEFAULT = 10
ROWS_MAX = 1000  # CKAN's ckan.search.rows_max: a larger rows is lowered to it, as CKAN does
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"

# fq/q field → the CatalogueFilters field it narrows.
FILTER_FIELDS = {
    "organization": "organization",
    "tags": "keyword",
    "groups": "theme",
    "theme": "theme",
    "res_format": "format",
    "license_id": "licence",
    "name": "names",
    "metadata_modified": "modified",
}
# Fields every served dataset has with one value: a clause asking for another value matches nothing.
CONSTANT_FIELDS = {"capacity": "public", "state": "active", "dataset_type": "dataset", "type": "dataset"}
SORT_FIELDS = {
    "name": "name",
    "title_string": "title",
    "title": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "id": "id",
}
RELEVANCE = ("score", "rank", "relevance")  # no relevance score: the next keys (or the default) order
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")

_CLAUSE = re.compile(
    r"""(?P<sign>[+-]?)(?P<field>[A-Za-z_][A-Za-z0-9_.]*|\*):"""
    r"""(?P<value>\[[^\]]*\]|\{[^}]*\}|"[^"]*"|\([^)]*\)|[^\s"()\[\]{}]+)"""
)
_CONNECTIVES = ("AND", "&&")


class CkanValidationError(Exception):
    """CKAN's Validation Error: messages per parameter."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _invalid(key: str, message: str) -> CkanValidationError:
    return CkanValidationError({key: [message]})


def natural_number(data: dict[str, Any], key: str, default: int | None) -> int | None:
    """Return data[key] as an integer ≥ 0 (CKAN's natural_number_validator), or default when missing or empty."""
    value = data.get(key)
    if isinstance(value, list):
        value = value[-1] if value else None
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        raise _invalid(key, gettext("Invalid integer"))
    try:
        number = int(value) if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise _invalid(key, gettext("Invalid integer")) from None
    if number < 0:
        raise _invalid(key, gettext("Must be a natural number"))
    return number


def text(data: dict[str, Any], key: str) -> str:
    """Return data[key] as one string ("" when missing); a repeated parameter gives its values joined by spaces."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class SearchParams:
    """A package_search request, read: what to select, which page, which facets."""

    filters: CatalogueFilters
    rows: int
    start: int
    sort: str
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = FACET_LIMIT_DEFAULT
    nothing: bool = False  # a clause no served dataset can meet (capacity:private, …)


def search_params(data: dict[str, Any]) -> SearchParams:
    """Read package_search's parameters; raise CkanValidationError naming the first one that is wrong."""
    rows = min(natural_number(data, "rows", ROWS_DEFAULT) or 0, ROWS_MAX)
    start = natural_number(data, "start", 0) or 0
    sort_text = text(data, "sort").strip()
    if sort_text in ("", "rank"):
        sort_text = DEFAULT_SORT
    clauses: dict[str, Any] = {}
    nothing = False
    words = []
    for token in _query_tokens(text(data, "q")):
        if isinstance(token, str):
            words.append(token)
        else:
            nothing |= _add_clause(clauses, token, "q")
    for token in _fq_clauses(text(data, "fq")):
        nothing |= _add_clause(clauses, token, "fq")
    facet_limit = _facet_limit(data)
    natural_number(data, "facet.mincount", 1)
    filters = CatalogueFilters(q=" ".join(words), sort=parse_sort(sort_text))
    modified = clauses.pop("modified", (None, None))
    filters = replace(filters, modified_since=modified[0], modified_until=modified[1], **clauses)
    return SearchParams(
        filters=filters,
        rows=rows,
        start=start,
        sort=sort_text,
        facet_fields=facet_fields(data.get("facet.field")),
        facet_limit=facet_limit,
        nothing=nothing,
    )


def _facet_limit(data: dict[str, Any]) -> int:
    value = data.get("facet.limit")
    if value in (None, ""):
        return FACET_LIMIT_DEFAULT
    try:
        return int(str(value[-1] if isinstance(value, list) else value).strip())
    except ValueError:
        raise _invalid("facet.limit", gettext("Invalid integer")) from None


def parse_sort(sort_text: str) -> tuple[tuple[str, bool], ...]:
    """Return the catalogue's sort keys of a Solr sort ("metadata_modified desc, name asc")."""
    keys: list[tuple[str, bool]] = []
    for part in sort_text.split(","):
        pieces = part.split()
        if len(pieces) != 2 or pieces[1].lower() not in ("asc", "desc"):
            raise _invalid("sort", sort_message(part.strip()))
        field, direction = pieces[0], pieces[1].lower()
        if field in RELEVANCE:
            continue
        if field not in SORT_FIELDS:
            raise _invalid("sort", sort_message(part.strip()))
        keys.append((SORT_FIELDS[field], direction == "desc"))
    return tuple(keys) or (("metadata_modified", True),)


def sort_message(part: str) -> str:
    return gettext("Unknown sort %(sort)s: sort by %(fields)s, each followed by asc or desc.") % {
        "sort": part or '""',
        "fields": ", ".join(("score", *SORT_FIELDS)),
    }


def facet_fields(value: Any) -> tuple[str, ...]:
    """Return the facet fields asked for (a JSON list, a repeated parameter or one name), each one we count."""
    if value in (None, "", []):
        return ()
    names: Any = value
    if isinstance(value, str):
        stripped = value.strip()
        try:
            names = json.loads(stripped) if stripped.startswith("[") else [stripped]
        except ValueError:
            raise _invalid("facet.field", gettext("Give the facet fields as a list of names.")) from None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise _invalid("facet.field", gettext("Give the facet fields as a list of names."))
    for name in names:
        if name not in FACET_FIELDS:
            raise _invalid(
                "facet.field",
                gettext("Unknown facet field %(field)s; the fields are %(fields)s.")
                % {"field": name, "fields": ", ".join(FACET_FIELDS)},
            )
    return tuple(dict.fromkeys(names))


# fq and fielded q ------------------------------------------------------------------------------


def _query_tokens(query: str) -> list[Any]:
    """Split q into free words and field:value clauses of the fields we filter on ("*:*" is everything)."""
    tokens: list[Any] = []
    for match in re.finditer(r'\S+:(?:\[[^\]]*\]|\{[^}]*\}|"[^"]*"|\S+)|\S+', query.strip()):
        piece = match.group(0)
        clause = _CLAUSE.fullmatch(piece)
        if piece == "*:*":
            continue
        if clause and (clause.group("field") in FILTER_FIELDS or clause.group("field") in CONSTANT_FIELDS):
            tokens.append(clause)
        else:
            tokens.append(piece)
    return tokens


def _fq_clauses(fq: str) -> list[re.Match[str]]:
    clauses = []
    position, fq = 0, fq.strip()
    while position < len(fq):
        if fq[position].isspace():
            position += 1
            continue
        connective = next((c for c in _CONNECTIVES if fq.startswith(c + " ", position)), None)
        if connective:
            position += len(connective)
            continue
        match = _CLAUSE.match(fq, position)
        if match is None:
            raise _invalid(
                "fq",
                gettext("Cannot read the filter %(text)s: write field:value clauses separated by spaces.")
                % {"text": fq[position : position + 80]},
            )
        clauses.append(match)
        position = match.end()
    return clauses


def _add_clause(clauses: dict[str, Any], clause: re.Match[str], key: str) -> bool:
    """Add one clause to the filters being read; return True when no served dataset can meet it."""
    field, value = clause.group("field"), clause.group("value")
    if field == "*" and value == "*":
        return False
    if clause.group("sign") == "-" or value.startswith("(") or " OR " in value:
        raise _invalid(key, _once_message(field))
    if field in CONSTANT_FIELDS:
        return value.strip('"') != CONSTANT_FIELDS[field]
    if field not in FILTER_FIELDS:
        raise _invalid(
            key,
            gettext("Unknown filter field %(field)s; the fields are %(fields)s.")
            % {"field": field, "fields": ", ".join((*FILTER_FIELDS, *CONSTANT_FIELDS))},
        )
    target = FILTER_FIELDS[field]
    if target == "modified":
        parsed: Any = _date_range(value, key)
    elif target == "names":
        parsed = (value.strip('"'),)
    elif target == "format":
        parsed = value.strip('"').lower()
    else:
        parsed = value.strip('"')
    if target in clauses and clauses[target] != parsed:
        raise _invalid(key, _once_message(field))
    clauses[target] = parsed
    return False


def _once_message(field: str) -> str:
    return gettext("Filter on %(field)s once, with one value (OR and exclusions are not supported).") % {"field": field}


def _date_range(value: str, key: str) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    if value[:1] in "[{" and value[-1:] in "]}":
        low, separator, high = value[1:-1].partition(" TO ")
        if not separator:
            raise _invalid(key, _date_message(value))
        return _date(low.strip(), key), _date(high.strip(), key)
    moment = _date(value.strip('"'), key)
    return moment, moment


def _date(value: str, key: str) -> datetime.datetime | None:
    if value == "*":
        return None
    if value == "NOW":
        return timezone.now()
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise _invalid(key, _date_message(value)) from None
    if timezone.is_naive(moment):  # CKAN's dates are UTC without a suffix
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _date_message(value: str) -> str:
    return gettext("Cannot read the date %(value)s: write it as 2024-01-31T00:00:00Z, or * for no bound.") % {
        "value": value
    }
