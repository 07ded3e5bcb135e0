"""The PostgreSQL path for large files of indicator values: COPY, set-based checks and upsert, one audit entry.

These tests need PostgreSQL (COPY and temporary tables); on SQLite the same files take the row path,
tested in test_imports.py.
"""

import datetime

import pytest
from django.db import connection

from masar.audit.models import Action, AuditEntry
from masar.imports.models import ExternalReference, ImportStatus
from masar.imports.services import import_start
from masar.indicators.models import Measurement
from masar.organizations.models import RegionKind
from masar.organizations.services import region_create
from tests.imports.factories import csv_file, json_file, measurement_row, xlsx_file
from tests.indicators.factories import make_indicator

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY path runs on PostgreSQL only (set DATABASE_URL to run it)"
)


@pytest.fixture(autouse=True)
def bulk_always(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BULK_ROWS = 0  # every file of values takes the COPY path
    settings.IMPORT_WORKER_ROWS = 10_000


def codes(job):
    return [(p["row"], p["column"], p["code"]) for p in job.errors]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file, json_file], ids=["csv", "xlsx", "json"])
def test_values_are_copied_checked_and_saved_with_one_audit_entry(indicator_a, coordinator_a, make_file):
    rows = [measurement_row(period="2023-01", value="١٢"), measurement_row("M2", period="2022-01", value="10")]
    before = AuditEntry.objects.count()
    job = import_start(actor=coordinator_a, kind="measurements", upload=make_file(rows), dry_run=False, language="ar")
    assert job.status == ImportStatus.DONE, job.errors
    assert sorted(Measurement.objects.values_list("period", "value", "status")) == [
        (datetime.date(2022, 1, 1), 10, "submitted"),
        (datetime.date(2023, 1, 1), 12, "submitted"),
    ]
    assert ExternalReference.objects.count() == 2
    entries = AuditEntry.objects.all()[before:]
    assert [(e.action, e.changes["created"]) for e in entries] == [(Action.BULK_CREATE, [0, 2])]


def test_the_same_file_twice_updates_and_never_duplicates(indicator_a, coordinator_a):
    rows = [measurement_row(), measurement_row("M2", period="2022-01")]
    import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    again = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert (again.created_count, again.unchanged_count, Measurement.objects.count()) == (0, 2, 2)
    Measurement.objects.update(status="draft")
    rows[0]["value"] = "7"
    third = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert (third.status, third.updated_count) == (ImportStatus.DONE, 1), third.errors
    changed = Measurement.objects.get(period=datetime.date(2023, 1, 1))
    assert (changed.value, changed.version, changed.status) == (7, 2, "submitted")


def test_a_dry_run_reports_every_problem_and_changes_nothing(indicator_a, indicator_b, coordinator_a):
    region_create(actor=None, kind=RegionKind.GOVERNORATE, code="R-1", name_ar="ولاية")
    make_indicator("IND-PCT", indicator_a.owner, kind="percentage")
    rows = [
        measurement_row(),
        measurement_row("M2", indicator="IND-B"),  # another ministry's indicator
        measurement_row("M3", indicator="NOPE"),
        measurement_row("M4", period="2023-13"),
        measurement_row("M5", period="2023-03"),  # a yearly indicator's period starts in January
        measurement_row("M6", period=f"{datetime.date.today().year + 1}-01"),
        measurement_row("M7", period="2019-01", value="abc"),
        measurement_row("M8", period="2022-01", comment="=cmd"),
        measurement_row("M9"),  # the same period and place as row 2
        measurement_row("M10", region="R-1", period="2021-01"),  # a national indicator
        measurement_row("M11", indicator="IND-PCT", value="140"),
        measurement_row("M1", period="2020-01"),  # the same external id as row 2
    ]
    job = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=True)
    assert codes(job) == [
        (3, "indicator", "not_permitted"),
        (4, "indicator", "unknown_indicator"),
        (5, "period", "not_a_month"),
        (6, "period", "period_not_start"),
        (7, "period", "period_not_ended"),
        (8, "value", "not_a_number"),
        (9, "comment", "formula"),
        (10, "period", "duplicate_row"),
        (11, "region", "wrong_place"),
        (12, "value", "out_of_bounds"),
        (13, "external_id", "duplicate_row"),
    ]
    assert not Measurement.objects.exists() and not ExternalReference.objects.exists()
    good = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows[:1]), dry_run=True)
    assert (good.status, good.created_count) == (ImportStatus.DONE, 1)  # positive control
    assert not Measurement.objects.exists()


