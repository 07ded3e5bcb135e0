"""The safe table reader: what it refuses, where, and that it still reads what people send."""

import codecs
import io
import random

import defusedxml
import openpyxl
import pytest
from openpyxl import load_workbook

from masar.core import tables, zips
from masar.core.tables import TableProblem, TableRefused
from tests.core import hostile

LIMITS = tables.TableLimits(max_rows=5000, max_columns=500, max_cell_chars=32767, max_line_chars=1_000_000)


def refusal(opener, content, limits=LIMITS, **kwargs):
    """Return the TableRefused raised while opening and reading every row."""
    with pytest.raises(TableRefused) as caught:
        table = opener(content, limits, **kwargs)
        list(table.rows)
    return caught.value


def xlsx_refusal(content, limits=LIMITS):
    return refusal(tables.open_xlsx, content, limits, data_only=True)


def rows_of(table):
    return [(number, cells) for number, cells in table.rows]


# Encodings ---------------------------------------------------------------------------------------

TEXT = "الفترة,القيمة,ملاحظة\n2024-01,12,تقدير أولي\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its byte-order mark, little-endian here
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-le", "utf16-be", "utf32"],
)
def test_unicode_files_are_read_by_their_byte_order_mark(encoded):
    table = tables.open_csv(encoded, LIMITS)
    assert table.header == ["الفترة", "القيمة", "ملاحظة"]
    assert rows_of(table) == [(2, ["2024-01", "12", "تقدير أولي"])]


@pytest.mark.parametrize(
    "encoded,line",
    [
        ("الفترة,القيمة\n2024-01,12\n".encode("cp1256"), 1),  # Windows-1256 Arabic
        ("period,value\n2024-01,12\nBéja,3\n".encode("latin-1"), 3),  # Latin-1 French, on its third line
        (TEXT.encode("utf-16-le"), 1),  # UTF-16 without its mark
    ],
    ids=["cp1256", "latin1", "utf16-no-bom"],
)
def test_other_encodings_are_refused_naming_the_line(encoded, line):
    found = refusal(tables.open_csv, encoded)
    assert (found.problem, found.row) == (TableProblem.ENCODING, line)


def test_a_nul_character_is_refused_with_its_line():
    found = refusal(tables.open_csv, b"period,value\n2024-01,1\n2024-02,\x002\n")
    assert (found.problem, found.row) == (TableProblem.NUL, 3)


# CSV limits --------------------------------------------------------------------------------------


def test_a_csv_of_200002_columns_is_refused():
    found = refusal(tables.open_csv, hostile.wide_csv())
    assert found.problem in (TableProblem.LINE_TOO_LONG, TableProblem.TOO_MANY_COLUMNS) and found.row == 1
    # under the line limit, the column limit names its row and the first column past it
    found = refusal(tables.open_csv, hostile.wide_csv(600))
    assert (found.problem, found.row, found.column) == (TableProblem.TOO_MANY_COLUMNS, 1, "SG")


def test_a_5mb_field_is_refused_at_its_row():
    found = refusal(tables.open_csv, hostile.giant_field_csv())
    assert (found.problem, found.row) == (TableProblem.LINE_TOO_LONG, 2)
    # a field that spans lines (quoted newlines) is stopped by the CSV reader's own field limit
    multiline = ('period,value\n2024-01,"' + "x\n" * 100_000 + '"\n').encode()
    found = refusal(tables.open_csv, multiline)
    assert (found.problem, found.row) == (TableProblem.CELL_TOO_LONG, 2)
    # below that limit, the cell limit names the cell
    found = refusal(tables.open_csv, ('period,value\n2024-01,"' + "y" * 40_000 + '"\n').encode())
    assert (found.problem, found.row, found.column) == (TableProblem.CELL_TOO_LONG, 2, "B")


def test_the_row_limit_stops_reading_at_the_first_row_past_it():
    text = "period,value\n" + "2024-01,1\n" * 10
    limits = tables.TableLimits(max_rows=10, max_columns=5, max_cell_chars=100, max_line_chars=1000)
    assert len(rows_of(tables.open_csv(text.encode(), limits))) == 10  # positive control: at the limit
    found = refusal(tables.open_csv, (text + "2024-02,2\n").encode(), limits)
    assert (found.problem, found.row, found.params) == (TableProblem.TOO_MANY_ROWS, 12, {"limit": 10})


# XLSX --------------------------------------------------------------------------------------------


def test_a_stale_dimension_loses_no_row():
    content = hostile.table_workbook(
        ["period", "value", "comment"], [["2024-01", n, "x"] for n in range(10)], dimension="A1:C3"
    )
    stale = load_workbook(io.BytesIO(content), read_only=True)
    assert len(list(stale.worksheets[0].iter_rows(values_only=True))) == 3  # what trusting the tag reads
    table = tables.open_xlsx(content, LIMITS, data_only=True)
    assert [number for number, _cells in table.rows] == list(range(2, 12))


