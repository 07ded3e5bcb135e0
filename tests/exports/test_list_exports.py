import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from masar.delivery.models import Obstacle, ProjectHealth
from masar.exports.selectors import export_headers
from masar.portfolio.models import Project


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","  # French and Arabic files use ";"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_xlsx(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def codes(rows):
    return sorted(row[0] for row in rows[1:])


def test_the_csv_holds_the_filtered_projects_with_headers_and_plain_values(projects, client_for, coordinator_a):
    response = client_for(coordinator_a).get("/en/exports/projects.csv", {"status": "in_progress"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="projects.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["code", "name (Arabic)", "name (French)"]
    assert rows[0][8:10] == ["computed rating", "declared confidence"]
    assert [row[:15] for row in rows[1:]] == [
        [
            "P-PUB",
            "مشروع P-PUB",
            "Projet public",
            "",
            "Ministry of Communication Technologies",
            "برنامج التحول الرقمي 2025-2026",
            "التحول الرقمي للإدارة",
            "In progress",
            str(ProjectHealth.objects.get().get_computed_display()),
            "",
            "2025-03-01",
            "2026-06-30",
            "150000.50",
            "TND",
            "Public",
        ]
    ]


def test_the_xlsx_holds_real_dates_and_numbers(projects, client_for, coordinator_a):
    response = client_for(coordinator_a).get("/en/exports/projects.xlsx", {"status": "in_progress"})
    assert response.status_code == 200
    assert 'filename="projects.xlsx"' in response["Content-Disposition"]
    sheet, rows = read_xlsx(response)
    assert not sheet.sheet_view.rightToLeft
    assert rows[0] == export_headers("projects")
    (row,) = rows[1:]
    assert row[0] == "P-PUB"
    assert row[10] == datetime.datetime(2025, 3, 1)  # a date cell; openpyxl reads dates back as datetimes
    assert sheet.cell(row=2, column=11).is_date
    assert row[12] == 150000.5
    assert row[9] is None  # no declared confidence yet


def test_an_arabic_xlsx_is_right_to_left_with_arabic_headers(projects, client_for, coordinator_a):
    sheet, rows = read_xlsx(client_for(coordinator_a).get("/ar/exports/projects.xlsx"))
    assert sheet.sheet_view.rightToLeft
    with translation.override("ar"):
        assert rows[0] == export_headers("projects")
        assert rows[0][7] == str(Project._meta.get_field("status").verbose_name)
    assert rows[0][7] != "status"
    assert [row[7] for row in rows if row[0] == "P-RES"] == ["مبرمج"]  # "Planned" in the Arabic catalogue


def test_french_exports_have_french_headers(projects, obstacles, client_for, coordinator_a):
    rows = read_csv(client_for(coordinator_a).get("/fr/exports/projects.csv"))
    assert rows[0][0] == "code"
    assert rows[0][4] == "structure porteuse"
    assert rows[0][7] == "statut"
    assert rows[0][8] == "notation calculée"
    assert rows[0][10] == "début prévu"
    with translation.override("fr"):
        assert rows[0] == export_headers("projects")
    with translation.override("fr"):
        assert [row[7] for row in rows if row[0] == "P-PUB"] == [
            str(Project(status="in_progress").get_status_display())
        ]
    obstacle_rows = read_csv(client_for(coordinator_a).get("/fr/exports/obstacles.csv"))
    assert obstacle_rows[0][2:4] == ["catégorie", "gravité"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("coordinator_a", ["P-CONF", "P-PUB", "P-RES"]),
        ("viewer_a", ["P-CONF", "P-PUB", "P-RES"]),
        ("coordinator_b", ["P-B-CONF", "P-PUB", "P-RES"]),
        (None, ["P-PUB"]),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_show_only_what_the_reader_may_see(projects, client_for, request, who, expected, fmt):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(f"/en/exports/projects.{fmt}")
    assert response.status_code == 200
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[1]
    assert codes(rows) == expected
    assert codes(rows) == sorted(Project.objects.visible_to(user).values_list("code", flat=True))


def test_an_anonymous_visitor_cannot_filter_on_confidential(projects, client_for):
    response = client_for(None).get("/en/exports/projects.csv", {"classification": "confidential"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_bad_filters_are_refused_with_the_forms_translated_errors(projects, client_for, viewer_a):
    response = client_for(viewer_a).get("/fr/exports/projects.xlsx", {"status": "nonsense", "strategy": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sélectionnez un choix valide" in page
    response = client_for(viewer_a).get("/en/exports/obstacles.csv", {"severity": "apocalyptic"})
    assert response.status_code == 400


def test_an_unknown_list_or_format_is_a_404(client_for, viewer_a):
    assert client_for(viewer_a).get("/en/exports/secrets.csv").status_code == 404
    assert client_for(viewer_a).get("/en/exports/projects.pdf").status_code == 404


def test_obstacles_are_filtered_and_read_through_their_project(obstacles, client_for, viewer_a, coordinator_b):
    rows = read_csv(client_for(viewer_a).get("/en/exports/obstacles.csv", {"category": "legal", "severity": "high"}))
    assert rows[0][:4] == ["code", "project", "category", "severity"]
    assert sorted((row[0], row[4]) for row in rows[1:]) == [
        ("P-CONF", "confidential obstacle"),
        ("P-PUB", "قانون غائب"),
    ]
    assert rows[1][7] == "2026-07-01"
    other = read_csv(client_for(coordinator_b).get("/en/exports/obstacles.csv"))
    assert codes(other) == ["P-B-CONF", "P-PUB", "P-PUB", "P-RES"]
    anonymous = read_csv(client_for(None).get("/en/exports/obstacles.csv"))
    assert [(row[0], row[4]) for row in anonymous[1:]] == [("P-PUB", "serveur lent")]
    assert len(anonymous) - 1 == Obstacle.objects.visible_to(None).count()


def test_obstacles_xlsx_has_date_cells(obstacles, client_for, viewer_a):
    sheet, rows = read_xlsx(client_for(viewer_a).get("/en/exports/obstacles.xlsx", {"status": "open"}))
    assert len(rows) == 1 + 4
    assert all(row[7] == datetime.datetime(2026, 7, 1) for row in rows[1:])


def test_text_that_looks_like_a_formula_stays_text(projects, client_for, viewer_a):
    Project.objects.filter(code="P-PUB").update(name_fr='=HYPERLINK("http://evil.example","x")')
    rows = read_csv(client_for(viewer_a).get("/en/exports/projects.csv", {"status": "in_progress"}))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","x")'
    sheet, rows = read_xlsx(client_for(viewer_a).get("/en/exports/projects.xlsx", {"status": "in_progress"}))
    assert rows[1][2] == '=HYPERLINK("http://evil.example","x")'
    assert sheet.cell(row=2, column=3).data_type == "s"
