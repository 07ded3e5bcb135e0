"""The PostgreSQL paths for large files (indicator values; projects with milestones): COPY, set-based checks and writes.

These tests need PostgreSQL (COPY and temporary tables); on SQLite the same files take the row path,
tested in test_imports.py.
"""

import datetime

import pytest
from django.db import connection, transaction

from masar.audit.models import Action, AuditEntry
from masar.core import policy
from masar.core.services import model_create
from masar.imports.models import ExternalReference, ImportStatus
from masar.imports.services import import_start
from masar.indicators.models import Measurement
from masar.organizations.models import RegionKind
from masar.organizations.services import region_create
from masar.portfolio.models import Milestone, Project
from masar.portfolio.services import project_create, search_text_of
from masar.strategy.models import Axis, Program, Strategy
from tests.exchange.factories import make_client
from tests.imports.factories import csv_file, json_file, measurement_row, project_row, xlsx_file
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


# Projects with milestones ------------------------------------------------------------------------


class _Undo(Exception):
    pass


def _project_state():
    """Return everything an import of projects leaves in the database, named by codes rather than ids."""
    projects = sorted(
        Project.objects.values_list(
            "code", "name_ar", "name_fr", "description_ar", "owner__code", "strategy__code", "axis__order",
            "program__code", "planned_start", "planned_end", "planned_budget", "currency", "funding_kind", "status",
            "classification", "search_text", "version", "manager__username",
        )
    )  # fmt: skip
    milestones = sorted(
        Milestone.objects.values_list("project__code", "order", "name_ar", "planned_date", "actual_date", "version")
    )
    named = {
        "project": {p.pk: p.code for p in Project.objects.all()},
        "milestone": {m.pk: (m.project.code, m.order) for m in Milestone.objects.select_related("project")},
    }
    references = sorted(
        (r.source_system, r.external_id, r.content_type.model, named[r.content_type.model].get(r.object_id))
        for r in ExternalReference.objects.select_related("content_type")
    )
    return projects, milestones, references


def _run_files(actor, files):
    """Import the files in turn; return what each job said and what the database holds after each."""
    seen = []
    for rows, dry_run in files:
        job = import_start(actor=actor, kind="projects", upload=csv_file(rows), dry_run=dry_run)
        seen.append((job.status, job.errors, (job.created_count, job.updated_count, job.unchanged_count)))
        seen.append(_project_state())
    return seen


def _both_paths(settings, actor, files):
    """Run the same files through the row path, then the set path, each from the same database; return both."""
    outcomes = []
    for threshold in (10**6, 0):
        settings.IMPORT_BULK_ROWS = threshold
        try:
            with transaction.atomic():
                outcomes.append(_run_files(actor, files))
                raise _Undo
        except _Undo:
            pass
    return outcomes


@pytest.fixture
def structure(axis, program, ministry_a, ministry_b, manager_a):
    """A second axis, a coded program under each axis, a project of each ministry already there (not imported)."""
    second = model_create(model=Axis, actor=None, data=dict(strategy=program, order=2, name_ar="محور ثان"))
    for order, code, under in ((5, "PR-1", axis), (6, "PR-2", second)):
        data = dict(strategy=program, axis=under, order=order, code=code, name_ar=code)
        model_create(model=Program, actor=None, data=data)
    dates = dict(planned_start=datetime.date(2025, 1, 1), planned_end=datetime.date(2026, 1, 1))
    for code, owner, manager in (("OLD-A", ministry_a, manager_a), ("OLD-B", ministry_b, None)):
        project_create(
            actor=None, code=code, name_ar=code, owner=owner, strategy=program, manager=manager,
            classification="restricted", **dates,
        )  # fmt: skip


def _good_rows():
    return [
        project_row(),
        project_row(milestone_order="2", milestone_name_ar="معلم ثان", milestone_planned_date="2025-09-01"),
        project_row("P2", "IMP-2", name_fr="Projet", program="PR-1", planned_budget="٢٥٠٠٫٥"),
        project_row("P3", "IMP-3", milestone_order="", milestone_name_ar="", milestone_planned_date=""),
        project_row("P4", "OLD-A", name_ar="قديم", classification="restricted"),  # an existing project, by its code
        project_row("P5", "IMP-5", milestone_id="MS-X", milestone_order="3", currency="MAD", status="in_progress"),
    ]