def test_one_bad_row_and_nothing_is_written(indicator_a, indicator_b, coordinator_a):
    rows = [measurement_row(), measurement_row("M2", indicator="IND-B")]
    job = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert codes(job) == [(3, "indicator", "not_permitted")]
    assert not Measurement.objects.exists() and not AuditEntry.objects.filter(action=Action.BULK_CREATE).exists()


def test_a_value_recorded_elsewhere_or_approved_is_not_overwritten(indicator_a, coordinator_a):
    rows = [measurement_row()]
    import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    Measurement.objects.update(status="approved")
    rows[0]["value"] = "9"
    locked = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert codes(locked) == [(2, "value", "locked")]
    other = import_start(
        actor=coordinator_a, kind="measurements", upload=csv_file([measurement_row("OTHER")]), dry_run=False
    )
    assert codes(other) == [(2, "period", "value_exists")]
    assert Measurement.objects.get().value == 5


def test_a_reference_to_a_deleted_value_is_pointed_at_the_new_one(indicator_a, coordinator_a):
    rows = [measurement_row()]
    import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    Measurement.objects.all().delete()
    again = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(rows), dry_run=False)
    assert (again.status, again.created_count) == (ImportStatus.DONE, 1), again.errors
    reference = ExternalReference.objects.get()
    assert reference.object_id == Measurement.objects.get().pk


def _saved():
    values = Measurement.objects.order_by("indicator__code", "period")
    fields = ("indicator__code", "period", "value", "numerator", "denominator", "weight", "comment", "status", "source")
    rows = list(values.values_list(*fields))
    references = {
        (r.source_system, r.external_id): Measurement.objects.get(pk=r.object_id).period
        for r in ExternalReference.objects.all()
    }
    return rows, references


@pytest.mark.parametrize("dry_run", [False, True], ids=["commit", "dry-run"])
def test_the_set_path_saves_and_refuses_what_the_row_path_does(
    indicator_a, indicator_b, coordinator_a, settings, dry_run
):
    make_indicator("IND-R", indicator_a.owner, kind="ratio", aggregation="ratio")
    good = [
        measurement_row(period="2023-01", value="١٠"),
        measurement_row("M2", period="2022-01", value=" 7 ", comment=" note "),
        measurement_row("M3", indicator="IND-R", period="2021-01", value="", numerator="3", denominator="4"),
        measurement_row("M4", period="2021-01", value="8"),
    ]
    bad = [
        *good,
        measurement_row("M5", indicator="IND-B"),
        measurement_row("M6", indicator="NOPE"),
        measurement_row("M7", period="2023-13"),
        measurement_row("M8", period="2019-01", value="abc"),
        measurement_row("M9", period="2022-01"),
        measurement_row("M1", period="2018-01"),
        measurement_row("M10", period="2020-01", value="100"),  # 2021 then moves by more than half, unexplained
    ]
    outcomes = []
    for threshold in (10**6, 0):  # the row path, then the set path, from the same empty database
        settings.IMPORT_BULK_ROWS = threshold
        refused = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(bad), dry_run=dry_run)
        saved = import_start(actor=coordinator_a, kind="measurements", upload=csv_file(good), dry_run=dry_run)
        assert saved.status == ImportStatus.DONE, saved.errors  # positive control
        outcomes.append((codes(refused), (saved.created_count, saved.updated_count), _saved()))
        Measurement.objects.all().delete()
        ExternalReference.objects.all().delete()
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] and (dry_run or outcomes[0][2][0])
