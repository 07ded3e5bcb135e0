"""Check OCDS 1.1 releases before any is imported: Masar's profile, the official schema when present, duplicates.

Every error is a (JSON path, message) pair: the path points into the document as it was sent
(`/releases/3/bids/details/0/value/amount`), the message is in the active language. All errors are
found at once, so that a publisher fixes a file in one go.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from jsonschema import Draft4Validator, Draft7Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

PROFILE = Path(__file__).with_name("ocds_profile.json")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$")

Errors = list[tuple[str, str]]

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def is_date_time(value: Any) -> bool:
    """Return whether value is an RFC 3339 date and time with its offset (other types are the type's business)."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


def pointer(parts: Any) -> str:
    """Return the JSON pointer of a path given as keys and indices."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


@functools.cache
def profile_validator() -> Draft7Validator:
    schema = json.loads(PROFILE.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FORMATS)


@functools.cache
def official_validators(folder: str) -> tuple[Draft4Validator, Draft4Validator]:
    """Return the validators of a release package and of a release, the release schema resolved from the folder."""
    base = Path(folder)
    package = json.loads((base / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((base / "release-schema.json").read_text(encoding="utf-8"))
    # The package names the release schema by its web address: served from the local copy, never fetched.
    registry = Registry().with_resource(release["id"], Resource.from_contents(release, default_specification=DRAFT4))
    return (
        Draft4Validator(package, registry=registry, format_checker=FORMATS),
        Draft4Validator(release, registry=registry, format_checker=FORMATS),
    )


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


TYPE_NAMES = {
    "string": "text",
    "number": "number",
    "integer": "whole number",
    "object": "object",
    "array": "list",
    "boolean": "true or false",
    "null": "null",
}


def describe(error: ValidationError) -> tuple[list[Any], str]:
    """Return the path and the translated message of one schema error."""
    path = list(error.absolute_path)
    value = error.instance
    if error.validator == "required":
        field = re.match(r"'([^']*)'", error.message)
        path.append(field.group(1) if field else "")
        return path, _("This field is required.")
    if error.validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = ", ".join(str(TYPE_NAMES.get(t, t)) for t in types if t != "null")
        return path, _("“%(value)s” is not of the expected type (%(expected)s).") % {
            "value": _shown(value),
            "expected": expected,
        }
    if error.validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value if c is not None)
        return path, _("“%(value)s” is not one of: %(choices)s.") % {"value": _shown(value), "choices": choices}
    if error.validator == "format" and error.validator_value == "date-time":
        return path, _("“%(value)s” is not a date and time: write it as 2025-03-01T09:00:00+01:00.") % {
            "value": _shown(value)
        }
    if error.validator == "minimum":
        return path, _("%(value)s is below %(limit)s.") % {"value": _shown(value), "limit": error.validator_value}
    if error.validator == "pattern" and path and path[-1] == "currency":
        return path, _("“%(value)s” is not a currency code: give the three capital letters of ISO 4217, e.g. TND.") % {
            "value": _shown(value)
        }
    if error.validator == "minLength":
        return path, _("This value is empty.")
    if error.validator == "maxLength":
        return path, _("This value is longer than %(limit)s characters.") % {"limit": error.validator_value}
    if error.validator == "anyOf" and path and isinstance(value, dict) and "transactions" in path:
        return path, _("A transaction gives the amount paid (value).")
    return path, _("This value breaks the OCDS schema: %(detail)s") % {"detail": error.message[:200]}


def schema_errors(validator: Any, document: Any, prefix: list[Any]) -> Errors:
    found = []
    for error in validator.iter_errors(document):
        path, message = describe(error)
        found.append((pointer(prefix + path), message))
    return found


def duplicate_errors(located: list[tuple[list[Any], dict[str, Any]]]) -> Errors:
    """Return an error for every release whose ocid an earlier release of the same document already gave."""
    first: dict[str, str] = {}
    found = []
    for prefix, release in located:
        ocid = release.get("ocid") if isinstance(release, dict) else None
        if not isinstance(ocid, str) or not ocid:
            continue
        here = pointer([*prefix, "ocid"])
        if ocid in first:
            found.append(
                (here, _("The ocid “%(ocid)s” is already given at %(other)s.") % {"ocid": ocid, "other": first[ocid]})
            )
        else:
            first[ocid] = here
    return found


def validate(data: Any, located: list[tuple[list[Any], dict[str, Any]]]) -> Errors:
    """Return every error of a document whose releases were located (path prefix, release), in document order."""
    errors: Errors = []
    for prefix, release in located:
        errors += schema_errors(profile_validator(), release, prefix)
    folder = getattr(settings, "OCDS_SCHEMA_DIR", "")
    if folder:
        package_validator, release_validator = official_validators(str(folder))
        if isinstance(data, dict) and "releases" in data:
            errors += schema_errors(package_validator, data, [])
        else:
            for prefix, release in located:
                errors += schema_errors(release_validator, release, prefix)
    errors += duplicate_errors(located)
    unique = list(dict.fromkeys(errors))
    return unique
