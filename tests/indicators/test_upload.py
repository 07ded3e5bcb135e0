"""Uploading a spreadsheet: every row is checked first; one bad row and nothing from the file is saved."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from masar.indicators.models import Measurement, MeasurementStatus
from tests.indicators.factories import approved, year

PAYLOAD = re.compile(r'name="payload" value="([^"]+)"')


def xlsx(rows, name="values.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(text, name="values.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding))


def upload(client, indicator, file, language="en"):
    return client.post(f"/{language}/indicators/{indicator.pk}/upload/", {"file": file})


def errors_of(response):
    body = response.content.decode()
    table = body[body.index('id="upload-errors"') : body.index("</table>", body.index('id="upload-errors"'))]
    rows = re.findall(
        r'<tr class="upload-error"><td class="num">([^<]*)</td><td>(.*?)</td><td>(.*?)</td></tr>', table, re.S
    )
    return [(row, re.sub(r"<[^>]+>", "", column).strip(), re.sub(r"\s+", " ", reason)) for row, column, reason in rows]


GOOD = [
    ["period", "region", "value", "weight", "comment"],
    [2023, "TN-11", 71.5, 1050, None],
    [2023, "Sfax", "64.5", 950, None],
    [2023, "قفصة", "٣٨٫٢٥", "337", "تقدير أولي"],
]


def test_a_good_file_is_previewed_then_saved_as_submitted(coverage, regions, client_for, coordinator_a):
    client = client_for(coordinator_a)
    rows = [row[:] for row in GOOD]
    rows[2][2] = "64,5"  # a French decimal comma, read as such on the French pages
    preview = upload(client, coverage, xlsx(rows), language="fr")
    assert preview.status_code == 200
    assert not Measurement.objects.exists()  # the preview saves nothing
    body = preview.content.decode()
    assert 'id="preview-rows"' in body and "Gafsa" in body
    payload = PAYLOAD.search(body).group(1)
    committed = client.post(f"/fr/indicators/{coverage.pk}/upload/", {"payload": payload, "action": "submit"})
    assert committed.status_code == 302
    saved = {m.region.code: m for m in Measurement.objects.select_related("region")}
    assert {code: str(m.value) for code, m in saved.items()} == {
        "TN-11": "71.5000",
        "TN-61": "64.5000",
        "TN-71": "38.2500",
    }
    assert all(m.status == MeasurementStatus.SUBMITTED and m.entered_by == coordinator_a for m in saved.values())
    assert saved["TN-71"].comment == "تقدير أولي" and saved["TN-71"].source == "upload: values.xlsx"


def test_one_bad_row_changes_nothing_and_is_reported_with_its_row_column_and_reason(
    coverage, regions, client_for, coordinator_a
):
    rows = [*GOOD, [2024, "TN-11", 140, 1050, None]]
    response = upload(client_for(coordinator_a), coverage, xlsx(rows))
    assert response.status_code == 400
    assert "Nothing from this file was saved" in response.content.decode()
    assert errors_of(response) == [("5", "C value", "A percentage lies between 0 and 100; 140 does not.")]
    assert 'name="payload"' not in response.content.decode()
    assert not Measurement.objects.exists()


def test_every_kind_of_bad_row_is_reported_in_the_users_language(
    coverage, regions, client_for, coordinator_a, national
):
    approved(coverage, year(2022), 60, region=regions["tunis"], weight=1000, by=coordinator_a, approver=national)
    rows = [
        ["période", "région", "valeur", "poids"],
        ["2023", "TN-11", "beaucoup", "1000"],  # text where a number belongs
        ["2023-13", "TN-61", "50", "900"],  # no such period
        ["2023", "Atlantide", "50", "900"],  # no such region
        ["2023", "TN-71", "40", "300"],
        ["2023", "قفصة", "41", "300"],  # the same period and region again
        ["2022", "TN-11", "61", "1000"],  # approved already: locked
    ]
    response = upload(client_for(coordinator_a), coverage, xlsx(rows), language="fr")
    assert response.status_code == 400
    found = {(row, column.split()[0]): reason for row, column, reason in errors_of(response)}
    assert set(found) == {("2", "C"), ("3", "A"), ("4", "B"), ("6", "A"), ("7", "A")}
    assert "n’est pas un nombre" in found["2", "C"] or "n'est pas un nombre" in found["2", "C"]
    assert Measurement.objects.count() == 1


def test_a_file_with_a_wrong_header_is_refused_naming_the_columns(coverage, regions, client_for, coordinator_a):
    rows = [["period", "governorate_name", "amount"], [2023, "TN-11", 50]]
    response = upload(client_for(coordinator_a), coverage, xlsx(rows))
    assert response.status_code == 400
    reasons = [reason for _row, _column, reason in errors_of(response)]
    assert any("“governorate_name” is not a column" in r for r in reasons)
    assert any("The column “value” is missing" in r for r in reasons)
    assert any("period, region, value, weight, comment" in r for r in reasons)
    assert not Measurement.objects.exists()


def test_a_csv_with_arabic_headers_semicolons_and_eastern_digits_is_read(services_online, client_for, coordinator_a):
    text = "الفترة;القيمة;ملاحظة\n٢٠٢٣;٢٥٠;\n2024;300;\n"
    client = client_for(coordinator_a)
    response = upload(client, services_online, csv_file(text))
    assert response.status_code == 200, errors_of(response)
    payload = PAYLOAD.search(response.content.decode()).group(1)
    assert client.post(f"/en/indicators/{services_online.pk}/upload/", {"payload": payload}).status_code == 302
    assert sorted((m.period.year, int(m.value), m.status) for m in Measurement.objects.all()) == [
        (2023, 250, "draft"),
        (2024, 300, "draft"),
    ]


def test_a_commit_checks_the_rows_again_and_saves_none_if_one_now_fails(
    services_online, client_for, coordinator_a, national
):
    client = client_for(coordinator_a)
    response = upload(client, services_online, csv_file("period,value\n2023,250\n2024,300\n"))
    payload = PAYLOAD.search(response.content.decode()).group(1)
    approved(services_online, year(2024), 310, by=national, approver=coordinator_a)  # someone was quicker
    committed = client.post(f"/en/indicators/{services_online.pk}/upload/", {"payload": payload})
    assert committed.status_code == 400
    assert errors_of(committed)[0][0] == "3"
    assert list(Measurement.objects.values_list("value", flat=True)) == [310]


def test_an_altered_preview_is_refused(services_online, client_for, coordinator_a):
    response = client_for(coordinator_a).post(f"/en/indicators/{services_online.pk}/upload/", {"payload": "forged:abc"})
    assert response.status_code == 400 and "expired or was altered" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(services_online, client_for, coordinator_a):
    response = upload(client_for(coordinator_a), services_online, SimpleUploadedFile("notes.pdf", b"%PDF-1.4"))
    assert response.status_code == 400 and "Upload an XLSX workbook or a CSV file" in response.content.decode()


@pytest.mark.parametrize(
    "user_name,status", [("viewer_a", 403), ("coordinator_b", 403), ("manager_a", 403), (None, 302)]
)
def test_only_who_may_enter_values_may_upload(services_online, client_for, request, user_name, status):
    user = request.getfixturevalue(user_name) if user_name else None
    client = client_for(user)
    assert client.get(f"/en/indicators/{services_online.pk}/upload/").status_code == status
    assert upload(client, services_online, csv_file("period,value\n2023,250\n")).status_code == status
    assert not Measurement.objects.exists()


def test_the_template_spreadsheet_has_the_indicators_columns_in_the_readers_language(coverage, client_for, viewer_a):
    response = client_for(viewer_a).get(f"/en/indicators/{coverage.pk}/upload/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["period", "region", "value", "weight", "comment"]


def test_a_regional_indicators_template_has_a_row_ready_for_each_region_and_reads_back(
    coverage, regions, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    response = client.get(f"/en/indicators/{coverage.pk}/upload/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    last_year = str(datetime.date.today().year - 1)
    assert [row[:2] for row in rows[1:]] == [[last_year, "تونس"], [last_year, "صفاقس"], [last_year, "قفصة"]]
    for row, value in zip(rows[1:], (70, 60, 40), strict=True):
        row[2:4] = [value, 100]
    preview = upload(client, coverage, xlsx(rows))
    assert preview.status_code == 200 and 'id="preview-rows"' in preview.content.decode()


def test_services_online_template_has_headers_only(services_online, client_for, coordinator_a):
    response = client_for(coordinator_a).get(f"/en/indicators/{services_online.pk}/upload/template.xlsx")
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 1
