"""Exports stream: their queries do not grow with their rows, rows are read in chunks as they are written, and a
download below the background threshold is sent as it is written, private, through the reader's visibility."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from masar.core.models import Classification
from masar.exports.models import Export, ExportFormat, ExportStatus
from masar.exports.selectors import export_form, export_queryset, export_values
from masar.exports.services import export_build
from masar.organizations.models import RegionKind
from masar.organizations.services import region_create
from masar.portfolio.models import Project
from masar.portfolio.rows import REGION_SEPARATOR
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def regions():
    country = region_create(actor=None, kind=RegionKind.COUNTRY, code="TN", name_ar="تونس")
    return [
        region_create(actor=None, kind=RegionKind.GOVERNORATE, code="TN-61", name_ar="صفاقس", parent=country),
        region_create(actor=None, kind=RegionKind.GOVERNORATE, code="TN-11", name_ar="تونس", parent=country),
    ]


@pytest.fixture
def add_projects(ministry_a, ministry_b, axis, regions):
    """Add projects S-<n> up to a number, every third in ministry B and confidential, each in one or two regions."""

    def add(upto):
        for number in range(Project.objects.filter(code__startswith="S-").count(), upto):
            other = number % 3 == 2
            project = make_project(
                f"S-{number:03d}",
                ministry_b if other else ministry_a,
                axis,
                name_fr=f"Projet {number}",
                classification=Classification.CONFIDENTIAL if other else Classification.PUBLIC,
            )
            project.regions.set(regions[: 1 + number % 2])

    return add


def expected_rows(user):
    """Return (code, French name, owner, regions) of each project the user may read, read one by one, in English."""
    rows = []
    with translation.override("en"):
        for project in Project.objects.visible_to(user).order_by("code"):
            names = REGION_SEPARATOR.join(r.name for r in project.regions.order_by("path"))
            rows.append([project.code, project.name_fr, project.owner.name, names])
    return rows


def build(user, fmt):
    export = Export.objects.create(user=user, kind="projects", format=fmt, language="en")
    with CaptureQueriesContext(connection) as captured:
        export = export_build(export=export)
    assert export.status == ExportStatus.DONE, export.error
    return export, len(captured)


def read_back(export):
    with export.file.open("rb") as handle:
        content = handle.read()
    if export.format == ExportFormat.CSV:
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def picked(rows):
    """Return the code, French name, owner and regions columns of a file's rows (headers left out)."""
    return [[row[0], row[2], row[4], row[18]] for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_background_export_reads_as_many_queries_for_30_projects_as_for_3(add_projects, coordinator_b, fmt):
    add_projects(3)
    build(coordinator_b, fmt)  # the first build reads what the process caches (content types of the audit trail)
    few_export, few = build(coordinator_b, fmt)
    assert picked(read_back(few_export)) == expected_rows(coordinator_b)
    add_projects(30)
    export, many = build(coordinator_b, fmt)
    assert many == few
    expected = expected_rows(coordinator_b)
    assert len(expected) == 30  # ministry B's confidential projects and ministry A's public ones
    assert picked(read_back(export)) == expected
    assert export.rows_written == 30


def test_a_background_export_holds_only_what_its_owner_may_read(add_projects, coordinator_a, coordinator_b):
    add_projects(30)
    hidden = Project.objects.filter(owner__code="MIN-B", classification=Classification.CONFIDENTIAL)
    assert hidden.exists()  # the positive control: ministry B's confidential projects are there
    export, _ = build(coordinator_a, "csv")
    codes = [row[0] for row in read_back(export)[1:]]
    assert codes == [row[0] for row in expected_rows(coordinator_a)]
    assert not set(codes) & set(hidden.values_list("code", flat=True))
    export, _ = build(coordinator_b, "csv")
    assert set(hidden.values_list("code", flat=True)) <= {row[0] for row in read_back(export)[1:]}


def test_an_exports_rows_are_read_in_chunks_as_they_are_written(add_projects, national):
    add_projects(30)
    form = export_form("projects", {}, national)
    assert form.is_valid()
    rows = export_values("projects", export_queryset("projects", form, national), national, chunk_size=10)
    with CaptureQueriesContext(connection) as first:
        next(rows)
    with CaptureQueriesContext(connection) as rest:
        remaining = list(rows)
    assert len(remaining) == 29
    # The projects in one statement, their regions read chunk by chunk: 10 projects at a time are held, not 30.
    assert len(first) == 2
    assert len(rest) == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_below_the_threshold_is_streamed_private_and_through_the_readers_visibility(
    add_projects, client_for, coordinator_a, fmt
):
    add_projects(12)
    hidden = Project.objects.filter(owner__code="MIN-B", classification=Classification.CONFIDENTIAL)
    assert hidden.count() == 4  # the positive control: there is something the coordinator of A may not read
    response = client_for(coordinator_a).get(f"/en/exports/projects.{fmt}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # a FileResponse is one too
    assert response["Content-Disposition"] == f'attachment; filename="projects.{fmt}"'
    body = b"".join(response.streaming_content)
    assert response["Cache-Control"] == "private, no-store"
    if fmt == ExportFormat.CSV:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
        rows = [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]
    assert picked(rows) == expected_rows(coordinator_a)
    assert not {row[0] for row in rows} & set(hidden.values_list("code", flat=True))


def test_a_csv_download_reads_its_rows_while_it_is_sent(add_projects, client_for, coordinator_a):
    add_projects(6)
    client = client_for(coordinator_a)
    with CaptureQueriesContext(connection) as answering:
        response = client.get("/en/exports/projects.csv")
    with CaptureQueriesContext(connection) as sending:
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == 1 + len(expected_rows(coordinator_a))
    assert not any('"portfolio_project"."name_fr"' in q["sql"] for q in answering.captured_queries)
    assert any('"portfolio_project"."name_fr"' in q["sql"] for q in sending.captured_queries)