def test_a_million_rows_stop_at_the_row_limit():
    found = xlsx_refusal(hostile.million_rows_workbook(20_000))
    assert (found.problem, found.row) == (TableProblem.TOO_MANY_ROWS, 5002)


def test_the_attacks_million_row_workbook_is_refused_before_it_is_parsed():
    found = xlsx_refusal(hostile.million_rows_workbook())
    assert found.problem in (TableProblem.ZIP_BOMB, TableProblem.TOO_MANY_ROWS)


def test_a_giant_cell_is_refused_before_it_is_parsed():
    assert xlsx_refusal(hostile.giant_cell_workbook(100_000_000)).problem == TableProblem.ZIP_BOMB  # 100 MB
    # within the unpacked limit and at a plain ratio, the cell's length refuses it
    found = xlsx_refusal(hostile.giant_cell_workbook(300_000, compressible=False))
    assert found.problem == TableProblem.CELL_TOO_LONG
    # a long cell the pre-scan lets through is refused at its row and column
    content = hostile.table_workbook(["period", "comment"], [["2024-01", "z" * 33_000]])
    found = xlsx_refusal(content)
    assert (found.problem, found.row, found.column) == (TableProblem.CELL_TOO_LONG, 2, "B")


def test_a_sheet_wider_than_the_limit_is_refused_at_its_row():
    row = b'<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"/></row>'
    header = hostile.row_xml(1, ["period", "value"])
    content = hostile.workbook_bytes([hostile.SHEET_OPEN + b"<sheetData>" + header + row + b"</sheetData></worksheet>"])
    found = xlsx_refusal(content)
    assert (found.problem, found.row) == (TableProblem.TOO_MANY_COLUMNS, 2)


@pytest.mark.parametrize("build", [hostile.billion_laughs_workbook, hostile.external_entity_workbook])
def test_entities_are_refused_before_parsing(build):
    assert xlsx_refusal(build()).problem == TableProblem.MARKUP


@pytest.mark.parametrize("build", [hostile.billion_laughs_workbook, hostile.external_entity_workbook])
def test_openpyxl_parses_through_defusedxml(build):
    """Behind the pre-scan, openpyxl refuses the same payloads itself: defusedxml is installed and used."""
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as caught:
        workbook = load_workbook(io.BytesIO(build()), read_only=True)
        list(workbook.worksheets[0].iter_rows(values_only=True))
    error = caught.value  # openpyxl wraps what the parser raised while it opened the sheet
    assert isinstance(error, defusedxml.DefusedXmlException) or isinstance(
        error.__cause__, defusedxml.DefusedXmlException
    )


def test_a_zip_bomb_is_refused_by_its_stated_size():
    assert xlsx_refusal(hostile.zip_bomb_workbook()).problem == TableProblem.ZIP_BOMB


def test_a_damaged_workbook_is_unreadable():
    content = hostile.table_workbook(["period", "value"], [["2024-01", 1]])
    assert xlsx_refusal(content[: len(content) // 2]).problem == TableProblem.UNREADABLE


def test_a_part_in_utf16_is_refused():
    sheet = (hostile.SHEET_OPEN + b"<sheetData/></worksheet>").decode()
    content = hostile.workbook_bytes([sheet.encode("utf-16-le")], prolog=codecs.BOM_UTF16_LE)
    assert xlsx_refusal(content).problem == TableProblem.MARKUP


def test_the_zip_limits_are_the_ones_set(settings):
    settings.UPLOAD_MAX_UNZIPPED_MB = 1
    content = hostile.many_rows_workbook(40_000)
    with pytest.raises(zips.ZipRefused) as caught:
        zips.check_zip(content, zips.ZipLimits.from_settings())
    assert caught.value.problem == zips.ZipProblem.BOMB
    settings.UPLOAD_MAX_UNZIPPED_MB = 50
    zips.check_zip(content, zips.ZipLimits.from_settings())  # positive control


def test_a_sheet_under_another_name_is_scanned_too():
    assert xlsx_refusal(hostile.billion_laughs_workbook("worksheets/data.bin")).problem == TableProblem.MARKUP


def test_binary_members_are_not_taken_for_markup():
    # 300,000 bytes without a "<": scanned as markup, they would be a text run too long for a cell
    image = bytes(random.Random(3).choice([b for b in range(256) if b != ord("<")]) for _n in range(300_000))
    content = hostile.workbook_bytes(
        [hostile.SHEET_OPEN + b"<sheetData>" + hostile.row_xml(1, ["period", "value"]) + b"</sheetData></worksheet>"],
        extra=[("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + image)],
    )
    assert tables.open_xlsx(content, LIMITS, data_only=True).header == ["period", "value"]
