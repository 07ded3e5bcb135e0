"""Export files open as columns in the reader's spreadsheet; XLSX files are ready to filter."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from masar.exports.writers import csv_lines, xlsx_write

HEADERS = ["code", "value", "period"]
ROWS = [["P-1", Decimal("1250.5"), "Q1 2026"], ["P-2 with a much longer code", Decimal("3"), "Q2 2026"]]


@pytest.mark.parametrize(
    ("language", "delimiter", "number"), [("fr", ";", "1250,5"), ("ar", ";", "1250,5"), ("en", ",", "1250.5")]
)
def test_a_csv_uses_the_separator_and_decimal_sign_of_its_language(language, delimiter, number):
    with translation.override(language):
        lines = csv_lines(HEADERS, ROWS)
    text = "".join(lines).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[0] == HEADERS
    assert rows[1] == ["P-1", number, "Q1 2026"]


def test_an_xlsx_has_a_frozen_filtered_header_and_columns_as_wide_as_their_content():
    target = io.BytesIO()
    rows = [*ROWS, ["P-3", None, datetime.date(2026, 1, 1)]]
    xlsx_write(target, HEADERS, rows, sheet_title="export", right_to_left=True)
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert sheet.column_dimensions["A"].width == len("P-2 with a much longer code") + 2
    assert sheet.column_dimensions["C"].width >= len("Q1 2026")
    assert sheet["C2"].value == "Q1 2026"
