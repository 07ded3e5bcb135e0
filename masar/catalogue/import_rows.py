"""The rows of a catalogue import: references resolved for the whole file at once, then each row written through
the catalogue's services in a savepoint of its own, its refusals kept as (row, column, reason).

`masar.catalogue.imports.catalogue_import` runs them inside one transaction and keeps nothing when any row was
refused. Rows of services are here; rows of usage in `masar.catalogue.import_usage`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from masar.catalogue.import_words import (
    AUDIENCE_WORDS,
    CHANNEL_WORDS,
    CLASSIFICATION_WORDS,
    read_choice,
    read_choices,
)
from masar.catalogue.imports import ImportReport, Table
from masar.catalogue.models import (
    Audience,
    Channel,
    DigitizationLevel,
    LifeEvent,
    Service,
    ServiceCategory,
    ServiceProject,
    ServiceUsage,
    codes_join,
)
from masar.catalogue.services import (
    DocumentEntry,
    service_create,
    service_documents_set,
    service_project_link,
    service_update,
)
from masar.core import policy
from masar.core.errors import DomainError, Invalid, NotPermitted, StaleEditError
from masar.core.models import Classification
from masar.imports.columns import Column
from masar.imports.reasons import problem, problem_text
from masar.imports.values import CellError, read_cell
from masar.organizations.models import Organization
from masar.portfolio.models import Project, is_currency_code

CHUNK = 900  # codes per query: under SQLite's limit of bound parameters
COPIED = (
    *(f"{prefix}_{language}" for prefix in ("name", "description", "fee_note", "legal_basis", "steps")
      for language in ("ar", "fr", "en")),
    "fee",
    "processing_days",
    "online_url",
)  # fmt: skip
LEVEL = Column("level", "integer")
DATE = Column("date", "date")


def by_code(model: type[Model], codes: Iterable[Any], queryset: Any = None) -> dict[str, Any]:
    """Return {code: record} for the codes that exist, a few queries for the whole file."""
    wanted = sorted({str(code) for code in codes if code})
    rows: Any = queryset if queryset is not None else model._default_manager.all()
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        found.update({record.code: record for record in rows.filter(code__in=wanted[start : start + CHUNK])})
    return found


def answer_may_change(actor: Any, services: Iterable[Service]) -> None:
    """Answer `may_write` for these services in one query (as `policy.get_for_reader` does for one record)."""
    services = list(services)
    reader = policy.Reader.of(actor)
    writable = set(
        Service.objects.writable_by(reader).filter(pk__in=[s.pk for s in services]).values_list("pk", flat=True)
    )
    for service in services:
        service.may_change = service.pk in writable  # type: ignore[attr-defined]
        service.may_change_reader = reader  # type: ignore[attr-defined]


class Rows:
    """What both kinds share: the importer, the table, its errors, the rows to leave unwritten."""

    def __init__(self, *, actor: Any, table: Table, source: str = ""):
        self.actor = actor
        self.table = table
        self.source = source
        self.refused: set[int] = {error.row for error in table.errors}
        self.cells: set[tuple[int, str]] = {(error.row, error.column) for error in table.errors}

    def error(self, row: int, column: str, reason: Any) -> None:
        """Note a refusal, unless that cell is already refused (an unreadable code is not also unknown)."""
        written = self.table.written.get(column, column)
        if (row, written) not in self.cells:
            self.cells.add((row, written))
            self.table.error(row, column, reason)
        self.refused.add(row)

    def reason(self, code: str, **params: Any) -> str:
        """Word one of the imports' shared reasons (masar.imports.reasons) in the active language."""
        return problem_text(problem(0, "", code, **params))

    def refusal(self, row: int, error: Exception, column: str, columns: dict[str, str] | None = None) -> None:
        """Note a service's refusal of a row, each broken rule at its column."""
        if isinstance(error, Invalid) and error.errors:
            for name, message in error.errors:
                self.error(row, (columns or {}).get(str(name).split("-")[0], str(name or column)), message)
        elif isinstance(error, StaleEditError):
            self.error(row, column, error.message)
        elif isinstance(error, ValidationError):
            for message in error.messages:
                self.error(row, column, message)
        elif isinstance(error, DomainError):
            self.error(row, column, error.message)
        else:
            self.error(row, column, self.reason("not_permitted"))

    def duplicates(self, keyed: list[tuple[int, Any]]) -> set[int]:
        """Refuse the rows whose key repeats an earlier row's; return their numbers."""
        first: dict[Any, int] = {}
        repeated = set()
        for number, key in keyed:
            if key in first:
                self.error(number, "", self.reason("duplicate_row", other=first[key]))
                repeated.add(number)
            else:
                first[key] = number
        return repeated