def _bad_rows():
    return [
        *_good_rows(),
        project_row("B1", "BAD-1", owner="NOPE"),
        project_row("B2", "BAD-2", strategy="NOPE"),
        project_row("B3", "BAD-3", axis="9", program="NOPE"),
        project_row("B4", "BAD-4", planned_end="2026-13-01"),
        project_row("B5", "BAD-5", planned_end="2024-01-01"),  # ends before it starts
        project_row("B6", "BAD-6", currency="T1"),
        project_row("B7", "BAD-7", classification="secret"),
        project_row("B8", "BAD-8", planned_budget="-5"),
        project_row("B9", "BAD-9", axis="2", program="PR-1"),  # a program under the other axis
        project_row("B10", "BAD-10", milestone_name_ar=""),  # a milestone without a name
        project_row("B10", "BAD-10", name_ar="آخر", milestone_order="2"),  # differs from the row above
        project_row("B11", "BAD-11", owner="MIN-B"),
        project_row("B12", "OLD-B", name_ar="سطو"),  # another ministry's project
        project_row("B13", "BAD-13", milestone_planned_date="", milestone_order="5"),
    ]


def _changed_rows():
    rows = _good_rows()
    rows[0]["name_ar"] = rows[1]["name_ar"] = "اسم جديد"
    rows[1]["milestone_planned_date"] = "2025-10-01"
    rows[2]["classification"] = "confidential"
    return rows


SEQUENCE = [
    (_bad_rows(), True),
    (_bad_rows(), False),
    (_good_rows(), True),
    (_good_rows(), False),
    (_good_rows(), False),  # the same file again: nothing new, nothing duplicated
    (_changed_rows(), False),
    (_good_rows(), False),  # back again, lowering a classification
]


@pytest.mark.parametrize("who", ["national", "coordinator_a", "manager_a", "viewer_a", "coordinator_b"])
def test_the_set_path_saves_and_refuses_projects_as_the_row_path_does(structure, settings, request, who):
    actor = request.getfixturevalue(who)
    rows_path, set_path = _both_paths(settings, actor, SEQUENCE)
    for step, (by_rows, by_set) in enumerate(zip(rows_path, set_path, strict=True)):
        assert by_rows == by_set, f"step {step // 2}"
    jobs = rows_path[::2]
    assert jobs[0][0] == ImportStatus.REFUSED and len(jobs[0][1]) > 10  # positive control: the bad file's problems
    if who in ("national", "coordinator_a"):
        assert jobs[3][0] == ImportStatus.DONE and jobs[3][2][0] > 0, jobs[3]  # and the good file is saved
        assert jobs[4][2] == (0, 0, 6)  # the same file again changes nothing
        assert jobs[5][2][1] > 0, jobs[5]  # the changed file updates


def test_the_set_path_refuses_an_api_client_outside_its_organization_as_the_row_path(structure, settings, ministry_a):
    system = make_client(ministry_a, scopes=("projects:write",), clearance="restricted")
    rows_path, set_path = _both_paths(settings, system.account, SEQUENCE)
    assert rows_path == set_path
    assert any(p["code"] == "not_permitted" for p in rows_path[0][1])


def test_projects_are_saved_in_one_audit_entry_with_their_search_text(structure, coordinator_a):
    before = AuditEntry.objects.count()
    job = import_start(actor=coordinator_a, kind="projects", upload=csv_file(_good_rows()), dry_run=False)
    assert job.status == ImportStatus.DONE, job.errors
    entries = list(AuditEntry.objects.all()[before:])
    assert [(e.action, e.changes["created"], e.changes["milestones_created"]) for e in entries] == [
        (Action.BULK_CREATE, [0, 4], [0, 5])
    ]
    project = Project.objects.get(code="IMP-2")
    assert project.search_text == search_text_of(project) and "imp-2" in project.search_text.lower()
    # The search index holds every imported project, in the import's transaction.
    from masar.search.models import SearchEntry

    indexed = SearchEntry.objects.filter(kind="project", object_id__in=Project.objects.values("pk"))
    assert indexed.count() == Project.objects.count() > 4
    assert indexed.get(object_id=project.pk).title_ar == project.name_ar


def test_a_new_project_s_creator_may_change_it_for_every_reader(structure, request, ministry_a, ministry_b):
    """The set path asks `may_create_under` only: whoever may create a project may also add its milestones."""
    system = make_client(ministry_a, scopes=("projects:write",), clearance="restricted")
    readers = [request.getfixturevalue(n) for n in ("national", "coordinator_a", "manager_a", "viewer_a")]
    created = 0
    for reader in [*readers, system.account]:
        for owner in (ministry_a, ministry_b):
            for level in ("public", "restricted", "confidential"):
                if not policy.may_create_under(reader, owner, "projects", level):
                    continue
                project = project_create(
                    actor=None, code=f"T-{created}", name_ar="t", owner=owner, strategy=Strategy.objects.get(),
                    classification=level, planned_start=datetime.date(2025, 1, 1),
                    planned_end=datetime.date(2025, 2, 1),
                )  # fmt: skip
                assert policy.may_write(reader, project), (reader, owner, level)
                created += 1
    assert created > 6  # positive control: several readers may create
