"""The OCDS release package: its metadata, served at the site root, and no release until Masar holds procurement."""

import datetime

from masar.opendata.ocds import public_releases, release_package


def test_without_procurement_the_address_says_there_is_nothing_yet(client, gov):
    response = client.get("/ocds/releases.json")
    assert response.status_code == 404
    assert "releases" not in response.json() and response.json()["detail"]


def test_the_package_carries_its_metadata(gov, settings):
    settings.SITE_URL = "https://masar.example.tn"
    package = release_package([])
    assert package["uri"] == "https://masar.example.tn/ocds/releases.json"
    assert package["version"] == "1.1"
    assert package["publisher"] == {"name": gov.name_ar, "uri": "https://masar.example.tn"}
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publicationPolicy"] is None
    assert datetime.datetime.fromisoformat(package["publishedDate"]).tzinfo is not None


def test_the_publisher_and_policy_come_from_the_settings(ministry_a, settings):
    settings.OPENDATA_PUBLISHER_CODE = ministry_a.code
    settings.OCDS_PUBLICATION_POLICY_URL = "https://masar.example.tn/ar/opendata/policy/"
    package = release_package([])
    assert package["publisher"]["name"] == ministry_a.name_ar
    assert package["publicationPolicy"] == "https://masar.example.tn/ar/opendata/policy/"


def test_the_package_is_dated_by_its_latest_release(gov):
    releases = [{"date": "2026-01-05T10:00:00+01:00"}, {"date": "2026-03-01T09:00:00+01:00"}]
    assert release_package(releases)["publishedDate"] == "2026-03-01T09:00:00+01:00"


def test_there_is_no_public_procurement_yet(db):
    assert public_releases() == []


def test_only_reading_is_allowed(client, gov):
    assert client.post("/ocds/releases.json").status_code == 405
    assert client.head("/ocds/releases.json").status_code == 404


def test_the_latest_release_is_found_across_time_zones(gov):
    releases = [{"date": "2026-03-01T09:00:00+01:00"}, {"date": "2026-03-01T08:30:00-02:00"}]
    assert release_package(releases)["publishedDate"] == "2026-03-01T08:30:00-02:00"
