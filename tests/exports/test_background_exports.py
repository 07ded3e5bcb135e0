import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from masar.exports import services, views
from masar.exports.models import Export, ExportStatus


@pytest.fixture
def small_threshold(monkeypatch, settings, tmp_path):
    """Send every export of more than two rows to the background, and keep files in a temporary folder."""
    monkeypatch.setattr(views, "BACKGROUND_THRESHOLD", 2)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    settings.MEDIA_ROOT = tmp_path


def test_a_small_export_is_built_at_once(projects, client_for, viewer_a, small_threshold):
    response = client_for(viewer_a).get("/en/exports/projects.csv", {"status": "in_progress"})
    assert response.status_code == 200
    assert not Export.objects.exists()


def test_a_large_export_is_queued_for_its_owner(projects, client_for, coordinator_a, viewer_a, small_threshold):
    client = client_for(coordinator_a)
    offer = client.get("/fr/exports/projects.xlsx", {"classification": ""})
    assert offer.status_code == 200 and not Export.objects.exists()  # a GET records nothing
    assert 'action="/fr/exports/projects.xlsx?classification="' in offer.content.decode()
    response = client.post("/fr/exports/projects.xlsx?classification=")
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fr/exports/{export.pk}/"
    assert (export.user, export.kind, export.format, export.language) == (coordinator_a, "projects", "xlsx", "fr")
    assert export.query == "classification="
    assert (export.status, export.total, export.rows_written) == (ExportStatus.QUEUED, 3, 0)
    page = client_for(coordinator_a).get(f"/fr/exports/{export.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert f"/fr/exports/{export.pk}/download/" not in page
    assert client_for(coordinator_a).get(f"/fr/exports/{export.pk}/download/").status_code == 404


def test_only_the_person_who_asked_sees_an_export(projects, client_for, coordinator_a, viewer_a, coordinator_b):
    export = Export.objects.create(user=coordinator_a, kind="projects", format="csv", language="en")
    for user in (viewer_a, coordinator_b, None):
        assert client_for(user).get(f"/en/exports/{export.pk}/").status_code == 404
        assert client_for(user).get(f"/en/exports/{export.pk}/download/").status_code == 404
    assert client_for(coordinator_a).get(f"/en/exports/{export.pk}/").status_code == 200


def test_an_anonymous_large_export_asks_to_sign_in(projects, client_for, small_threshold, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_STREAM_LIMIT", 0)
    response = client_for(None).get("/en/exports/projects.csv")
    assert response.status_code == 302 and "next=" in response["Location"]
    assert not Export.objects.exists()


def test_an_anonymous_visitor_is_streamed_a_public_list_above_the_background_threshold(
    projects, client_for, small_threshold, monkeypatch
):
    """A visitor cannot be sent a file later: up to the public limit they get the download at once."""
    monkeypatch.setattr(views, "BACKGROUND_THRESHOLD", 0)
    response = client_for(None).get("/en/exports/projects.csv")
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) > 1  # the header and at least one public project
    assert not Export.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_large_xlsx_export_through_the_owners_visibility(
    projects, client_for, coordinator_b, small_threshold
):
    client = client_for(coordinator_b)
    response = client.post("/fr/exports/projects.xlsx")
    export = Export.objects.get()
    assert response.status_code == 302 and export.status == ExportStatus.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    export.refresh_from_db()
    assert (export.status, export.rows_written, export.total) == (ExportStatus.DONE, 3, 3)
    assert export.finished_at is not None and export.file.name.startswith("exports/")
    page = client.get(f"/fr/exports/{export.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f"/fr/exports/{export.pk}/download/" in page
    download = client.get(f"/fr/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert 'filename="projects.xlsx"' in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "code" and rows[0][7] == "statut"  # built in the language of the request
    assert not sheet.sheet_view.rightToLeft
    assert sorted(row[0] for row in rows[1:]) == ["P-B-CONF", "P-PUB", "P-RES"]  # not ministry A's confidential one


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_an_arabic_csv_with_the_filters_asked(
    obstacles, client_for, viewer_a, small_threshold, monkeypatch
):
    monkeypatch.setattr(views, "BACKGROUND_THRESHOLD", 1)
    client = client_for(viewer_a)
    assert client.post("/ar/exports/obstacles.csv?severity=high").status_code == 302
    export = Export.objects.get()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.rows_written == 2
    download = client.get(f"/ar/exports/{export.pk}/download/")
    body = b"".join(download.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))  # Arabic files use ";"
    assert sorted((row[0], row[4]) for row in rows[1:]) == [
        ("P-CONF", "confidential obstacle"),
        ("P-PUB", "قانون غائب"),
    ]


def test_an_export_whose_filters_no_longer_hold_is_marked_failed(projects, coordinator_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export = Export.objects.create(
        user=coordinator_a, kind="projects", format="csv", query="status=nonsense", language="en", total=4
    )
    with pytest.raises(ValueError):
        services.export_build(export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.finished_at is not None and not export.file
