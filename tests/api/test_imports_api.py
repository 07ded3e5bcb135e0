"""Bulk imports through the API: the same dry run, atomic commit and idempotency as the import page."""

import pytest
from django.test import Client

from masar.exchange.services import client_register, token_issue
from masar.imports.models import ExternalReference
from masar.indicators.models import Measurement
from masar.portfolio.models import Project
from tests.imports.factories import csv_file, measurement_row, project_row
from tests.indicators.factories import make_indicator


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, secret, rows, *, kind="projects", dry_run, language="fr"):
    return client.post(
        "/api/v1/imports/",
        data={"kind": kind, "dry_run": "true" if dry_run else "false", "file": csv_file(rows)},
        HTTP_ACCEPT_LANGUAGE=language,
        **bearer(secret),
    )


def test_a_file_is_checked_then_saved_once_however_often_it_is_sent(axis, coordinator_a):
    client, secret = Client(), token_issue(user=coordinator_a, name="t", actor=None).secret
    rows = [project_row(), project_row("P2", "IMP-2", owner="NOPE")]
    checked = send(client, secret, rows, dry_run=True)
    assert checked.status_code == 201
    body = checked.json()
    assert body["status"] == "refused" and not Project.objects.exists()
    assert [(p["row"], p["column"], p["code"]) for p in body["problems"]] == [(3, "owner", "unknown_organization")]
    assert "NOPE" in body["problems"][0]["reason"] and body["problems"][0]["reason"] != "unknown_organization"
    saved = send(client, secret, rows[:1], dry_run=False).json()
    assert saved["status"] == "done" and saved["created"] >= 1
    references = ExternalReference.objects.count()
    again = send(client, secret, [project_row(name_fr="Projet importé")], dry_run=False).json()
    assert again["status"] == "done" and again["updated"] >= 1 and again["created"] == 0
    assert Project.objects.count() == 1 and ExternalReference.objects.count() == references
    assert Project.objects.get().name_fr == "Projet importé"
    read = client.get(f"/api/v1/imports/{again['id']}/", **bearer(secret))
    assert read.status_code == 200 and read.json()["updated"] == again["updated"]


def test_records_sent_as_json_are_imported_atomically(axis, coordinator_a):
    client, secret = Client(), token_issue(user=coordinator_a, name="t", actor=None).secret
    good, bad = project_row(), project_row("P2", "IMP-2", planned_end="2024-01-01")
    response = client.post(
        "/api/v1/imports/records/",
        data={"kind": "projects", "dry_run": False, "records": [good, bad]},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201 and response.json()["status"] == "refused"
    assert not Project.objects.exists()  # one bad row: nothing written


def test_a_system_imports_only_what_its_scopes_and_organization_allow(ministry_a, ministry_b):
    make_indicator("IND-1", ministry_a)
    make_indicator("IND-B", ministry_b)
    system = client_register(
        actor=None, organization=ministry_a, name_ar="منظومة", scopes=["measurements:write"], clearance="restricted"
    )
    secret = token_issue(user=system.account, client=system, name="t", actor=None).secret
    client = Client()
    assert send(client, secret, [project_row()], dry_run=True).status_code == 403  # no scope for projects
    ours = send(client, secret, [measurement_row()], kind="measurements", dry_run=False).json()
    assert ours["status"] == "done" and Measurement.objects.filter(indicator__code="IND-1").count() == 1
    theirs = send(client, secret, [measurement_row("M2", "IND-B")], kind="measurements", dry_run=False).json()
    assert theirs["status"] == "refused" and theirs["problems"][0]["code"] == "not_permitted"
    assert not Measurement.objects.filter(indicator__code="IND-B").exists()


def test_an_import_is_read_only_by_whoever_started_it(axis, coordinator_a, coordinator_b):
    client = Client()
    mine = token_issue(user=coordinator_a, name="t", actor=None).secret
    job = send(client, mine, [project_row()], dry_run=True).json()
    other = token_issue(user=coordinator_b, name="t", actor=None).secret
    assert client.get(f"/api/v1/imports/{job['id']}/", **bearer(other)).status_code == 404
    assert client.get(f"/api/v1/imports/{job['id']}/", **bearer(mine)).status_code == 200


def test_a_formula_in_a_cell_is_refused(axis, coordinator_a):
    client, secret = Client(), token_issue(user=coordinator_a, name="t", actor=None).secret
    body = send(client, secret, [project_row(name_ar="=HYPERLINK(1)")], dry_run=True).json()
    assert body["status"] == "refused" and body["problems"][0]["column"] == "name_ar"
