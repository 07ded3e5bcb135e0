"""Large files of projects with milestones on PostgreSQL: COPY into a staging table, set-based lookups and writes.

The same file on SQLite, or a small one, goes row by row through the portfolio services
(masar.imports.handlers.projects); a test holds both paths to the same records and refusals.
Here the file is read once in Python, as the row path reads it (`read_row`: the same cell
problems), its codes resolved as the row path's `prepare` resolves them (owners, strategies,
axes by number, programs: a few queries for the whole file) and each row written typed into
COPY's buffer, with the project's search text (`search_text_of`, as `Project.search_text` is
always filled). One statement then joins the staged rows to the external references, the
existing projects (by reference, else by code), the importer's right to change them (the
policy's `writable_by`, compiled to SQL), the existing milestones and whether anything changed.
The rules that need a record (a project's and a milestone's validation, the classification a
person may lower) are asked of the models and the policy in Python, for new and changed records
only, in the order the row path meets them. Projects, milestones and references are then
written by a few set-based statements; the whole import is one audit entry (Action.BULK_CREATE).

A file whose rows name the same milestone twice, or the same code under two external ids, or a
reference to a milestone of another project, or that moves a project to another owner or
classification (who may add its milestones changes with it), is left to the row path (`applies` then says no,
or `import_projects` returns None before writing anything): those files are rare and the row
path decides them one row after another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core import policy
from masar.core.errors import NotPermitted
from masar.imports.columns import columns_of
from masar.imports.handlers import CREATED, UNCHANGED, UPDATED, duplicate_keys, key_of
from masar.imports.handlers.projects import MILESTONE_FIELDS, ProjectRows
from masar.imports.models import ImportKind
from masar.imports.reasons import problem, rule_problems
from masar.imports.values import read_row
from masar.portfolio.models import Milestone, Project
from masar.portfolio.services import search_text_of
from masar.search.index import entries_refresh_ids
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

if TYPE_CHECKING:
    from masar.imports.models import ImportJob
    from masar.imports.parsers import Source

TEXTS = ("name_ar", "name_fr", "name_en", "description_ar", "description_fr", "description_en")
STAGED = (
    ("row_number", "int"),
    ("src", "text"),
    ("ext", "text"),
    ("code", "text"),
    *((name, "text") for name in TEXTS),
    ("owner_id", "bigint"),
    ("strategy_id", "bigint"),
    ("axis_id", "bigint"),
    ("program_id", "bigint"),
    ("planned_start", "date"),
    ("planned_end", "date"),
    ("planned_budget", "numeric"),
    ("currency", "text"),
    ("funding_kind", "text"),
    ("status", "text"),
    ("classification", "text"),
    ("search_text", "text"),
    ("refused", "boolean"),
    ("ms_key", "text"),
    ("ms_order", "bigint"),
    ("ms_name_ar", "text"),
    ("ms_name_fr", "text"),
    ("ms_name_en", "text"),
    ("ms_planned_date", "date"),
    ("ms_actual_date", "date"),
)
# The project's columns compared with the stored record, by their column in the staging table.
COMPARED = ("code", *TEXTS, "owner_id", "strategy_id", "axis_id", "program_id", "planned_start", "planned_end",
            "planned_budget", "currency", "funding_kind", "status", "classification")  # fmt: skip
MS_COMPARED = {"ms_name_ar": "name_ar", "ms_name_fr": "name_fr", "ms_name_en": "name_en",
               "ms_planned_date": "planned_date", "ms_actual_date": "actual_date", "ms_order": '"order"'}  # fmt: skip
FOREIGN = ("owner", "strategy", "axis", "program", "phase", "manager", "project")
DROP = (
    "DROP TABLE IF EXISTS import_projects_staging, import_projects_resolved, import_projects_search,"
    " import_projects_new"
)


class _Rollback(Exception):
    pass


class LeaveToRows(Exception):
    """The file holds what only the row path decides (see the module's docstring)."""


def applies(job: ImportJob) -> bool:
    """Whether a job takes this path: projects, on PostgreSQL, in a file above the bulk threshold."""
    return (
        job.kind == ImportKind.PROJECTS
        and connection.vendor == "postgresql"
        and job.total_rows > int(getattr(settings, "IMPORT_BULK_ROWS", 2000))
    )


def import_projects(*, job: ImportJob, actor: Any, source: Source) -> tuple[list[dict], dict[str, int]] | None:
    """Check, and unless it is a dry run or a row is refused, save a file of projects; None: leave it to the rows."""
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    problems: list[dict] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            file = _File(actor)
            problems += file.stage(cursor, source)
            _resolve(cursor, actor)
            found, counts, plan = file.check(cursor)
            problems += found
            if not problems and not job.dry_run:
                _write(cursor, actor, job, plan, counts)
            cursor.execute(DROP)
            if problems or job.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except LeaveToRows:
        return None
    return problems, counts


class _File:
    """One file of projects as the row path sees it: typed rows, their codes resolved, checked in its order."""

    def __init__(self, actor: Any):
        self.actor = actor
        self.rows: dict[int, dict[str, Any]] = {}
        self.early: set[int] = set()  # rows refused before any write (cells, codes, a project that differs)

    def stage(self, cursor, source: Source) -> list[dict[str, Any]]:
        columns = {column.name: column for column in columns_of(ImportKind.PROJECTS)}
        typed, found = [], []
        for number, cells in source.rows:
            values, cell_problems = read_row(columns, source.header, number, cells)
            found += cell_problems
            typed.append((number, values))
        self._leave_odd_files_to_rows(typed)
        prepare = ProjectRows(actor=self.actor)
        prepare.resolve_codes(typed)
        found += _unseen(found, prepare.early_problems(typed))
        self.prepare = prepare
        self.early = {p["row"] for p in found}
        cursor.execute(DROP)
        columns_sql = ", ".join(f"{name} {kind}" for name, kind in STAGED)
        cursor.execute(f"CREATE TEMP TABLE import_projects_staging ({columns_sql}) ON COMMIT DROP")
        with cursor.copy(f"COPY import_projects_staging ({', '.join(n for n, _k in STAGED)}) FROM STDIN") as copy:
            for number, values in typed:
                self.rows[number] = values
                copy.write_row(self._staged(number, values))
        cursor.execute("ANALYZE import_projects_staging")
        return found

    @staticmethod
    def _leave_odd_files_to_rows(typed: list[tuple[int, dict[str, Any]]]) -> None:
        """Refuse to decide a file in which one row's write changes what a later row finds (the row path does)."""
        with_milestone = [(n, v) for n, v in typed if ProjectRows._has_milestone(v)]
        if duplicate_keys(with_milestone, lambda v: (v["source_system"], ProjectRows._milestone_id(v))):
            raise LeaveToRows
        ordered = [(n, v) for n, v in with_milestone if v.get("milestone_order") is not None]
        if duplicate_keys(ordered, lambda v: (key_of(v), v["milestone_order"])):
            raise LeaveToRows
        codes: dict[Any, Any] = {}
        for _number, values in typed:
            if values.get("code") is not None and codes.setdefault(values["code"], key_of(values)) != key_of(values):
                raise LeaveToRows

    def _staged(self, number: int, values: dict[str, Any]) -> list[Any]:
        prepare = self.prepare
        owner = prepare.owners.get(values["owner"])
        strategy = prepare.strategies.get(values["strategy"])
        axis = program = None
        if strategy is not None:
            axis = prepare.axes.get((strategy.pk, values.get("axis")))
            program = prepare.programs.get((strategy.pk, values.get("program")))
        search = search_text_of(Project(**{name: values.get(name) for name in TEXTS}, code=values.get("code") or ""))
        has_milestone = ProjectRows._has_milestone(values)
        return [
            number,
            values["source_system"],
            values["external_id"],
            values.get("code"),
            *(values.get(name) for name in TEXTS),
            owner.pk if owner else None,
            strategy.pk if strategy else None,
            axis.pk if axis else None,
            program.pk if program else None,
            values.get("planned_start"),
            values.get("planned_end"),
            values.get("planned_budget"),
            values.get("currency"),
            values.get("funding_kind"),
            values.get("status"),
            values.get("classification"),
            search,
            number in self.early,
            ProjectRows._milestone_id(values) if has_milestone else None,
            values.get("milestone_order"),
            *(values.get(column) for column in MILESTONE_FIELDS),
        ]

    def check(self, cursor) -> tuple[list[dict[str, Any]], dict[str, int], dict[str, Any]]:
        """Return the problems the row path's writes would meet, the counts and what to write, in the file's order."""
        cursor.execute(
            "SELECT row_number, project_id, code_taken, writable, project_changed, milestone_id, milestone_changed,"
            " other_project FROM import_projects_resolved WHERE NOT refused ORDER BY row_number"
        )
        resolved = cursor.fetchall()
        if any(row[7] for row in resolved):
            raise LeaveToRows
        existing = Project.objects.select_related("owner", "strategy", "axis", "program", "phase").in_bulk(
            {row[1] for row in resolved if row[1] is not None and row[4]}
        )
        milestones = Milestone.objects.in_bulk({row[5] for row in resolved if row[5] is not None and row[6]})
        found: list[dict[str, Any]] = []
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        done: dict[tuple[str, str], str] = {}
        plan: dict[str, Any] = {"search": {}, "updated": set()}
        creatable: dict[tuple[int, str], bool] = {}
        for number, project_id, code_taken, writable, changed, milestone_id, milestone_changed, _other in resolved:
            values = self.rows[number]
            key = key_of(values)
            outcome = UNCHANGED
            if key not in done:
                refusal, outcome = self._project(
                    number, values, project_id, code_taken, writable, existing.get(project_id) if changed else None,
                    creatable, plan,
                )  # fmt: skip
                if refusal:
                    found += refusal
                    continue
                done[key] = outcome
            if ProjectRows._has_milestone(values):
                refusal, milestone_outcome = self._milestone(
                    number, values, milestone_id, milestones.get(milestone_id) if milestone_changed else None
                )
                if refusal:
                    found += refusal
                    continue
                outcome = min(outcome, milestone_outcome, key=(CREATED, UPDATED, UNCHANGED).index)
            counts[outcome] += 1
        return found, counts, plan

    def _project(self, number, values, project_id, code_taken, writable, stored, creatable, plan):
        """Return (problems, outcome) of the row that writes a project, as `ProjectRows._write_project` meets them."""
        data = self.prepare._data(values)
        if code_taken:
            return [problem(number, "code", "code_taken", value=data["code"])], None
        if project_id is None:
            level = data.get("classification") or Project._meta.get_field("classification").get_default()
            pair = (data["owner"].pk, level)
            if pair not in creatable:
                creatable[pair] = policy.may_create_under(self.actor, data["owner"], "projects", level)
            if not creatable[pair]:
                return [problem(number, "owner", "not_permitted")], None
            project = Project()
            for name, value in data.items():
                setattr(project, name, value)
            return _invalid(number, project, unique=False), CREATED
        if not writable:
            return [problem(number, "code", "not_permitted")], None
        if stored is None:
            return [], UNCHANGED
        if data["owner"].pk != stored.owner_id or data.get("classification", stored.classification) != (
            stored.classification
        ):  # who may add its milestones changes with it: the row path asks again after the update
            raise LeaveToRows
        try:
            policy.check_classification(self.actor, stored, data.get("classification"))
        except NotPermitted as error:
            return rule_problems(number, error), None
        for name, value in data.items():
            setattr(stored, name, value)
        stored.search_text = search_text_of(stored)
        found = _invalid(number, stored, unique=True)
        if not found:
            plan["search"][stored.pk] = stored.search_text
            plan["updated"].add(stored.pk)
        return found, UPDATED

    def _milestone(self, number, values, milestone_id, stored):
        """Return (problems, outcome) of a row's milestone, as `ProjectRows._write_milestone` meets them."""
        data = {field: values[column] for column, field in MILESTONE_FIELDS.items() if values.get(column) is not None}
        if values.get("milestone_order") is not None:
            data["order"] = values["milestone_order"]
        if milestone_id is None:
            return _invalid(number, Milestone(**data), unique=False), CREATED
        if stored is None:
            return [], UNCHANGED
        moved = data.get("order", stored.order) != stored.order
        for name, value in data.items():
            setattr(stored, name, value)
        found = _invalid(number, stored, unique=True)
        if moved and not found:
            try:  # another milestone of the project may hold that number
                stored.validate_constraints()
            except ValidationError as error:
                found = rule_problems(number, error)
        return found, UPDATED


def _unseen(known: list[dict[str, Any]], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cells = {(p["row"], p["column"]) for p in known}
    return [p for p in found if (p["row"], p["column"]) not in cells]


def _invalid(number: int, record: Any, *, unique: bool) -> list[dict[str, Any]]:
    """Return the problems the record's validation raises, as `model_create`/`model_update`'s `full_clean` words them.

    Foreign keys are left out (they were just resolved by code, so they exist); so is the uniqueness
    of a new record (its code was looked up, and a file giving one code twice goes row by row).
    """
    try:
        record.full_clean(exclude=[f for f in FOREIGN if hasattr(record, f"{f}_id")], validate_unique=unique)
    except ValidationError as error:
        return rule_problems(number, error)
    return []


def _writable_sql(actor: Any) -> tuple[str, tuple[Any, ...]]:
    """Return the SQL (and its parameters) of the ids of the projects the importer may change: the policy's own rule."""
    query = Project.objects.writable_by(actor).order_by().values("pk").query
    try:
        return query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # a reader who changes nothing
        return "SELECT NULL::bigint WHERE FALSE", ()


def _resolve(cursor, actor: Any) -> None:
    """Join the staged rows to references, stored projects, the importer's rights and milestones: one statement."""
    writable, params = _writable_sql(actor)
    project_ct = ContentType.objects.get_for_model(Project).pk
    milestone_ct = ContentType.objects.get_for_model(Milestone).pk
    changed = " OR ".join(f"(s.{name} IS NOT NULL AND s.{name} IS DISTINCT FROM p.{name})" for name in COMPARED)
    ms_changed = " OR ".join(
        f"(s.{name} IS NOT NULL AND s.{name} IS DISTINCT FROM m.{field})" for name, field in MS_COMPARED.items()
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE import_projects_resolved ON COMMIT DROP AS
        WITH keyed AS (
            SELECT s.*, ref.id AS ref_id, byref.id AS ref_project, bycode.id AS code_project,
                   bycode.id IN (SELECT r.object_id FROM imports_externalreference r
                                 JOIN import_projects_staging k ON r.source_system = k.src AND r.external_id = k.ext
                                 WHERE r.content_type_id = {project_ct}) AS code_referenced
            FROM import_projects_staging s
            LEFT JOIN imports_externalreference ref ON ref.content_type_id = {project_ct}
                 AND ref.source_system = s.src AND ref.external_id = s.ext
            LEFT JOIN portfolio_project byref ON byref.id = ref.object_id
            LEFT JOIN portfolio_project bycode ON bycode.code = s.code
        ), chosen AS (
            SELECT k.*, coalesce(k.ref_project, CASE WHEN NOT coalesce(k.code_referenced, FALSE)
                                                      THEN k.code_project END) AS project_id,
                   k.ref_project IS NULL AND coalesce(k.code_referenced, FALSE) AS code_taken
            FROM keyed k
        )
        SELECT s.*, p.version AS project_version,
               p.id IS NOT NULL AND p.id IN ({writable}) AS writable,
               p.id IS NOT NULL AND ({changed}) AS project_changed,
               mref.id AS ms_ref_id, coalesce(mine.id, byorder.id) AS milestone_id,
               mine.id IS NOT NULL AND mine.project_id IS DISTINCT FROM s.project_id AS other_project,
               m.id IS NOT NULL AND ({ms_changed}) AS milestone_changed
        FROM chosen s
        LEFT JOIN portfolio_project p ON p.id = s.project_id
        LEFT JOIN imports_externalreference mref ON mref.content_type_id = {milestone_ct}
             AND mref.source_system = s.src AND mref.external_id = s.ms_key
        LEFT JOIN portfolio_milestone mine ON mine.id = mref.object_id
        LEFT JOIN portfolio_milestone byorder ON mine.id IS NULL AND byorder.project_id = s.project_id
             AND byorder."order" = s.ms_order
        LEFT JOIN portfolio_milestone m ON m.id = coalesce(mine.id, byorder.id)
        """,
        params,
    )


_PROJECT_SET = ", ".join(
    f"{name} = coalesce(r.{name}, p.{name})" for name in COMPARED if name not in ("owner_id", "strategy_id")
)
_MS_SET = ", ".join(f"{field} = coalesce(r.{name}, m.{field})" for name, field in MS_COMPARED.items())
_DEFAULTS = {
    "currency": Project._meta.get_field("currency").get_default(),
    "funding_kind": Project._meta.get_field("funding_kind").get_default(),
    "status": Project._meta.get_field("status").get_default(),
    "classification": Project._meta.get_field("classification").get_default(),
}


def _write(cursor, actor: Any, job: ImportJob, plan: dict[str, Any], counts: dict[str, int]) -> None:
    """Save the checked file: update what changed, insert the new projects and milestones, link their references."""
    now = timezone.now()
    params: dict[str, Any] = {
        "now": now,
        "project_ct": ContentType.objects.get_for_model(Project).pk,
        "milestone_ct": ContentType.objects.get_for_model(Milestone).pk,
        **{f"default_{name}": value for name, value in _DEFAULTS.items()},
    }
    cursor.execute("CREATE TEMP TABLE import_projects_search (id bigint PRIMARY KEY, search_text text) ON COMMIT DROP")
    with cursor.copy("COPY import_projects_search FROM STDIN") as copy:
        for pk, text in plan["search"].items():
            copy.write_row([pk, text])
    cursor.execute(
        f"""
        UPDATE portfolio_project p SET owner_id = r.owner_id, strategy_id = r.strategy_id, {_PROJECT_SET},
            search_text = t.search_text, version = p.version + 1, updated_at = %(now)s
        FROM (SELECT DISTINCT ON (project_id) * FROM import_projects_resolved WHERE project_changed AND NOT refused
              ORDER BY project_id, row_number) r
        JOIN import_projects_search t ON t.id = r.project_id
        WHERE p.id = r.project_id
        """,
        params,
    )
    updated_projects = cursor.rowcount
    cursor.execute("SELECT pg_get_serial_sequence('portfolio_project', 'id')")
    params["sequence"] = cursor.fetchone()[0]
    cursor.execute(
        f"""
        CREATE TEMP TABLE import_projects_new ON COMMIT DROP AS
        SELECT nextval(%(sequence)s::regclass) AS id, r.* FROM (
            SELECT DISTINCT ON (src, ext) * FROM import_projects_resolved WHERE project_id IS NULL AND NOT refused
            ORDER BY src, ext, row_number
        ) r;
        INSERT INTO portfolio_project (id, code, {", ".join(TEXTS)}, owner_id, strategy_id, axis_id, program_id,
            phase_id, manager_id, planned_start, planned_end, planned_budget, currency, funding_kind, status,
            classification, search_text, version, updated_at, is_sample, source, sample_fields)
        SELECT id, code, {", ".join(f"coalesce({name}, '')" for name in TEXTS)}, owner_id, strategy_id, axis_id,
            program_id, NULL, NULL, planned_start, planned_end, planned_budget,
            coalesce(currency, %(default_currency)s), coalesce(funding_kind, %(default_funding_kind)s),
            coalesce(status, %(default_status)s), coalesce(classification, %(default_classification)s),
            search_text, 1, %(now)s, FALSE, '', '[]'::jsonb
        FROM import_projects_new;
        UPDATE import_projects_resolved r SET project_id = n.id FROM import_projects_new n
        WHERE r.project_id IS NULL AND r.src = n.src AND r.ext = n.ext;
        """,
        params,
    )
    cursor.execute("SELECT count(*) FROM import_projects_new")
    created_projects = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO imports_externalreference (source_system, external_id, content_type_id, object_id, created_at)
        SELECT DISTINCT ON (src, ext) src, ext, %(project_ct)s, project_id, %(now)s FROM import_projects_resolved
        ORDER BY src, ext, row_number
        ON CONFLICT (source_system, content_type_id, external_id) DO UPDATE SET object_id = EXCLUDED.object_id
        WHERE imports_externalreference.object_id IS DISTINCT FROM EXCLUDED.object_id
        """,
        params,
    )
    cursor.execute(
        f"""
        UPDATE portfolio_milestone m SET {_MS_SET}, version = m.version + 1, updated_at = %(now)s
        FROM import_projects_resolved r WHERE m.id = r.milestone_id AND r.milestone_changed
        """,
        params,
    )
    updated_milestones = cursor.rowcount
    cursor.execute("SELECT pg_get_serial_sequence('portfolio_milestone', 'id')")
    params["ms_sequence"] = cursor.fetchone()[0]
    cursor.execute(
        """
        UPDATE import_projects_resolved SET milestone_id = nextval(%(ms_sequence)s::regclass)
        WHERE ms_key IS NOT NULL AND milestone_id IS NULL;
        INSERT INTO portfolio_milestone (id, project_id, "order", name_ar, name_fr, name_en, planned_date,
            actual_date, version, updated_at, is_sample, source, sample_fields)
        SELECT r.milestone_id, r.project_id, r.ms_order, coalesce(r.ms_name_ar, ''), coalesce(r.ms_name_fr, ''),
            coalesce(r.ms_name_en, ''), r.ms_planned_date, r.ms_actual_date, 1, %(now)s, FALSE, '', '[]'::jsonb
        FROM import_projects_resolved r LEFT JOIN portfolio_milestone m ON m.id = r.milestone_id
        WHERE r.ms_key IS NOT NULL AND m.id IS NULL;
        """,
        params,
    )
    created_milestones = cursor.rowcount
    cursor.execute(
        """
        INSERT INTO imports_externalreference (source_system, external_id, content_type_id, object_id, created_at)
        SELECT src, ms_key, %(milestone_ct)s, milestone_id, %(now)s FROM import_projects_resolved
        WHERE ms_key IS NOT NULL
        ON CONFLICT (source_system, content_type_id, external_id) DO UPDATE SET object_id = EXCLUDED.object_id
        WHERE imports_externalreference.object_id IS DISTINCT FROM EXCLUDED.object_id
        """,
        params,
    )
    audit_record(
        actor=actor,
        action=Action.BULK_CREATE,
        instance=None,
        model=Project,
        object_id=f"import-{job.pk}",
        changes={
            "created": [0, created_projects],
            "updated": [0, updated_projects],
            "milestones_created": [0, created_milestones],
            "milestones_updated": [0, updated_milestones],
            "import": [None, job.pk],
        },
    )
    # The search index follows audited changes one record at a time; a bulk write refreshes its rows here.
    cursor.execute(
        "SELECT DISTINCT project_id FROM import_projects_resolved WHERE NOT refused AND project_id IS NOT NULL"
    )
    entries_refresh_ids("portfolio.Project", [row[0] for row in cursor.fetchall()])
    for project in Project.objects.filter(pk__in=plan["updated"]):  # as project_update announces each change
        emit(EventType.PROJECT_CHANGED, project)
