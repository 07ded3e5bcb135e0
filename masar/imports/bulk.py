"""Large files of indicator values on PostgreSQL: COPY into a staging table, set-based checks, set-based upsert.

The same file on SQLite, or a small one, goes row by row through the indicator services
(masar.imports.handlers.measurements). Here the rules are applied to the whole file at once, in
SQL: required cells, formulas, numbers (plain digits, Eastern Arabic digits, the importer's decimal
mark; anything else is read by `masar.core.numbers.read_number` in Python, for those cells only),
periods (YYYY-MM, the first month of the indicator's period, ended), indicator, region and
organization codes, the place fitting the indicator's disaggregation and region level, ratios
given as numerator and denominator, weights for weighted means, bounds (percentages, counts,
declared limits), duplicates within the file, values already recorded from elsewhere, approved
(locked) values, and the importer's right to enter each indicator's values (asked once per
indicator). Values are saved submitted for approval; the whole import is one audit entry
(Action.BULK_CREATE). The jump and outlier flags of the value form are left to the row path.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core import policy
from masar.core.numbers import TypedNumberError, page_decimal_mark, read_number
from masar.imports.handlers import CREATED, UNCHANGED, UPDATED
from masar.imports.models import ImportKind
from masar.indicators.models import Indicator, Measurement

if TYPE_CHECKING:
    from masar.imports.models import ImportJob
    from masar.imports.parsers import Source

STAGED = (
    "source_system",
    "external_id",
    "indicator",
    "period",
    "region",
    "organization",
    "value",
    "numerator",
    "denominator",
    "weight",
    "comment",
)
NUMBERS = ("value", "numerator", "denominator", "weight")
TEXTS = ("source_system", "external_id", "indicator", "region", "organization", "comment")
DIGITS = ("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


DROP = "DROP TABLE IF EXISTS import_staging, import_resolved"


class _Rollback(Exception):
    pass


def applies(job: ImportJob) -> bool:
    """Whether a job takes this path: indicator values, on PostgreSQL, in a file above the bulk threshold."""
    return (
        job.kind == ImportKind.MEASUREMENTS
        and connection.vendor == "postgresql"
        and job.total_rows > int(getattr(settings, "IMPORT_BULK_ROWS", 2000))
    )


def import_measurements(*, job: ImportJob, actor: Any, source: Source) -> tuple[list[dict], dict[str, int]]:
    """Check, and unless it is a dry run or a row is refused, save a file of values; return (problems, counts)."""
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    problems: list[dict] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _stage(cursor, source)
            _read_numbers(cursor)
            _resolve(cursor, actor)
            problems = _problems(cursor)
            counts = _counts(cursor)
            if not problems and not job.dry_run:
                _upsert(cursor, actor, job)
            cursor.execute(DROP)
            if problems or job.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return problems, counts


def _stage(cursor, source: Source) -> None:
    cursor.execute(DROP)  # left by an import earlier in the same transaction (tests, or a caller's atomic block)
    columns = ", ".join(f"{name} text" for name in STAGED)
    cursor.execute(f"CREATE TEMP TABLE import_staging (row_number bigint, {columns}) ON COMMIT DROP")
    positions = {name: source.header.index(name) for name in STAGED if name in source.header}
    mark = page_decimal_mark()
    names = ", ".join(["row_number", *positions])
    with cursor.copy(f"COPY import_staging ({names}) FROM STDIN") as copy:
        for number, cells in source.rows:
            copy.write_row([number, *(_staged(cells, index, mark) for index in positions.values())])
    cursor.execute("ANALYZE import_staging")


def _staged(cells: list[Any], index: int, mark: str) -> str | None:
    value = cells[index] if index < len(cells) else None
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return str(value).replace(".", mark)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _plain_number_sql(name: str, mark: str) -> str:
    """SQL reading a cell as a number when it is written plainly; NULL otherwise (Python reads the rest)."""
    text = f"replace(translate(btrim({name}), '{DIGITS[0]}', '{DIGITS[1]}'), ' ', '')"
    pattern = r"^-?[0-9]+(\.[0-9]+)?$" if mark == "." else r"^-?[0-9]+(,[0-9]+)?$"
    return f"CASE WHEN {text} ~ '{pattern}' THEN replace({text}, ',', '.')::numeric END"


def _read_numbers(cursor) -> None:
    mark = page_decimal_mark()
    adds = ", ".join(f"ADD COLUMN {name}_n numeric" for name in NUMBERS)
    cursor.execute(f"ALTER TABLE import_staging {adds}, ADD COLUMN bad_numbers text[] NOT NULL DEFAULT '{{}}'")
    sets = ", ".join(f"{name}_n = {_plain_number_sql(name, mark)}" for name in NUMBERS)
    cursor.execute(f"UPDATE import_staging SET {sets}")
    for name in NUMBERS:
        cursor.execute(
            f"SELECT row_number, {name} FROM import_staging"
            f" WHERE {name}_n IS NULL AND coalesce(btrim({name}), '') <> ''"
        )
        fixed, bad = [], []
        for number, text in cursor.fetchall():
            try:
                fixed.append((number, read_number(text)))
            except TypedNumberError:
                bad.append(number)
        if fixed:
            cursor.executemany(
                f"UPDATE import_staging SET {name}_n = %s WHERE row_number = %s", [(v, n) for n, v in fixed]
            )
        if bad:
            cursor.execute(
                "UPDATE import_staging SET bad_numbers = array_append(bad_numbers, %s) WHERE row_number = ANY(%s)",
                [name, bad],
            )


_PERIOD = f"translate(btrim(s.period), '{DIGITS[0]}', '{DIGITS[1]}')"
_NEXT = (
    "CASE i.frequency WHEN 'yearly' THEN interval '1 year' WHEN 'quarterly' THEN interval '3 months'"
    " ELSE interval '1 month' END"
)


def _resolve(cursor, actor: Any) -> None:
    """Join the staged rows to indicators, places, references and stored values, in one pass."""
    content_type = ContentType.objects.get_for_model(Measurement).pk
    cursor.execute(
        f"""
        CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
        SELECT s.*, i.id AS indicator_id, i.kind, i.frequency, i.disaggregation, i.region_level, i.aggregation,
               i.numerator_id AS derived_from, i.factor, i.min_value, i.max_value, i.numerator_within_denominator,
               r.id AS region_id, r.kind AS region_kind, o.id AS organization_id, ref.object_id AS ref_id,
               CASE WHEN {_PERIOD} ~ '^[0-9]{{4}}-(0?[1-9]|1[0-2])(-01)?$'
                    THEN make_date(substring({_PERIOD} from 1 for 4)::int,
                                   substring({_PERIOD} from '^[0-9]{{4}}-([0-9]{{1,2}})')::int, 1) END AS period_d,
               FALSE AS allowed
        FROM import_staging s
        LEFT JOIN indicators_indicator i ON i.code = btrim(s.indicator)
        LEFT JOIN organizations_region r ON r.code = nullif(btrim(s.region), '')
        LEFT JOIN organizations_organization o ON o.code = nullif(btrim(s.organization), '')
        LEFT JOIN imports_externalreference ref ON ref.content_type_id = %s
             AND ref.source_system = btrim(s.source_system) AND ref.external_id = btrim(s.external_id)
        """,
        [content_type],
    )
    cursor.execute("SELECT DISTINCT indicator_id FROM import_resolved WHERE indicator_id IS NOT NULL")
    ids = [row[0] for row in cursor.fetchall()]
    # The importer's right to enter values: asked once per indicator of the file, by the one policy.
    allowed = [
        i.pk for i in Indicator.objects.filter(pk__in=ids).select_related("owner") if policy.may_enter_values(actor, i)
    ]
    cursor.execute("UPDATE import_resolved SET allowed = indicator_id = ANY(%s)", [allowed])
    cursor.execute(
        f"""
        ALTER TABLE import_resolved ADD COLUMN final numeric, ADD COLUMN next_start date, ADD COLUMN first_cell bigint,
            ADD COLUMN first_key bigint, ADD COLUMN cell_id bigint, ADD COLUMN ref_indicator bigint,
            ADD COLUMN ref_status text, ADD COLUMN changed boolean NOT NULL DEFAULT TRUE;
        UPDATE import_resolved i SET
            final = round(CASE WHEN kind = 'ratio' THEN numerator_n / nullif(denominator_n, 0) * factor
                               ELSE value_n END, {Measurement._meta.get_field("value").decimal_places}),
            next_start = (period_d + {_NEXT})::date,
            region_id = CASE WHEN disaggregation = 'region' THEN region_id END,
            organization_id = CASE WHEN disaggregation = 'organization' THEN organization_id END;
        UPDATE import_resolved r SET first_cell = f.first_cell, first_key = f.first_key FROM (
            SELECT row_number,
                   min(row_number) OVER (PARTITION BY indicator_id, period_d, region_id, organization_id) AS first_cell,
                   min(row_number) OVER (PARTITION BY btrim(source_system), btrim(external_id)) AS first_key
            FROM import_resolved) f WHERE f.row_number = r.row_number;
        UPDATE import_resolved r SET cell_id = m.id FROM indicators_measurement m
            WHERE m.indicator_id = r.indicator_id AND m.period = r.period_d
              AND coalesce(m.region_id, 0) = coalesce(r.region_id, 0)
              AND coalesce(m.organization_id, 0) = coalesce(r.organization_id, 0);
        UPDATE import_resolved r SET ref_indicator = m.indicator_id, ref_status = m.status,
            changed = (m.period, m.region_id, m.organization_id, m.value, m.numerator, m.denominator, m.weight,
                       m.comment)
              IS DISTINCT FROM (r.period_d, r.region_id, r.organization_id, r.final,
                  CASE WHEN r.kind = 'ratio' THEN round(r.numerator_n, 4) END,
                  CASE WHEN r.kind = 'ratio' THEN round(r.denominator_n, 4) END,
                  round(r.weight_n, 4), coalesce(btrim(r.comment), ''))
            FROM indicators_measurement m WHERE m.id = r.ref_id;
        """
    )


def _checks() -> list[tuple[str, str, str, str]]:
    """Return (column, reason code, condition, params as SQL json) of every set-based rule."""
    found = [
        (name, "required", f"coalesce(btrim({name}), '') = ''", "'{}'")
        for name in ("source_system", "external_id", "indicator", "period")
    ]
    found += [
        (name, "formula", f"{name} ~ '^\\s*[=+@-]'", f"json_build_object('value', left({name}, 40))") for name in TEXTS
    ]
    found += [
        (name, "formula", f"{name} ~ '^\\s*='", f"json_build_object('value', left({name}, 40))")
        for name in (*NUMBERS, "period")
    ]
    found += [
        ("source_system", "too_long", "length(btrim(source_system)) > 100", "json_build_object('limit', 100)"),
        ("external_id", "too_long", "length(btrim(external_id)) > 200", "json_build_object('limit', 200)"),
    ]
    found += [(n, "not_a_number", f"'{n}' = ANY(bad_numbers)", f"json_build_object('value', {n})") for n in NUMBERS]
    value = "json_build_object('value', {0})"
    return found + [
        ("period", "not_a_month", "coalesce(btrim(period), '') <> '' AND period_d IS NULL", value.format("period")),
        (
            "indicator",
            "unknown_indicator",
            "btrim(indicator) <> '' AND indicator_id IS NULL",
            value.format("indicator"),
        ),
        ("region", "unknown_region", "btrim(region) <> '' AND region_kind IS NULL", value.format("region")),
        (
            "organization",
            "unknown_organization",
            "btrim(organization) <> '' AND organization_id IS NULL AND disaggregation = 'organization'",
            value.format("organization"),
        ),
        ("indicator", "not_permitted", "indicator_id IS NOT NULL AND NOT allowed", "'{}'"),
        ("indicator", "derived", "derived_from IS NOT NULL", "'{}'"),
        (
            "period",
            "period_not_start",
            "period_d IS NOT NULL AND ((frequency = 'yearly' AND extract(month FROM period_d) <> 1)"
            " OR (frequency = 'quarterly' AND extract(month FROM period_d) NOT IN (1, 4, 7, 10)))",
            "json_build_object('expected', to_char(date_trunc("
            "CASE frequency WHEN 'yearly' THEN 'year' ELSE 'quarter' END, period_d), 'YYYY-MM'))",
        ),
        (
            "period",
            "period_not_ended",
            "next_start > current_date",
            "json_build_object('value', to_char(period_d, 'YYYY-MM'))",
        ),
        (
            "region",
            "wrong_place",
            "(disaggregation = 'region' AND (region_kind IS NULL OR region_kind <> region_level"
            " OR coalesce(btrim(organization), '') <> ''))"
            " OR (disaggregation = 'organization' AND (organization_id IS NULL OR coalesce(btrim(region), '') <> ''))"
            " OR (disaggregation = 'national'"
            " AND (coalesce(btrim(region), '') <> '' OR coalesce(btrim(organization), '') <> ''))",
            "'{}'",
        ),
        (
            "numerator",
            "ratio_parts",
            "kind = 'ratio' AND (numerator_n IS NULL OR coalesce(denominator_n, 0) = 0)",
            "'{}'",
        ),
        ("value", "required", "kind <> 'ratio' AND value_n IS NULL AND NOT 'value' = ANY(bad_numbers)", "'{}'"),
        (
            "weight",
            "weight_required",
            "disaggregation <> 'national' AND aggregation = 'weighted_mean' AND coalesce(weight_n, 0) <= 0",
            "'{}'",
        ),
        (
            "value",
            "out_of_bounds",
            "final IS NOT NULL AND ((kind = 'percentage' AND (final < 0 OR final > 100))"
            " OR (kind = 'count' AND (final < 0 OR final <> trunc(final))) OR final < min_value OR final > max_value"
            " OR (numerator_within_denominator AND numerator_n > denominator_n))",
            "json_build_object('value', final::text)",
        ),
        (
            "period",
            "duplicate_row",
            "indicator_id IS NOT NULL AND period_d IS NOT NULL AND row_number > first_cell",
            "json_build_object('other', first_cell)",
        ),
        ("external_id", "duplicate_row", "row_number > first_key", "json_build_object('other', first_key)"),
        ("period", "value_exists", "cell_id IS NOT NULL AND cell_id IS DISTINCT FROM ref_id", "'{}'"),
        ("indicator", "code_taken", "ref_id IS NOT NULL AND ref_indicator <> indicator_id", value.format("indicator")),
        ("value", "locked", "changed AND ref_status = 'approved'", "'{}'"),
        ("value", "awaiting_approval", "changed AND ref_status = 'submitted'", "'{}'"),
    ]


def _problems(cursor, limit: int = 5000) -> list[dict[str, Any]]:
    parts = [
        f"SELECT row_number, '{column}', '{code}', ({params})::json FROM import_resolved WHERE {condition}"
        for column, code, condition, params in _checks()
    ]
    cursor.execute(" UNION ALL ".join(f"({part})" for part in parts) + f" ORDER BY 1, 2 LIMIT {int(limit)}")
    return [{"row": int(r), "column": c, "code": k, "params": p or {}} for r, c, k, p in cursor.fetchall()]


def _counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT count(*) FILTER (WHERE ref_id IS NULL), count(*) FILTER (WHERE ref_id IS NOT NULL AND changed),"
        " count(*) FILTER (WHERE ref_id IS NOT NULL AND NOT changed) FROM import_resolved"
    )
    created, updated, unchanged = cursor.fetchone()
    return {CREATED: created, UPDATED: updated, UNCHANGED: unchanged}


def _upsert(cursor, actor: Any, job: ImportJob) -> None:
    """Save the checked rows: update the values this source sent before, insert the others with their references."""
    now = timezone.now()
    person = actor.pk
    numbers = (
        "CASE WHEN r.kind = 'ratio' THEN round(r.numerator_n, 4) END,"
        " CASE WHEN r.kind = 'ratio' THEN round(r.denominator_n, 4) END, round(r.weight_n, 4)"
    )
    cursor.execute(
        f"""
        UPDATE indicators_measurement m SET period = r.period_d, region_id = r.region_id,
            organization_id = r.organization_id, value = r.final,
            (numerator, denominator, weight) = ({numbers}), comment = coalesce(btrim(r.comment), ''),
            status = 'submitted', entered_by_id = %(actor)s, entered_at = %(now)s, submitted_by_id = %(actor)s,
            submitted_at = %(now)s, decided_by_id = NULL, decided_at = NULL, rejection_reason = '', z_score = NULL,
            needs_review = FALSE, version = m.version + 1, updated_at = %(now)s
        FROM import_resolved r WHERE m.id = r.ref_id AND r.changed
        """,
        {"actor": person, "now": now},
    )
    updated = cursor.rowcount
    cursor.execute(
        f"""
        WITH inserted AS (
            INSERT INTO indicators_measurement (indicator_id, period, region_id, organization_id, value, numerator,
                denominator, weight, comment, status, z_score, needs_review, entered_by_id, entered_at,
                submitted_by_id, submitted_at, rejection_reason, is_sample, source, sample_fields, version, updated_at)
            SELECT r.indicator_id, r.period_d, r.region_id, r.organization_id, r.final, {numbers},
                coalesce(btrim(r.comment), ''), 'submitted', NULL, FALSE, %(actor)s, %(now)s, %(actor)s, %(now)s, '',
                FALSE, left(btrim(r.source_system), 200), '[]'::jsonb, 1, %(now)s
            FROM import_resolved r WHERE r.ref_id IS NULL
            RETURNING id, indicator_id, period, region_id, organization_id
        )
        INSERT INTO imports_externalreference (source_system, external_id, content_type_id, object_id, created_at)
        SELECT btrim(r.source_system), btrim(r.external_id), %(ct)s, inserted.id, %(now)s
        FROM inserted JOIN import_resolved r ON r.ref_id IS NULL AND r.indicator_id = inserted.indicator_id
            AND r.period_d = inserted.period AND coalesce(r.region_id, 0) = coalesce(inserted.region_id, 0)
            AND coalesce(r.organization_id, 0) = coalesce(inserted.organization_id, 0)
        """,
        {"actor": person, "now": now, "ct": ContentType.objects.get_for_model(Measurement).pk},
    )
    audit_record(
        actor=actor,
        action=Action.BULK_CREATE,
        instance=None,
        model=Measurement,
        object_id=f"import-{job.pk}",
        changes={"created": [0, cursor.rowcount], "updated": [0, updated], "import": [None, job.pk]},
    )
