"""A project's currency is three capital Latin letters (ISO 4217), whichever door the value comes through."""

import json

import pytest

from masar.exchange.services import token_issue
from masar.imports.models import ImportStatus
from masar.imports.services import import_start
from masar.portfolio.models import Project, is_currency_code
from tests.imports.factories import csv_file, project_row
from tests.portfolio.factories import make_project

BAD = ["ـــ", "دين", "tnd", "TN", "TNDX", "ＴＮＤ", "T1D", "TN\n"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(ministry_a, axis, manager_a):
    return make_project("P-CUR", ministry_a, axis, manager=manager_a)


def edit_payload(project, **changes):
    data = {
        "version": project.version,
        "name_ar": project.name_ar,
        "status": project.status,
        "currency": project.currency,
        "funding_kind": project.funding_kind,
        "classification": project.classification,
    }
    data.update(changes)
    return data


def test_only_three_capital_latin_letters_are_a_currency_code():
    assert is_currency_code("TND") and is_currency_code("MAD")
    assert not any(is_currency_code(value) for value in BAD)


def test_the_project_form_refuses_tatweels_with_a_translated_message(project, client_for, manager_a):
    client = client_for(manager_a)
    messages = {}
    for language in ("en", "fr"):
        response = client.post(f"/{language}/projects/{project.pk}/edit/", edit_payload(project, currency="ـــ"))
        assert response.status_code == 400
        messages[language] = response.content.decode()
    assert "ISO 4217" in messages["en"] and "capital Latin letters" in messages["en"]
    project.refresh_from_db()
    assert project.currency == "TND" and project.version == 1  # nothing changed
    ok = client.post(f"/en/projects/{project.pk}/edit/", edit_payload(project, currency="MAD"))
    assert ok.status_code == 302  # positive control: a real code is kept
    project.refresh_from_db()
    assert project.currency == "MAD"


def test_the_api_refuses_a_currency_of_tatweels_on_create_and_on_change(project, national):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=national, name='t', actor=None).secret}")
    url = f"/api/v1/projects/{project.pk}/"
    etag = client.get(url)["ETag"]
    for value in ("ـــ", "tnd"):
        response = client.patch(
            url, data=json.dumps({"currency": value}), content_type="application/json", HTTP_IF_MATCH=etag
        )
        assert response.status_code in (400, 422), response.content
        assert response["Content-Type"] == "application/problem+json"
        assert "ISO 4217" in response.content.decode()
    project.refresh_from_db()
    assert project.currency == "TND" and project.version == 1
    body = {
        "code": "P-API",
        "name_ar": "مشروع",
        "owner": project.owner_id,
        "strategy": project.strategy_id,
        "planned_start": "2025-01-01",
        "planned_end": "2025-12-31",
        "classification": "public",
    }
    refused = client.post(
        "/api/v1/projects/", data=json.dumps({**body, "currency": "ـــ"}), content_type="application/json"
    )
    assert refused.status_code in (400, 422) and not Project.objects.filter(code="P-API").exists()
    created = client.post(
        "/api/v1/projects/", data=json.dumps({**body, "currency": "EUR"}), content_type="application/json"
    )
    assert created.status_code == 201, created.content  # positive control
    assert Project.objects.get(code="P-API").currency == "EUR"


def test_an_import_refuses_the_row_and_names_the_currency_column(axis, coordinator_a, client_for):
    rows = [project_row(), project_row("P2", "IMP-2", currency="ـــ")]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert job.status == ImportStatus.REFUSED
    assert [(p["row"], p["column"], p["code"]) for p in job.errors] == [(3, "currency", "currency")]
    assert not Project.objects.filter(code__in=["IMP-1", "IMP-2"]).exists()
    page = client_for(coordinator_a).get(f"/en/imports/{job.pk}/").content.decode()
    assert "is not a currency code" in page
    good = import_start(
        actor=coordinator_a, kind="projects", upload=csv_file([project_row(currency="MAD")]), dry_run=False
    )
    assert good.status == ImportStatus.DONE, good.errors  # positive control
    assert Project.objects.get(code="IMP-1").currency == "MAD"
