"""Imports of the services catalogue from CSV or XLSX: services, and their monthly usage. All of a file or nothing.

Two kinds of file, each one row per record, read by Masar's shared safe readers (`masar.imports.parsers`:
encodings, limits, formulas refused; `masar.imports.values`: numbers as the importer's language writes them,
Eastern Arabic digits too). The first row names the columns by their code (as in the templates) or by their
name in Arabic, French or English; a column not listed is refused, not ignored.

**Services** (`CatalogueImportKind.SERVICES`): `code` (required), `name_ar|fr|en`, `description_*`, `owner`
(organization code), `classification`, `audiences` and `channels` (lists separated by ; ، or , of the codes or
their names in any language), `life_event` and `category` (codes), `level` (0–5), `fee`, `fee_currency`,
`fee_note_*`, `processing_days`, `legal_basis_*`, `online_url`, `steps_*`, `documents` (`name|holder code` items
separated by ;) and `projects` (`project code|target level|target date` items separated by ;). A known code
updates its service (`service_update` at its current version); an empty cell leaves the field as it is. A new
code creates the service (`service_create`: Arabic name and owner required).

**Usage** (`CatalogueImportKind.USAGE`): `service` (code), `month` (YYYY-MM, or a month's name in Arabic as any
region writes it, French or English, with its year), `channel`, `transactions` or `cumulative` (a running total),
`processing_days`, `backlog`. Each row goes through `usage_record` (without refreshing the indicators); the
organizations' digitization indicators are brought in step once, on commit, for all the rows.

Every row is checked against the one policy: a row the importer may not write is refused, naming its row. Any
refused row refuses the file: `CatalogueImportInvalid` lists every error as (row, column, reason in the active
language), rows numbered as a spreadsheet shows them (the header is row 1), and nothing is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from masar.catalogue.import_words import HEADER_WORDS, plain
from masar.core.errors import DomainError
from masar.imports.columns import Column
from masar.imports.parsers import FileRefused, guess_format, open_source
from masar.imports.reasons import problem, problem_text
from masar.imports.values import read_row

# A page imports while the person waits, under the server's 30-second timeout: on PostgreSQL a row of usage takes
# about 3.5 ms and a row of services about 10 ms. Larger files are split (or the setting raised with the timeout).
DEFAULT_MAX_ROWS = 5_000


class CatalogueImportKind(models.TextChoices):
    SERVICES = "services", _("Services")
    USAGE = "usage", _("Monthly usage")


@dataclass(frozen=True)
class RowError:
    """One refusal: the row as a spreadsheet numbers it, the column as the file names it, why."""

    row: int
    column: str
    reason: str


class CatalogueImportInvalid(DomainError):
    """The file has refused rows (or cannot be read): nothing was imported; errors are RowError."""

    default_message = _("The file has errors: nothing was imported.")

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda error: (error.row, error.column))
        super().__init__()


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    organization_ids: set[int] = field(default_factory=set)
    months: set[datetime.date] = field(default_factory=set)


# Columns ----------------------------------------------------------------------------------------------


def _texts(prefix: str, max_length: int = 0) -> list[Column]:
    return [Column(f"{prefix}_{language}", max_length=max_length) for language in ("ar", "fr", "en")]


SERVICE_COLUMNS: list[Column] = [
    Column("code", required=True, max_length=40),
    *_texts("name", 400),
    *_texts("description", 20_000),
    Column("owner", max_length=40),
    Column("classification", max_length=40),
    Column("audiences", max_length=400),
    Column("channels", max_length=400),
    Column("life_event", max_length=40),
    Column("category", max_length=40),
    Column("level", "integer"),
    Column("fee", "number"),
    Column("fee_currency", max_length=3),
    *_texts("fee_note", 300),
    Column("processing_days", "integer"),
    *_texts("legal_basis", 20_000),
    Column("online_url", max_length=500),
    *_texts("steps", 20_000),
    Column("documents", max_length=20_000),
    Column("projects", max_length=4_000),
]
USAGE_COLUMNS: list[Column] = [
    Column("service", required=True, max_length=40),
    Column("month", required=True, max_length=40),
    Column("channel", required=True, max_length=40),
    Column("transactions", "integer"),
    Column("cumulative", "integer"),
    Column("processing_days", "number"),
    Column("backlog", "integer"),
]
COLUMNS = {CatalogueImportKind.SERVICES: SERVICE_COLUMNS, CatalogueImportKind.USAGE: USAGE_COLUMNS}

# What each column holds, shown on the import page beside the templates.
COLUMN_HELP = {
    "code": _("The service's code: a known code updates that service, a new one creates it."),
    "name_ar": _("The name in Arabic (required for a new service)."),
    "owner": _("The code of the owner organization (required for a new service)."),
    "classification": _("public, restricted or confidential (public when empty on a new service)."),
    "audiences": _("Citizens, businesses, administrations: codes or names, separated by ; or ،"),
    "channels": _("Counter, web, mobile, kiosk, call centre: codes or names, separated by ; or ،"),
    "life_event": _("The code of a life event."),
    "category": _("The code of a category."),
    "level": _("The digitization level, 0 to 5."),
    "fee": _("The fee, a number (empty: no fee stated)."),
    "fee_currency": _("The fee's currency, three capital letters (TND)."),
    "processing_days": _("The target processing time, in days (a service) or the actual one (a month's usage)."),
    "online_url": _("The address where the service is obtained online."),
    "documents": _("The required documents, separated by ;, each “name|code of the administration holding it”."),
    "projects": _("The projects that digitize it, separated by ;, each “project code|target level|target date”."),
    "service": _("The code of the service."),
    "month": _("The month: YYYY-MM, or its name and year (جانفي 2026, octobre 2026)."),
    "channel": _("The channel: a code or its name."),
    "transactions": _("The month's transactions (or give the running total in cumulative)."),
    "cumulative": _("The running total of transactions since the first month recorded for this channel."),
    "backlog": _("The requests waiting at the end of the month."),
}

# What the columns in three languages hold, by their prefix (name_fr: "name").
TEXT_HELP = {
    "name": _("The name in that language."),
    "description": _("What the service is, in that language."),
    "fee_note": _("A note on the fee, in that language."),
    "legal_basis": _("The texts the service rests on, in that language."),
    "steps": _("How to obtain the service, in that language."),
}


def column_help(name: str) -> Any:
    """Return what a column holds, in the active language ("" when it says nothing more than its name)."""
    return COLUMN_HELP.get(name) or TEXT_HELP.get(name.rsplit("_", 1)[0], "")


HEADER_WORDS_BY_KIND = {
    CatalogueImportKind.SERVICES: {c.name for c in SERVICE_COLUMNS},
    CatalogueImportKind.USAGE: {c.name for c in USAGE_COLUMNS},
}


def column_names(kind: str) -> list[str]:
    """Return the columns of one kind of file, in the order of its template."""
    return [column.name for column in COLUMNS[CatalogueImportKind(kind)]]


def _header_lookup(kind: str) -> dict[str, str]:
    names = HEADER_WORDS_BY_KIND[CatalogueImportKind(kind)]
    lookup: dict[str, str] = {}
    for name in names:
        for word in (name, *HEADER_WORDS.get(name, ())):
            lookup.setdefault(plain(word), name)
    for name in names:  # a column's own code wins over another column's alias
        lookup[plain(name)] = name
    return lookup


# Reading a file ---------------------------------------------------------------------------------------


@dataclass
class Table:
    """A file's rows typed by column name, the header as written for each column, and what was refused."""

    rows: list[tuple[int, dict[str, Any]]]
    written: dict[str, str]  # column code -> the header as the file writes it
    errors: list[RowError]

    def error(self, row: int, column: str, reason: Any) -> None:
        self.errors.append(RowError(row, self.written.get(column, column), str(reason)))