# Services -------------------------------------------------------------------------------------------------


class ServiceRows(Rows):
    """Rows of services: a known code updates its service, a new one creates it, with documents and projects."""

    SERVICE_COLUMNS = {"documents": "documents", "project": "projects", "target_level": "projects"}

    def write(self, report: ImportReport) -> None:
        self.touched_owners: set[int] = set()
        self.moved_months: set[Any] = set()
        rows = [(number, values) for number, values in self.table.rows if values.get("code")]
        self._resolve(rows)
        repeated = self.duplicates([(number, values["code"]) for number, values in rows])
        parsed = [(number, values, self._parse(number, values)) for number, values in rows if number not in repeated]
        for number, values, data in parsed:
            if number in self.refused:
                continue
            try:
                with transaction.atomic():
                    outcome = self._write(values["code"], *data)
            except (DomainError, ValidationError, PermissionDenied) as error:
                self.refusal(number, error, "code", self.SERVICE_COLUMNS)
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)

    def finish(self, report: ImportReport) -> None:
        """Bring the digitization indicators in step once, on commit, for every owner (before and after) the rows
        touched, and the usage months of the services that moved owner or classification."""
        from masar.catalogue.indicators import digitization_refresh

        organizations, months = sorted(self.touched_owners), sorted(self.moved_months)
        report.organization_ids |= self.touched_owners
        if organizations:
            transaction.on_commit(lambda: digitization_refresh(organization_ids=organizations, months=months))

    def _resolve(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Load every record the rows name by code, a few queries for the whole file."""
        holders = {
            self._document(item)[1] for _n, values in rows for item in self._items(values.get("documents")) if item
        }
        self.services = by_code(Service, (v["code"] for _n, v in rows), Service.objects.select_related("owner"))
        answer_may_change(self.actor, self.services.values())
        self.organizations = by_code(Organization, {v.get("owner") for _n, v in rows} | holders)
        self.life_events = by_code(LifeEvent, (v.get("life_event") for _n, v in rows))
        self.categories = by_code(ServiceCategory, (v.get("category") for _n, v in rows))
        projects = {self._split(item)[0] for _n, v in rows for item in self._items(v.get("projects")) if item}
        self.projects = by_code(Project, projects)

    @staticmethod
    def _items(cell: Any) -> list[str]:
        return [item.strip() for item in str(cell or "").split(";") if item.strip()]

    @staticmethod
    def _split(item: str) -> list[str]:
        return [part.strip() for part in item.split("|")]

    def _document(self, item: str) -> tuple[str, str]:
        parts = self._split(item)
        return parts[0], (parts[1] if len(parts) > 1 else "")

    def _parse(self, number: int, values: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
        """Return (the service's fields, its documents or None, its project links or None) as the row gives them."""
        data = {name: values[name] for name in COPIED if values.get(name) not in (None, "")}
        existing = self.services.get(values["code"])
        if existing is None:
            for name in ("name_ar", "owner"):
                if not values.get(name):
                    self.error(number, name, self.reason("required"))
        self._references(number, values, data)
        self._choices(number, values, data)
        if values.get("fee_currency"):
            if is_currency_code(values["fee_currency"]):
                data["fee_currency"] = values["fee_currency"]
            else:
                self.error(number, "fee_currency", self.reason("currency", value=values["fee_currency"]))
        if values.get("level") is not None:
            if values["level"] in DigitizationLevel.values:
                data["level"] = values["level"]
            else:
                self.error(number, "level", _("Choose a level between 0 and 5."))
        return data, self._documents(number, values.get("documents")), self._projects(number, values.get("projects"))

    def _references(self, number: int, values: dict[str, Any], data: dict[str, Any]) -> None:
        lookups: tuple[tuple[str, dict[str, Any]], ...] = (
            ("owner", self.organizations),
            ("life_event", self.life_events),
            ("category", self.categories),
        )
        for name, known in lookups:
            code = values.get(name)
            if not code:
                continue
            if code in known:
                data[name] = known[code]
            elif name == "owner":
                self.error(number, name, self.reason("unknown_organization", value=code))
            elif name == "life_event":
                self.error(number, name, _("No life event has the code “%(value)s”.") % {"value": code})
            else:
                self.error(number, name, _("No category has the code “%(value)s”.") % {"value": code})

    def _choices(self, number: int, values: dict[str, Any], data: dict[str, Any]) -> None:
        readers: tuple[tuple[str, Any, Any, bool], ...] = (
            ("classification", Classification, CLASSIFICATION_WORDS, False),
            ("audiences", Audience, AUDIENCE_WORDS, True),
            ("channels", Channel, CHANNEL_WORDS, True),
        )
        for name, choices, words, many in readers:
            if not values.get(name):
                continue
            try:
                read = read_choices if many else read_choice
                data[name] = read(values[name], choices, words)
            except CellError as error:
                self.error(number, name, self.reason(error.code, **error.params))

    def _documents(self, number: int, cell: Any) -> list[tuple[str, Organization | None]] | None:
        if not cell:
            return None
        documents = []
        for item in self._items(cell):
            parts = self._split(item)
            name, holder = self._document(item)
            if len(parts) > 2 or not name:
                message = _("Write each document as “name|code of the administration holding it”.")
                self.error(number, "documents", message)
            elif holder and holder not in self.organizations:
                self.error(number, "documents", self.reason("unknown_organization", value=holder))
            else:
                documents.append((name, self.organizations.get(holder) if holder else None))
        return documents

    def _projects(self, number: int, cell: Any) -> list[tuple[Project, int, datetime.date | None]] | None:
        if not cell:
            return None
        links = []
        malformed = _("Write each project as “project code|target level|target date”.")
        for item in self._items(cell):
            parts = self._split(item)
            if len(parts) not in (2, 3) or not parts[0]:
                self.error(number, "projects", malformed)
                continue
            try:
                level = read_cell(LEVEL, parts[1])
                day = read_cell(DATE, parts[2]) if len(parts) == 3 else None
            except CellError as error:
                self.error(number, "projects", self.reason(error.code, **error.params))
                continue
            project = self.projects.get(parts[0])
            if project is None:  # as a project the importer may not read: the code names nothing
                self.error(number, "projects", _("There is no such project among those you may read."))
            elif level not in DigitizationLevel.values:
                self.error(number, "projects", _("Choose a level between 0 and 5."))
            else:
                links.append((project, level, day))
        return links

    def _write(self, code: str, data: dict[str, Any], documents: Any, links: Any) -> str:
        existing = self.services.get(code)
        if existing is None:
            service = service_create(
                actor=self.actor, data={"code": code, "source": self.source, **data}, refresh=False
            )
            self.touched_owners.add(service.owner_id)
            outcome = "created"
        else:
            if not policy.may_write(self.actor, existing):
                raise NotPermitted(_("You may not change this service."))
            changed = _changed(existing, data)
            service = existing
            if changed:
                service = service_update(
                    actor=self.actor, service=existing, data=changed, expected_version=existing.version, refresh=False
                )
                self.touched_owners |= {existing.owner_id, service.owner_id}
                if (existing.owner_id, existing.classification) != (service.owner_id, service.classification):
                    self.moved_months |= set(
                        ServiceUsage.objects.filter(service=service).values_list("month", flat=True)
                    )
            outcome = "updated" if changed else "unchanged"
        if documents is not None and self._set_documents(service, documents):
            outcome = "updated" if outcome == "unchanged" else outcome
        if links is not None and self._link(service, links):
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome

    def _set_documents(self, service: Service, documents: list[tuple[str, Organization | None]]) -> bool:
        current = list(service.documents.order_by("order", "pk"))
        if [(d.name_ar, d.held_by_id) for d in current] == [(n, h.pk if h else None) for n, h in documents]:
            return False
        # The file names documents in Arabic: their French and English names stay as they were.
        known = {d.name_ar: d for d in current}
        entries = [
            DocumentEntry(
                name_ar=name,
                name_fr=known[name].name_fr if name in known else "",
                name_en=known[name].name_en if name in known else "",
                held_by=holder,
            )
            for name, holder in documents
        ]
        service_documents_set(actor=self.actor, service=service, documents=entries)
        return True

    def _link(self, service: Service, links: list[tuple[Project, int, datetime.date | None]]) -> bool:
        current = {
            link.project_id: (link.target_level, link.target_date)
            for link in ServiceProject.objects.filter(service=service)
        }
        moved = False
        for project, level, day in links:
            if current.get(project.pk) != (level, day):
                service_project_link(
                    actor=self.actor, service=service, project=project, target_level=level, target_date=day
                )
                moved = True
        return moved


def _changed(service: Service, data: dict[str, Any]) -> dict[str, Any]:
    """Return the part of data that differs from what the service holds."""
    changed = {}
    for name, value in data.items():
        current = getattr(service, name)
        if name in ("audiences", "channels"):
            same = codes_join(value) == current
        elif isinstance(value, Model):
            same = getattr(service, f"{name}_id") == value.pk
        else:
            same = current == value
        if not same:
            changed[name] = value
    return changed
