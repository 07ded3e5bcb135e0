"""Hostile files sent to the bulk import page: each refused with the import's own worded reason, nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masar.imports.models import ImportJob, ImportStatus
from masar.imports.services import import_start
from masar.indicators.models import Measurement
from tests.core import hostile
from tests.imports.factories import csv_file, measurement_row


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_XLSX_MAX_ROWS = 5000  # the limit's place in the reading, not its size, is under test


def codes(job):
    return [(p["row"], p["column"], p["code"]) for p in job.errors]


HEADER = list(measurement_row())
FILES = {
    "million-rows": (lambda: hostile.million_rows_workbook(header=HEADER), "data.xlsx"),
    "million-numbered-rows": (lambda: hostile.million_rows_workbook(header=HEADER, numbered=True), "data.xlsx"),
    "many-rows": (lambda: hostile.many_rows_workbook(20_000, header=HEADER), "data.xlsx"),
    "giant-cell": (lambda: hostile.giant_cell_workbook(100_000_000), "data.xlsx"),
    "billion-laughs": (hostile.billion_laughs_workbook, "data.xlsx"),
    "external-entity": (hostile.external_entity_workbook, "data.xlsx"),
    "zip-bomb": (hostile.zip_bomb_workbook, "data.xlsx"),
    "wide-csv": (hostile.wide_csv, "data.csv"),
    "giant-field": (lambda: hostile.giant_field_csv(header=",".join(HEADER)), "data.csv"),
    "utf16-no-bom": (lambda: "external_id,value\nM1,5\n".encode("utf-16-le"), "data.csv"),
}
EXPECTED = {
    "million-rows": "zip_bomb",
    "million-numbered-rows": "too_many_rows",
    "many-rows": "too_many_rows",
    "giant-cell": "zip_bomb",
    "billion-laughs": "markup",
    "external-entity": "markup",
    "zip-bomb": "zip_bomb",
    "wide-csv": "line_too_long",
    "giant-field": "line_too_long",
    "utf16-no-bom": "encoding",
}


@pytest.mark.parametrize("name", list(FILES))
def test_a_hostile_file_is_refused_with_a_worded_reason_and_changes_nothing(
    name, indicator_a, coordinator_a, client_for
):
    build, filename = FILES[name]
    job = import_start(
        actor=coordinator_a, kind="measurements", upload=SimpleUploadedFile(filename, build()), dry_run=False
    )
    assert job.status == ImportStatus.REFUSED
    assert [code for _row, _column, code in codes(job)] == [EXPECTED[name]]
    assert not Measurement.objects.exists()
    page = client_for(coordinator_a).get(f"/fr/imports/{job.pk}/")
    assert page.status_code == 200 and "problem" in page.content.decode()


def test_the_xlsx_row_limit_is_its_own(settings, indicator_a, coordinator_a):
    settings.IMPORT_XLSX_MAX_ROWS = 3
    rows = [measurement_row(f"M{n}", period=f"{2010 + n}-01") for n in range(1, 5)]
    from tests.imports.factories import xlsx_file

    job = import_start(actor=coordinator_a, kind="measurements", upload=xlsx_file(rows), dry_run=True)
    assert codes(job) == [(5, "", "too_many_rows")]
    same_as_csv = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=True)
    assert same_as_csv.status == ImportStatus.DONE, same_as_csv.errors  # positive control: CSV takes them


def test_a_stale_dimension_imports_every_row(indicator_a, coordinator_a):
    rows = [list(measurement_row(f"M{n}", period=f"{2010 + n}-01").values()) for n in range(1, 11)]
    content = hostile.table_workbook(HEADER, rows, dimension="A1:E3")
    job = import_start(
        actor=coordinator_a, kind="measurements", upload=SimpleUploadedFile("d.xlsx", content), dry_run=False
    )
    assert job.status == ImportStatus.DONE, job.errors
    assert Measurement.objects.count() == 10 and ImportJob.objects.get().total_rows == 10


def test_a_utf16_file_with_its_mark_imports(indicator_a, coordinator_a):
    text = ",".join(HEADER) + "\n" + ",".join(measurement_row().values()) + "\n"
    for encoded in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        job = import_start(
            actor=coordinator_a, kind="measurements", upload=SimpleUploadedFile("d.csv", encoded), dry_run=True
        )
        assert job.status == ImportStatus.DONE, job.errors
