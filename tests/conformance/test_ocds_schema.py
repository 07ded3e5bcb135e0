"""The OCDS release package validates against the official OCDS 1.1.5 release-package schema, resolved offline."""

import datetime
import json
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from masar.opendata.ocds import release_package

# A release as the procurement work will write them: only OCDS's required fields, to check the package around it.
RELEASE = {
    "ocid": "ocds-213czf-TN-MTC-2026-001",
    "id": "TN-MTC-2026-001-tender",
    "date": "2026-03-01T09:00:00+01:00",
    "tag": ["tender"],
    "initiationType": "tender",
}


@pytest.fixture(scope="module")
def validator(standards):
    folder = standards / "ocds" / "1.1.5-schema"
    package = json.loads((folder / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((folder / "release-schema.json").read_text(encoding="utf-8"))
    # The package names the release schema by its web address: served from the local copy, never fetched.
    registry = Registry().with_resource(release["id"], Resource.from_contents(release, default_specification=DRAFT4))
    Draft4Validator.check_schema(package)
    return Draft4Validator(package, registry=registry)


def errors_of(validator, document):
    return [f"{list(e.absolute_path)}: {e.validator}: {e.message}" for e in validator.iter_errors(document)]


def test_no_package_is_served_while_it_could_not_validate(validator, client, gov):
    """The schema asks for one release at least: without procurement data the address answers 404, not a package."""
    assert errors_of(validator, release_package([])) == ["['releases']: minItems: [] should be non-empty"]
    assert client.get("/ocds/releases.json").status_code == 404


def test_a_package_with_a_release_validates(validator, gov):
    document = json.loads(json.dumps(release_package([RELEASE])))
    assert errors_of(validator, document) == []
    assert document["publishedDate"] == RELEASE["date"]


def test_the_release_schema_is_read_through_its_reference(validator, gov):
    """Positive control: a release that lacks its ocid is refused, so the release schema is applied, not skipped."""
    broken = {key: value for key, value in RELEASE.items() if key != "ocid"}
    errors = errors_of(validator, release_package([broken]))
    assert any("'ocid' is a required property" in error for error in errors), errors


def test_dates_and_addresses_have_the_formats_the_schema_names(gov):
    """jsonschema checks `date-time` and `uri` only with optional packages Masar does not install: checked here."""
    document = release_package([])
    assert datetime.datetime.fromisoformat(document["publishedDate"]).tzinfo is not None
    for address in (document["uri"], document["publisher"]["uri"], document["license"]):
        parts = urlsplit(address)
        assert parts.scheme in ("http", "https") and parts.netloc, address
