"""Read indicator values from a spreadsheet (XLSX or CSV) and check every row before anything is saved.

The first row names the columns, in any of the three languages; each later row is one value. The
preview lists every broken rule with its row, column and reason; `measurements_import` saves the
rows only when there is none.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from masar.arabic import fold
from masar.core import tables
from masar.indicators.checks import Entry, MeasurementChecker
from masar.indicators.models import Aggregation, Disaggregation, IndicatorKind
from masar.indicators.periods import (
    ParseError,
    parse_number,
    parse_period,
    period_key,
    period_start,
    reportable_periods,
)
from masar.indicators.services import ImportRefused
from masar.organizations.models import Organization, Region

COLUMN_LABELS = {
    "period": gettext_lazy("period"),
    "region": gettext_lazy("region"),
    "organization": gettext_lazy("organization"),
    "value": gettext_lazy("value"),
    "numerator": gettext_lazy("numerator"),
    "denominator": gettext_lazy("denominator"),
    "weight": gettext_lazy("weight"),
    "comment": gettext_lazy("comment"),
}
# Headers people write whatever the interface's catalogues say.
ALIASES = {
    "period": ["period", "période", "periode", "الفترة", "الفتره", "المدة", "date"],
    "region": ["region", "région", "gouvernorat", "governorate", "الجهة", "الولاية", "المنطقة"],
    "organization": ["organization", "organisation", "structure", "الهيكل", "المؤسسة", "الإدارة"],
    "value": ["value", "valeur", "القيمة"],
    "numerator": ["numerator", "numérateur", "numerateur", "البسط"],
    "denominator": ["denominator", "dénominateur", "denominateur", "المقام"],
    "weight": ["weight", "poids", "الوزن", "الترجيح"],
    "comment": ["comment", "commentaire", "ملاحظة", "تعليق", "ملاحظات"],
}
NUMBER_COLUMNS = ("value", "numerator", "denominator", "weight")


@dataclass
class RowError:
    row: int
    column: str  # the column's letter, "" when the whole row or file is concerned
    header: str
    message: str


@dataclass
class Table:
    filename: str
    header: list
    rows: list  # [(row number in the spreadsheet, [cell text])]

    def as_data(self):
        return {"filename": self.filename, "header": self.header, "rows": self.rows}

    @classmethod
    def from_data(cls, data):
        return cls(filename=data["filename"], header=list(data["header"]), rows=[(n, list(c)) for n, c in data["rows"]])


@dataclass
class PreviewRow:
    number: int
    entry: Entry
    checked: object
    flagged: bool = False


@dataclass
class Preview:
    columns: list = field(default_factory=list)  # [(key, letter, header as written)]
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def expected_columns(indicator):
    """Return [(column key, required)] for an indicator's spreadsheet."""
    columns = [("period", True)]
    if indicator.disaggregation == Disaggregation.REGION:
        columns.append(("region", True))
    elif indicator.disaggregation == Disaggregation.ORGANIZATION:
        columns.append(("organization", True))
    if indicator.kind == IndicatorKind.RATIO:
        columns += [("numerator", True), ("denominator", True)]
    else:
        columns.append(("value", True))
    if indicator.effective_aggregation() == Aggregation.WEIGHTED_MEAN:
        columns.append(("weight", True))
    columns.append(("comment", False))
    return columns


def _header_names():
    names = {}
    for key, aliases in ALIASES.items():
        for alias in [key, *aliases]:
            names[fold(alias)] = key
        for language in ("ar", "fr", "en"):
            with translation.override(language):
                names[fold(str(COLUMN_LABELS[key]))] = key
    return names


