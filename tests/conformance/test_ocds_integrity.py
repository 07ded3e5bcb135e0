"""The procurement trail's OCDS export validates against the official OCDS 1.1.5 release-package schema, and
imports are checked against that schema too when OCDS_SCHEMA_DIR names it (resolved offline)."""

import json

import pytest
from django.test import override_settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from masar.core.models import Classification
from masar.integrity.models import ExchangeRate, Tender
from masar.integrity.ocds import OcdsInvalid, release_package, release_package_import
from masar.opendata.ocds import public_releases
from masar.opendata.ocds import release_package as opendata_package

RELEASE = {
    "ocid": "ocds-213czf-TN-1",
    "id": "ocds-213czf-TN-1-1",
    "date": "2025-06-01T10:00:00+01:00",
    "tag": ["compiled"],
    "initiationType": "tender",
    "buyer": {"id": "MIN-A", "name": "وزارة"},
    "parties": [
        {
            "id": "TN-111",
            "name": "شركة الأمل",
            "roles": ["tenderer", "supplier"],
            "identifier": {"scheme": "TN-RNE", "id": "RNE-111"},
            "address": {"streetAddress": "12 نهج الحرية"},
            "contactPoint": {"name": "سامي", "email": "contact@amal.tn", "telephone": "+216 71 123 456"},
        },
        {"id": "TN-222", "name": "Société Nour", "roles": ["tenderer"]},
    ],
    "tender": {
        "id": "T-1",
        "title": "اقتناء خوادم",
        "procurementMethod": "open",
        "mainProcurementCategory": "goods",
        "value": {"amount": 500000, "currency": "TND"},
        "numberOfTenderers": 2,
        "tenderPeriod": {"startDate": "2025-03-01T09:00:00+01:00", "endDate": "2025-04-01T09:00:00+01:00"},
        "lots": [{"id": "L1", "title": "خوادم"}],
        "items": [{"id": "1", "description": "خادم", "classification": {"scheme": "CPV", "id": "48820000"}}],
    },
    "bids": {
        "details": [
            {
                "id": "B1",
                "status": "valid",
                "date": "2025-03-30T10:00:00+01:00",
                "value": {"amount": 450000.5, "currency": "EUR"},
                "tenderers": [{"id": "TN-111"}],
                "relatedLots": ["L1"],
            },
            {
                "id": "B2",
                "status": "disqualified",
                "value": {"amount": 470000, "currency": "USD"},
                "tenderers": [{"id": "TN-222"}],
            },
        ]
    },
    "awards": [
        {
            "id": "A1",
            "status": "active",
            "date": "2025-04-15T10:00:00+01:00",
            "value": {"amount": 450000.5, "currency": "TND"},
            "suppliers": [{"id": "TN-111"}],
            "items": [{"id": "1", "classification": {"scheme": "CPV", "id": "48820000"}, "quantity": 4}],
        }
    ],
    "contracts": [
        {
            "id": "C1",
            "awardID": "A1",
            "status": "active",
            "dateSigned": "2025-05-01T00:00:00+01:00",
            "period": {"endDate": "2026-05-01T00:00:00+01:00"},
            "value": {"amount": 520000, "currency": "TND"},
            "amendments": [{"id": "AM1", "date": "2025-09-01T00:00:00+01:00", "rationale": "توسيع"}],
            "implementation": {
                "transactions": [
                    {"id": "P1", "date": "2025-06-01T00:00:00+01:00", "value": {"amount": 100000, "currency": "TND"}}
                ]
            },
        }
    ],
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def folder(standards):
    return standards / "ocds" / "1.1.5-schema"


@pytest.fixture(scope="module")
def validator(folder):
    package = json.loads((folder / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((folder / "release-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(release["id"], Resource.from_contents(release, default_specification=DRAFT4))
    return Draft4Validator(package, registry=registry)


def errors_of(validator, document):
    return [f"{list(e.absolute_path)}: {e.validator}: {e.message}" for e in validator.iter_errors(document)]


def package(*releases):
    return json.loads(json.dumps(opendata_package(list(releases))))


@override_settings(SITE_URL="https://data.example.tn")
def test_the_export_of_an_imported_trail_validates(validator, national, ministry_a, gov):
    import datetime

    ExchangeRate.objects.create(currency="EUR", valid_from=datetime.date(2025, 1, 1), rate=3.4)
    release_package_import(
        actor=national, data=package(RELEASE), owner=ministry_a, classification=Classification.PUBLIC
    )
    release_package_import(
        actor=national, data=package({**RELEASE, "ocid": "ocds-213czf-TN-2", "contracts": []}), owner=ministry_a
    )
    for document in (release_package(national), {**release_package(national), "releases": public_releases()}):
        document = json.loads(json.dumps(document))
        assert document["releases"], "a package worth checking"
        assert document["releases"][0]["contracts"][0]["implementation"]["transactions"]  # the rich parts are there
        assert errors_of(validator, document) == []
    assert len(release_package(national)["releases"]) == 2


def test_the_schema_does_find_errors_in_a_broken_export(validator, national, ministry_a, gov):
    """The positive control: the same export without its releases' ids and with a bad tag fails."""
    release_package_import(actor=national, data=package(RELEASE), owner=ministry_a)
    document = json.loads(json.dumps(release_package(national)))
    del document["releases"][0]["id"]
    document["releases"][0]["tag"] = ["finished"]
    assert len(errors_of(validator, document)) >= 2


def test_imports_are_checked_against_the_official_schema_when_it_is_set(folder, national, ministry_a, gov, settings):
    settings.OCDS_SCHEMA_DIR = str(folder)
    release_package_import(actor=national, data=package(RELEASE), owner=ministry_a)  # a valid file still imports
    broken = json.loads(json.dumps(RELEASE))
    broken["ocid"] = "ocds-213czf-TN-9"
    del broken["awards"][0]["id"]  # Masar's profile lets it through; OCDS requires an award's id
    del broken["initiationType"]
    with pytest.raises(OcdsInvalid) as raised:
        release_package_import(actor=national, data=package(broken), owner=ministry_a)
    assert {path for path, _ in raised.value.errors} == {"/releases/0/awards/0/id", "/releases/0/initiationType"}
    assert not Tender.objects.filter(ocid="ocds-213czf-TN-9").exists()