def max_rows() -> int:
    """Return the most rows a file may have below its header (setting CATALOGUE_IMPORT_MAX_ROWS)."""
    return int(getattr(settings, "CATALOGUE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _problem(item: dict[str, Any]) -> RowError:
    return RowError(int(item["row"]), str(item["column"]), problem_text(item))


def read_table(kind: str, content: bytes, filename: str) -> Table:
    """Read a file of one kind into typed rows, with every problem of its header and cells."""
    columns = {column.name: column for column in COLUMNS[CatalogueImportKind(kind)]}
    limit = int(getattr(settings, "IMPORT_MAX_MB", 256))
    if len(content) > limit * 1024 * 1024:
        return Table([], {}, [_problem(problem(0, "", "too_large", limit=limit))])
    try:
        source = open_source(content, guess_format(filename, content))
        table = Table([], {}, [_problem(item) for item in source.problems])
        header = _header(kind, source.header, table)
        if table.errors:
            return table
        for number, cells in source.rows:
            if number - 1 > max_rows():
                table.errors.append(_problem(problem(number, "", "too_many_rows", limit=max_rows())))
                break
            values, problems = read_row(columns, header, number, cells)
            for item in problems:
                table.error(item["row"], item["column"], problem_text(item))
            table.rows.append((number, values))
    except FileRefused as refused:
        return Table([], {}, [_problem(item) for item in refused.problems])
    if not table.rows and not table.errors:
        table.errors.append(_problem(problem(2, "", "empty")))
    return table


def _header(kind: str, written: list[str], table: Table) -> list[str]:
    """Return the file's header as column codes; note unknown, repeated and missing columns on the table."""
    lookup = _header_lookup(kind)
    header: list[str] = []
    for text in written:
        name = lookup.get(plain(text)) if text else None
        if text and name is None:
            table.errors.append(_problem(problem(1, text, "unknown_column", column=text)))
        elif name in table.written:
            table.errors.append(_problem(problem(1, text, "duplicate_column", column=text)))
            name = None
        elif name is not None:
            table.written[name] = text
        header.append(name or "")
    for column in COLUMNS[CatalogueImportKind(kind)]:
        if column.required and column.name not in table.written:
            table.errors.append(_problem(problem(1, column.name, "missing_column", column=column.name)))
    return header


# Entry point ---------------------------------------------------------------------------------------------


class _Rollback(Exception):
    """Leave the import's transaction keeping nothing (a dry run)."""


def catalogue_import(
    *, actor: Any, kind: str, content: bytes, filename: str = "", dry_run: bool = False
) -> ImportReport:
    """Import a file of services or of monthly usage, all rows or none; raise CatalogueImportInvalid listing
    every refused row. A dry run checks every row through the same services, then keeps nothing."""
    from masar.catalogue.import_rows import ServiceRows
    from masar.catalogue.import_usage import UsageRows

    kind = CatalogueImportKind(kind)
    table = read_table(kind, content, filename)
    if table.errors and not table.rows:
        raise CatalogueImportInvalid(table.errors)
    handler = (ServiceRows if kind == CatalogueImportKind.SERVICES else UsageRows)(
        actor=actor, table=table, source=filename[-200:]
    )
    report = ImportReport(kind=kind, rows=len(table.rows), dry_run=dry_run)
    try:
        with transaction.atomic():
            handler.write(report)
            if table.errors:
                raise CatalogueImportInvalid(table.errors)
            if dry_run:
                raise _Rollback
            handler.finish(report)
    except _Rollback:
        pass
    return report
