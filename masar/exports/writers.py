"""Turn headers and rows of plain values into CSV text or an XLSX workbook."""

import csv
import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_decimal_symbol
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from masar.core.templatetags.masar import babel_locale

BOM = "\ufeff"  # lets Excel recognise UTF-8 and show Arabic text as written
# Text typed by people that a spreadsheet would run as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str


def csv_dialect():
    """Return the separator and decimal sign Excel expects in the active language.

    Excel splits a CSV at the Windows list separator of the reader's regional settings, and that
    separator is ";" wherever the decimal sign is a comma. French (1 250,5) and Arabic as written
    in the Maghreb (ar_TN: 1.250,5) use the comma, so their files use ";" and a decimal comma;
    English uses "," and a decimal point. Digits stay Western (0-9): the Arabic locales Masar uses
    write them so, and Excel reads no other digits as numbers.
    """
    decimal = get_decimal_symbol(babel_locale())
    decimal = "," if decimal in (",", "\u066b") else "."
    return CsvDialect(delimiter=";" if decimal == "," else ",", decimal=decimal)


def csv_cell(value, dialect=None):
    """Return the CSV text of a value: ISO dates, plain numbers with the dialect's decimal sign, empty for None."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (Decimal, float)) and dialect is not None:
        return str(value).replace(".", dialect.decimal)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(headers, rows, dialect=None):
    """Return the CSV lines of an export, starting with the byte order mark and the headers.

    The dialect is read now, in the language of the request, not when a streaming response reads the lines.
    """
    return _csv_lines(headers, rows, dialect or csv_dialect())


def _csv_lines(headers, rows, dialect):
    writer = csv.writer(_Echo(), delimiter=dialect.delimiter)
    yield BOM + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([csv_cell(value, dialect) for value in row])


def xlsx_cell(sheet, value):
    """Return what an XLSX cell holds: a real date cell for dates, a number for decimals."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        # Control characters pasted with a text (a vertical tab from a word processor) are not allowed in XLSX.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would otherwise store it as a formula
        return cell
    return value


WIDTH_SAMPLE = 200  # rows read to size the columns before any is written (a write-only sheet cannot go back)
MIN_WIDTH, MAX_WIDTH = 8, 60


def _text_width(value):
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(headers, rows):
    """Return each column's width in characters: its longest header or value, within bounds."""
    widths = [_text_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _text_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def xlsx_write(target, headers, rows, *, sheet_title, right_to_left, on_row=None):
    """Write a one-sheet workbook to target (a path or a binary file); call on_row(count) after each row.

    The header row is frozen and carries filters over the data; columns are as wide as their
    content in the first rows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.sheet_view.rightToLeft = right_to_left
    rows = iter(rows)
    first = list(itertools.islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(column_widths(headers, first), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(headers)
    count = 0
    for row in itertools.chain(first, rows):
        sheet.append([xlsx_cell(sheet, value) for value in row])
        count += 1
        if on_row:
            on_row(count)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    workbook.save(target)
    return count