def _cell_text(value, frequency):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return period_start(value, frequency).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(upload, indicator):
    """Return the table of an uploaded XLSX or CSV file, or raise ImportRefused saying why it cannot be read.

    The file is read by the shared safe reader (masar.core.tables), which stops at the first row past
    a limit: a file of a million rows costs what its first few thousand cost.
    """
    name = getattr(upload, "name", "") or ""
    limit = int(settings.INDICATOR_UPLOAD_MAX_MB) * 1024 * 1024
    too_large = RowError(0, "", "", _("The file is larger than %(limit)s MB; split it.") % {"limit": limit // 2**20})
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ImportRefused([too_large])
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ImportRefused([too_large])
    limits = tables.TableLimits.from_settings(max_rows=max_rows())
    try:
        if tables.is_zip(content):
            table = tables.open_xlsx(content, limits, data_only=True)
        elif name.lower().endswith((".csv", ".txt")) or not name:
            table = tables.open_csv(content, limits)
        else:
            raise ImportRefused([RowError(0, "", "", _("Upload an XLSX workbook or a CSV file."))])
        header = [_cell_text(cell, indicator.frequency) for cell in table.header]
        rows = []
        for number, cells in table.rows:
            texts = [_cell_text(cell, indicator.frequency) for cell in cells]
            if any(texts):
                rows.append((number, texts))
    except tables.TableRefused as refusal:
        raise ImportRefused([refusal_error(refusal)]) from None
    return Table(filename=name[:150], header=header, rows=rows)


def max_rows():
    """Return how many rows below its header an uploaded file may have (setting INDICATOR_UPLOAD_MAX_ROWS)."""
    return int(settings.INDICATOR_UPLOAD_MAX_ROWS)


# How the shared table reader's refusals read on the indicator's upload page.
REFUSALS = {
    tables.TableProblem.UNREADABLE: gettext_lazy("The file cannot be read as an XLSX workbook or a CSV file."),
    tables.TableProblem.ENCODING: gettext_lazy(
        "The file's text encoding is not recognized (row %(row)s): save it as CSV UTF-8."
    ),
    tables.TableProblem.NUL: gettext_lazy("Row %(row)s holds a NUL character: remove it and upload the file again."),
    tables.TableProblem.EMPTY: gettext_lazy("The file is empty."),
    tables.TableProblem.TOO_MANY_ROWS: gettext_lazy("The file has more than %(limit)s rows; split it."),
    tables.TableProblem.TOO_MANY_COLUMNS: gettext_lazy("The file has more than %(limit)s columns."),
    tables.TableProblem.CELL_TOO_LONG: gettext_lazy("A cell is longer than %(limit)s characters."),
    tables.TableProblem.LINE_TOO_LONG: gettext_lazy("A line of the file is longer than %(limit)s characters."),
    tables.TableProblem.ZIP_BOMB: gettext_lazy(
        "The file would unpack to far more than a spreadsheet holds: it was refused."
    ),
    tables.TableProblem.MARKUP: gettext_lazy(
        "The workbook holds markup no spreadsheet program writes (a DTD or entities): it was refused."
    ),
}


def refusal_error(refusal):
    """Return the RowError that says, in the active language, why the reader refused the file."""
    params = {"row": refusal.row, "limit": refusal.params.get("limit", "")}
    return RowError(refusal.row, refusal.column, "", str(REFUSALS[refusal.problem]) % params)


class _Places:
    """Find a region or organization by its code or its name in any language, as typed."""

    def __init__(self, indicator):
        self.by_text = {}
        if indicator.disaggregation == Disaggregation.REGION:
            # Regions of the indicator's level first: "تونس" is the governorate of Tunis here, not the country.
            records = sorted(Region.objects.all(), key=lambda r: (r.kind != indicator.region_level, r.path))
        elif indicator.disaggregation == Disaggregation.ORGANIZATION:
            records = Organization.objects.all()
        else:
            records = []
        for record in records:
            for text in (record.code, record.name_ar, record.name_fr, record.name_en):
                if text:
                    self.by_text.setdefault(fold(text), record)

    def find(self, text):
        return self.by_text.get(fold(text))


def preview_table(indicator, table):
    """Check every row of table against the entry rules; return the rows, the errors and the flagged values."""
    preview = Preview()
    names = _header_names()
    expected = expected_columns(indicator)
    allowed = {key for key, _required in expected}
    positions = {}
    for index, header in enumerate(table.header):
        letter = get_column_letter(index + 1)
        key = names.get(fold(header))
        if not header:
            continue
        if key is None or key not in allowed:
            preview.errors.append(
                RowError(
                    1,
                    letter,
                    header,
                    _("“%(header)s” is not a column of this indicator's spreadsheet.") % {"header": header},
                )
            )
        elif key in positions:
            preview.errors.append(
                RowError(1, letter, header, _("The column “%(header)s” appears twice.") % {"header": header})
            )
        else:
            positions[key] = index
            preview.columns.append((key, letter, header))
    for key, required in expected:
        if required and key not in positions:
            preview.errors.append(
                RowError(
                    1,
                    "",
                    str(COLUMN_LABELS[key]),
                    _("The column “%(column)s” is missing.") % {"column": COLUMN_LABELS[key]},
                )
            )
    if preview.errors:
        preview.errors.append(
            RowError(
                1,
                "",
                "",
                _("The first row must name the columns: %(columns)s.")
                % {"columns": ", ".join(str(COLUMN_LABELS[k]) for k, _r in expected)},
            )
        )
        return preview
    if not table.rows:
        preview.errors.append(RowError(2, "", "", _("The file has no values below its header.")))
        return preview
    if len(table.rows) > max_rows():  # a table signed into the confirmation form under an earlier limit
        preview.errors.append(
            RowError(0, "", "", _("The file has more than %(limit)s rows; split it.") % {"limit": max_rows()})
        )
        return preview

    def where(key):
        index = positions.get(key)
        if index is None:
            return "", str(COLUMN_LABELS[key])
        return get_column_letter(index + 1), table.header[index]

    places = _Places(indicator)
    parsed, seen = [], {}
    for number, cells in table.rows:

        def cell(key, cells=cells):
            index = positions.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row_errors = []
        values = {}
        try:
            values["period"] = parse_period(cell("period"), indicator.frequency)
        except ParseError as error:
            row_errors.append(("period", str(error)))
        for key in ("region", "organization"):
            if key in positions:
                text = cell(key)
                record = places.find(text) if text else None
                if record is None:
                    message = (
                        _("No region has the code or name “%(value)s”.")
                        if key == "region"
                        else _("No organization has the code or name “%(value)s”.")
                    ) % {"value": text}
                    row_errors.append((key, message if text else _("This cell is required.")))
                values[key] = record
        for key in NUMBER_COLUMNS:
            if key in positions and cell(key):
                try:
                    values[key] = parse_number(cell(key))
                except ParseError as error:
                    row_errors.append((key, str(error)))
        entry = None
        if not row_errors:
            entry = Entry(
                period=values["period"],
                region=values.get("region"),
                organization=values.get("organization"),
                value=values.get("value"),
                numerator=values.get("numerator"),
                denominator=values.get("denominator"),
                weight=values.get("weight"),
                comment=cell("comment"),
            )
            key = (entry.period, entry.cell)
            if key in seen:
                row_errors.append(
                    ("period", _("Row %(row)s already gives a value for this period and place.") % {"row": seen[key]})
                )
            else:
                seen[key] = number
        for key, message in row_errors:
            letter, header = where(key)
            preview.errors.append(RowError(number, letter, header, message))
        if not row_errors:
            parsed.append((number, entry))

    checker = MeasurementChecker(indicator)
    checker.preload([entry for _number, entry in parsed])
    for _number, entry in parsed:
        value = entry.value
        if indicator.kind == IndicatorKind.RATIO and entry.numerator is not None and entry.denominator:
            value = entry.numerator / entry.denominator * indicator.factor
        if value is not None:
            checker.add_pending(entry, value)
    for number, entry in parsed:
        checked = checker.check(entry)
        for key, message in checked.errors:
            letter, header = where(key)
            preview.errors.append(RowError(number, letter, header, message))
        if checked.needs_review:
            letter, header = where("numerator" if indicator.kind == IndicatorKind.RATIO else "value")
            preview.warnings.append(RowError(number, letter, header, _outlier_message(checked)))
        preview.rows.append(PreviewRow(number, entry, checked, checked.needs_review))
    preview.errors.sort(key=lambda error: (error.row, error.column))
    return preview


def _outlier_message(checked):
    if checked.z_score is None:
        return _("This value differs from a series that never changed: it will be flagged for review.")
    return _(
        "This value lies %(z)s standard deviations from the rest of its series: it will be flagged for review."
    ) % {"z": f"{abs(checked.z_score):.1f}"}


def template_workbook(indicator):
    """Return an XLSX workbook with the header row of this indicator's spreadsheet, in the active language.

    A regional indicator's workbook has a row ready for each of its regions.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = indicator.code[:31]
    sheet.sheet_view.rightToLeft = (translation.get_language() or "ar").startswith("ar")
    columns = [key for key, _required in expected_columns(indicator)]
    sheet.append([str(COLUMN_LABELS[key]) for key in columns])
    if indicator.disaggregation == Disaggregation.REGION:
        # One row per region, for the latest period that may be reported: only the figures are left to type.
        period = period_key(reportable_periods(indicator.frequency, datetime.date.today(), 1)[0], indicator.frequency)
        for region in Region.objects.filter(kind=indicator.region_level).order_by("code"):
            known = {"period": period, "region": region.name}
            sheet.append([known.get(key) for key in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
