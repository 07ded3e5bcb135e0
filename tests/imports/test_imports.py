"""Bulk imports from the pages: formats, dry runs, atomic commits, idempotency, refusals and who sees a job."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from masar.imports.models import ExternalReference, ImportJob, ImportStatus
from masar.imports.services import import_records, import_start
from masar.indicators.models import Measurement
from masar.portfolio.models import Milestone, Project
from tests.imports.factories import csv_file, json_file, measurement_row, project_row, xlsx_file


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def codes(job):
    return [(p["row"], p["column"], p["code"]) for p in job.errors]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file, json_file], ids=["csv", "xlsx", "json"])
def test_each_format_creates_projects_with_milestones(axis, coordinator_a, make_file):
    rows = [
        project_row(),
        project_row(milestone_order="2", milestone_name_ar="معلم ثان", milestone_planned_date="2025-09-01"),
        project_row("P2", "IMP-2"),
    ]
    job = import_start(actor=coordinator_a, kind="projects", upload=make_file(rows), dry_run=False)
    assert job.status == ImportStatus.DONE, job.errors
    assert sorted(Project.objects.values_list("code", flat=True)) == ["IMP-1", "IMP-2"]
    assert Milestone.objects.filter(project__code="IMP-1").count() == 2
    assert (job.created_count, job.total_rows, job.processed_rows) == (3, 3, 3)


def test_json_records_wrapped_in_an_object_and_the_api_entry_point(axis, coordinator_a):
    job = import_start(
        actor=coordinator_a, kind="projects", upload=json_file([project_row()], wrapped=True), dry_run=False
    )
    assert job.status == ImportStatus.DONE, job.errors
    again = import_records(
        actor=coordinator_a, kind="projects", records=[project_row(name_ar="اسم جديد")], dry_run=False
    )
    assert again.status == ImportStatus.DONE and again.updated_count == 1
    assert Project.objects.get(code="IMP-1").name_ar == "اسم جديد"


def test_a_dry_run_changes_nothing_and_reports_row_column_and_reason(axis, coordinator_a):
    rows = [project_row(), project_row("P2", "IMP-2", owner="NOPE", planned_end="2026-13-01")]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=True)
    assert not Project.objects.exists() and not ExternalReference.objects.exists()
    assert job.status == ImportStatus.REFUSED
    assert codes(job) == [(3, "owner", "unknown_organization"), (3, "planned_end", "not_a_date")]
    good = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows[:1]), dry_run=True)
    assert good.status == ImportStatus.DONE and good.created_count == 1  # positive control: it would create one
    assert not Project.objects.exists()


def test_the_problems_are_stored_as_keys_and_worded_when_read(axis, coordinator_a, client_for):
    rows = [project_row(owner="NOPE")]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=True, language="ar")
    assert job.errors == [{"row": 2, "column": "owner", "code": "unknown_organization", "params": {"value": "NOPE"}}]
    page = client_for(coordinator_a).get(f"/en/imports/{job.pk}/").content.decode()
    assert "No organization has the code “NOPE”." in page


def test_one_bad_row_and_nothing_is_written(axis, coordinator_a):
    rows = [project_row(), project_row("P2", "IMP-2", planned_end="2024-01-01")]  # ends before it starts
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert job.status == ImportStatus.REFUSED
    assert [(p["row"], p["column"]) for p in job.errors] == [(3, "planned_end")]
    assert job.errors[0]["code"] == "rule" and job.errors[0]["params"]["texts"]["en"]
    assert not Project.objects.exists() and not Milestone.objects.exists() and not ExternalReference.objects.exists()


def test_the_same_file_twice_updates_and_never_duplicates(axis, coordinator_a):
    rows = [project_row(), project_row("P2", "IMP-2")]
    first = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    again = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert (first.created_count, again.created_count, again.unchanged_count) == (2, 0, 2)
    rows[0]["name_ar"] = "اسم معدل"
    rows[0]["code"] = "IMP-1-NEW"  # the sending system renamed its project: same record, new code
    third = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert third.status == ImportStatus.DONE and third.updated_count == 1
    assert Project.objects.count() == 2 and Milestone.objects.count() == 2
    assert Project.objects.get(code="IMP-1-NEW").name_ar == "اسم معدل"
    assert Project.objects.get(code="IMP-1-NEW").version == 2


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+cmd", "-2+3", "@SUM(A1)"])
def test_formula_cells_are_refused(axis, coordinator_a, text):
    job = import_start(
        actor=coordinator_a, kind="projects", upload=csv_file([project_row(name_ar=text)]), dry_run=False
    )
    assert codes(job) == [(2, "name_ar", "formula")]
    assert not Project.objects.exists()


def test_a_negative_number_is_no_formula_but_a_formula_in_a_number_is(indicator_a, coordinator_a):
    job = import_start(
        actor=coordinator_a,
        kind="measurements",
        upload=csv_file([measurement_row(value="=1+2")]),
        dry_run=True,
    )
    assert codes(job) == [(2, "value", "formula")]


def test_a_file_in_another_encoding_is_refused_naming_the_row(axis, coordinator_a):
    rows = [project_row(), project_row("P2", "IMP-2", name_ar="مشروع ثان")]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows, encoding="cp1256"), dry_run=False)
    assert job.status == ImportStatus.REFUSED
    assert codes(job) == [(2, "", "encoding")]
    assert not Project.objects.exists()
    with_bom = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows, bom=True), dry_run=False)
    assert with_bom.status == ImportStatus.DONE, with_bom.errors  # positive control: UTF-8 with a BOM reads


def test_an_unknown_column_is_refused_not_ignored(axis, coordinator_a):
    job = import_start(
        actor=coordinator_a, kind="projects", upload=csv_file([project_row(colour="blue")]), dry_run=False
    )
    assert codes(job) == [(1, "colour", "unknown_column")]
    assert not Project.objects.exists()


def test_a_row_of_another_ministry_is_an_error_and_nothing_is_written(axis, coordinator_a, ministry_b):
    rows = [project_row(), project_row("P2", "IMP-2", owner="MIN-B")]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert codes(job) == [(3, "owner", "not_permitted")]
    assert not Project.objects.exists()


def test_a_viewer_may_not_import_a_project_a_coordinator_may(axis, viewer_a, coordinator_a):
    job = import_start(actor=viewer_a, kind="projects", upload=csv_file([project_row()]), dry_run=False)
    assert codes(job) == [(2, "owner", "not_permitted")]
    ok = import_start(actor=coordinator_a, kind="projects", upload=csv_file([project_row()]), dry_run=False)
    assert ok.status == ImportStatus.DONE


def test_an_existing_project_of_another_ministry_is_not_updated(axis, coordinator_b, coordinator_a):
    import_start(actor=coordinator_a, kind="projects", upload=csv_file([project_row()]), dry_run=False)
    job = import_start(
        actor=coordinator_b, kind="projects", upload=csv_file([project_row(name_ar="سطو")]), dry_run=False
    )
    assert codes(job) == [(2, "code", "not_permitted")]
    assert Project.objects.get(code="IMP-1").name_ar == "مشروع IMP-1"


def test_measurements_with_eastern_digits_are_imported_and_resent_without_duplicates(indicator_a, coordinator_a):
    rows = [measurement_row(period="٢٠٢٣-٠١", value="١٢"), measurement_row("M2", period="2022-01", value="10")]
    first = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False, language="ar")
    assert first.status == ImportStatus.DONE, first.errors
    assert Measurement.objects.get(period=datetime.date(2023, 1, 1)).value == 12
    again = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert (again.status, again.unchanged_count, Measurement.objects.count()) == (ImportStatus.DONE, 2, 2)


def test_measurements_of_another_ministrys_indicator_are_refused(indicator_a, indicator_b, coordinator_a):
    rows = [measurement_row(), measurement_row("M2", indicator="IND-B"), measurement_row("M3", indicator="NOPE")]
    job = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert codes(job) == [(3, "indicator", "not_permitted"), (4, "indicator", "unknown_indicator")]
    assert not Measurement.objects.exists()


def test_progress_updates_and_obstacles_go_through_the_delivery_services(axis, coordinator_a, manager_b):
    import_start(actor=coordinator_a, kind="projects", upload=csv_file([project_row()]), dry_run=False)
    update = {
        "source_system": "finance",
        "external_id": "U1",
        "project": "IMP-1",
        "period": "2025-03",
        "percent_complete": "10",
        "spend_to_date": "100",
        "declared_confidence": "green",
        "submit": "yes",
    }
    job = import_start(actor=coordinator_a, kind="progress_updates", upload=csv_file([update]), dry_run=False)
    assert job.status == ImportStatus.DONE, job.errors
    project = Project.objects.get(code="IMP-1")
    assert project.updates.get().status == "submitted"
    obstacle = {
        "source_system": "finance",
        "external_id": "O1",
        "project": "IMP-1",
        "category": "funding",
        "severity": "high",
        "description": "تأخر التمويل",
        "must_act": "MIN-A",
    }
    job = import_start(actor=coordinator_a, kind="obstacles", upload=json_file([obstacle]), dry_run=False)
    assert job.status == ImportStatus.DONE, job.errors
    refused = import_start(actor=manager_b, kind="obstacles", upload=json_file([obstacle]), dry_run=False)
    assert codes(refused) == [(1, "project", "not_permitted")]
    assert project.obstacles.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_large_file_goes_to_the_worker_and_reports_progress(axis, coordinator_a, settings, client_for):
    settings.IMPORT_WORKER_ROWS = 2
    rows = [project_row(f"P{n}", f"IMP-{n}") for n in range(5)]
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(rows), dry_run=False)
    assert (job.status, job.total_rows, job.processed_rows) == (ImportStatus.QUEUED, 5, 0)
    assert not Project.objects.exists()
    page = client_for(coordinator_a).get(f"/en/imports/{job.pk}/").content.decode()
    assert f'hx-get="/en/imports/{job.pk}/progress/"' in page and "<bdi>0</bdi> of <bdi>5</bdi> rows" in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == (ImportStatus.DONE, 5, 5), job.errors
    assert Project.objects.count() == 5
    done = client_for(coordinator_a).get(f"/en/imports/{job.pk}/progress/").content.decode()
    assert "<bdi>5</bdi> of <bdi>5</bdi> rows" in done and "hx-get" not in done


def test_the_job_page_shows_only_to_its_owner(axis, coordinator_a, viewer_a, coordinator_b, client_for):
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file([project_row()]), dry_run=True)
    assert client_for(coordinator_a).get(f"/en/imports/{job.pk}/").status_code == 200
    assert client_for(viewer_a).get(f"/en/imports/{job.pk}/").status_code == 404
    assert client_for(coordinator_b).get(f"/en/imports/{job.pk}/").status_code == 404
    assert client_for(coordinator_b).get(f"/en/imports/{job.pk}/progress/").status_code == 404
    assert client_for(None).get(f"/en/imports/{job.pk}/").status_code == 302


def test_the_import_page_starts_a_dry_run_and_lists_the_readers_imports(axis, coordinator_a, coordinator_b, client_for):
    client = client_for(coordinator_a)
    upload = csv_file([project_row()], name="mes-projets.csv")
    response = client.post("/fr/imports/", {"kind": "projects", "file": upload, "dry_run": "1"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fr/imports/{job.pk}/"
    assert job.dry_run and not Project.objects.exists()
    assert "mes-projets.csv" in client.get("/fr/imports/").content.decode()
    assert "mes-projets.csv" not in client_for(coordinator_b).get("/fr/imports/").content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_per_kind_has_the_column_headers(client_for, fmt, db):
    response = client_for(None).get(f"/ar/imports/templates/measurements.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").splitlines()[0].startswith("source_system,external_id,indicator")
    else:
        import io

        from openpyxl import load_workbook

        header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert header[:3] == ("source_system", "external_id", "indicator")


def test_a_json_file_that_is_not_a_list_is_refused(coordinator_a, db):
    upload = SimpleUploadedFile("x.json", json.dumps({"rows": []}).encode())
    job = import_start(actor=coordinator_a, kind="projects", upload=upload, dry_run=True)
    assert codes(job) == [(0, "", "json_shape")]


def test_a_file_holding_a_nul_character_is_refused_naming_its_row(axis, coordinator_a):
    from django.core.files.base import ContentFile

    content = b"source_system,external_id\nA,1\nB,\x002\n"
    job = import_start(actor=coordinator_a, kind="projects", upload=ContentFile(content, name="x.csv"), dry_run=True)
    assert job.status == ImportStatus.REFUSED and codes(job) == [(3, "", "nul")]
    odd = ContentFile(b'[{"source_system": "A", "col\\udc00": 1}]', name="x.json")  # an unpaired surrogate escape
    job = import_start(actor=coordinator_a, kind="projects", upload=odd, dry_run=True)
    assert job.status == ImportStatus.REFUSED
