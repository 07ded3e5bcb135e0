"""Hostile files sent to an indicator's upload page: a 400 with the page's own reason, quickly, nothing saved."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masar.indicators.models import Measurement
from tests.core import hostile


def errors_of(response):
    body = response.content.decode()
    return re.findall(r'<tr class="upload-error"><td class="num">([^<]*)</td>', body)


def upload(client, indicator, name, content, language="en"):
    return client.post(f"/{language}/indicators/{indicator.pk}/upload/", {"file": SimpleUploadedFile(name, content)})


CASES = {
    "million-rows": (hostile.million_rows_workbook, "v.xlsx", "would unpack to far more than a spreadsheet holds"),
    "million-numbered-rows": (
        lambda: hostile.million_rows_workbook(numbered=True),
        "v.xlsx",
        "more than 5000 rows",
    ),
    "many-rows": (lambda: hostile.many_rows_workbook(20_000), "v.xlsx", "more than 5000 rows"),
    "giant-cell": (
        lambda: hostile.giant_cell_workbook(100_000_000),
        "v.xlsx",
        "would unpack to far more than a spreadsheet holds",
    ),
    "long-cell": (lambda: hostile.giant_cell_workbook(300_000, compressible=False), "v.xlsx", "longer than 32767"),
    "billion-laughs": (hostile.billion_laughs_workbook, "v.xlsx", "markup no spreadsheet program writes"),
    "external-entity": (hostile.external_entity_workbook, "v.xlsx", "markup no spreadsheet program writes"),
    "wide-csv": (hostile.wide_csv, "v.csv", "A line of the file is longer than"),
    "giant-field": (lambda: hostile.giant_field_csv(4 * 1024 * 1024), "v.csv", "A line of the file is longer than"),
    "too-large": (hostile.giant_field_csv, "v.csv", "larger than 5 MB"),
    "cp1256": (lambda: "الفترة,القيمة\n2023,250\n".encode("cp1256"), "v.csv", "encoding is not recognized (row 1)"),
    "damaged": (lambda: hostile.many_rows_workbook(10)[:300], "v.xlsx", "cannot be read as an XLSX workbook"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_file_is_refused_with_the_pages_reason(name, services_online, client_for, coordinator_a):
    build, filename, reason = CASES[name]
    response = upload(client_for(coordinator_a), services_online, filename, build())
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_refusal_is_worded_in_the_pages_language(services_online, client_for, coordinator_a, settings):
    settings.INDICATOR_UPLOAD_MAX_ROWS = 2
    content = b"period,value\n2023,250\n2024,300\n"
    response = upload(client_for(coordinator_a), services_online, "v.csv", content + b"2022,200\n", language="fr")
    assert response.status_code == 400 and 'lang="fr"' in response.content.decode()
    assert errors_of(response)[0][0] == "4"  # the first row past the limit
    ok = upload(client_for(coordinator_a), services_online, "v.csv", content)
    assert ok.status_code == 200  # positive control: at the limit


def test_a_stale_dimension_loses_no_row(services_online, client_for, coordinator_a):
    content = hostile.table_workbook(["period", "value"], [[2015 + n, 100 + n] for n in range(9)], dimension="A1:B3")
    response = upload(client_for(coordinator_a), services_online, "v.xlsx", content)
    assert response.status_code == 200
    body = response.content.decode()
    assert all(f">{2015 + n}<" in body or f">{100 + n}<" in body for n in range(9)), body
