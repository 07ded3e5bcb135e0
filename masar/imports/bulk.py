"""Large files of indicator values on PostgreSQL: COPY into a staging table, set-based checks, set-based upsert.

The same file on SQLite, or a small one, goes row by row through the indicator services
(masar.imports.handlers.measurements); a test holds both paths to the same records and refusals.
Here the file is read once: each row is written as text into COPY's buffer, and the few number
cells that are not plain ASCII digits are read in Python by `masar.core.numbers.read_number`
(Eastern Arabic digits, the importer's decimal mark, separators). The rules are then applied to
the whole file at once, in SQL, by one statement that joins the rows to indicators, places,
references and stored values and one scan that lists the refused rows: required cells, formulas,
numbers, periods (YYYY-MM, the first month of the indicator's period, ended), indicator, region
and organization codes, the place fitting the indicator's disaggregation and region level, ratios
given as numerator and denominator, weights for weighted means, bounds (percentages, counts,
declared limits), duplicates within the file, values already recorded from elsewhere, approved
(locked) values, the jump against the previous period that needs a comment, and the importer's
right to enter each indicator's values (asked of the policy once per indicator). Values are saved
submitted for approval, with the rows that change only; the whole import is one audit entry
(Action.BULK_CREATE). Left to the row path: the outlier flag (z-score, a flag for the approver,
never a refusal) and the bounds across the two components of a derived ratio.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core import policy
from masar.core.errors import Invalid
from masar.core.numbers import TypedNumberError, page_decimal_mark, read_number
from masar.imports.handlers import CREATED, UNCHANGED, UPDATED
from masar.imports.models import ImportFormat, ImportKind
from masar.imports.reasons import rule_problems
from masar.indicators.checks import jump_message
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


DROP = "DROP TABLE IF EXISTS import_staging, import_numbers, import_resolved"
# Sorting a million staged rows for the duplicate checks in memory rather than on disk (this transaction only).
WORK_MEM = "256MB"


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
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")  # compiling these statements costs more than it saves
            codes, odd = _stage(cursor, source)
            _read_numbers(cursor, odd)
            _resolve(cursor, _allowed(actor, codes))
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


def _stage(cursor, source: Source) -> tuple[set[str], list[tuple[int, dict[str, str | None]]]]:
    """COPY the rows as text in one pass; return the indicator codes named and the rows with numbers to read in Python.

    A number written as plain ASCII digits is read by PostgreSQL when the rows are resolved; the
    others (Eastern Arabic digits, spaces, separators, words) are few and read here as the form reads them.
    """
    cursor.execute(DROP)  # left by an import earlier in the same transaction (tests, or a caller's atomic block)
    columns = ", ".join(f"{name} text" for name in STAGED)
    cursor.execute(f"CREATE TEMP TABLE import_staging (row_number bigint, {columns}) ON COMMIT DROP")
    positions = {name: source.header.index(name) for name in STAGED if name in source.header}
    indices = list(positions.values())
    width = max(indices) + 1
    numbers = [(slot, name) for slot, name in enumerate(positions, start=1) if name in NUMBERS]
    named = 1 + list(positions).index("indicator")
    mark = page_decimal_mark()
    plain = _PLAIN_COMMA if mark == "," else _PLAIN_DOT
    texts_only = source.format == ImportFormat.CSV  # a CSV cell is already text
    codes: set[str | None] = set()
    odd: list[tuple[int, dict[str, str | None]]] = []
    with cursor.copy(f"COPY import_staging ({', '.join(['row_number', *positions])}) FROM STDIN") as copy:
        for number, cells in source.rows:
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            row = [number, *(cells[i] if texts_only else _staged(cells[i], mark) for i in indices)]
            codes.add(row[named])
            for slot, _name in numbers:
                text = row[slot]
                if text is not None and not plain.match(text) and text.strip(" "):
                    odd.append((number, {name: row[at] for at, name in numbers}))
                    break
            copy.write_row(row)
    cursor.execute("ANALYZE import_staging")
    return {code.strip(" ") for code in codes if code}, odd


def _staged(value: Any, mark: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return str(value).replace(".", mark)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_PLAIN_DOT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")  # what PostgreSQL casts to numeric as it is
_PLAIN_COMMA = re.compile(r"-?[0-9]+\Z")
_WESTERN = str.maketrans(*DIGITS)


def _number(text: str | None, mark: str) -> Decimal | None:
    """Read one cell as the set-based path always has: plain digits (any script) first, else as the form reads it."""
    if text is None or not text.strip(" "):
        return None
    plain = text.strip(" ").translate(_WESTERN).replace(" ", "")
    if re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?" if mark == "." else r"-?[0-9]+(?:,[0-9]+)?", plain):
        return Decimal(plain.replace(",", "."))
    return read_number(text)


def _read_numbers(cursor, odd: list[tuple[int, dict[str, str | None]]]) -> None:
    """Store the numbers of the rows with cells that are not plain digits, read in Python, and the unreadable cells."""
    cursor.execute(
        "CREATE TEMP TABLE import_numbers (row_number bigint PRIMARY KEY, value_n numeric, numerator_n numeric,"
        " denominator_n numeric, weight_n numeric, bad_numbers text[] NOT NULL) ON COMMIT DROP"
    )
    mark = page_decimal_mark()
    with cursor.copy("COPY import_numbers FROM STDIN") as copy:
        for number, texts in odd:
            read, bad = [], []
            for name in NUMBERS:
                try:
                    read.append(_number(texts.get(name), mark))
                except TypedNumberError:
                    read.append(None)
                    bad.append(name)
            copy.write_row([number, *read, bad])
    cursor.execute("ANALYZE import_numbers")


def _allowed(actor: Any, codes: set[str]) -> list[int]:
    """Return the indicators of the file whose values the importer may enter (the policy, once per indicator)."""
    indicators = Indicator.objects.filter(code__in=codes).select_related("owner")
    return [indicator.pk for indicator in indicators if policy.may_enter_values(actor, indicator)]


_PERIOD = f"translate(btrim(s.period), '{DIGITS[0]}', '{DIGITS[1]}')"
_NEXT = (
    "CASE i.frequency WHEN 'yearly' THEN interval '1 year' WHEN 'quarterly' THEN interval '3 months'"
    " ELSE interval '1 month' END"
)
_NUMBERS = ", ".join(
    f"CASE WHEN f.row_number IS NULL THEN nullif(btrim(s.{name}), '')::numeric ELSE f.{name}_n END AS {name}_n"
    for name in NUMBERS
)


def _stored(row: str) -> dict[str, str]:
    """Return the SQL of the numbers stored with a value (ratio parts for ratios, the weight), by field name."""
    return {
        "numerator": f"CASE WHEN {row}.kind = 'ratio' THEN round({row}.numerator_n, 4) END",
        "denominator": f"CASE WHEN {row}.kind = 'ratio' THEN round({row}.denominator_n, 4) END",
        "weight": f"round({row}.weight_n, 4)",
    }


def _resolve(cursor, allowed: list[int]) -> None:
    """Join the staged rows to indicators, places, references and stored values: one statement, one pass."""
    places = Measurement._meta.get_field("value").decimal_places
    stored = ", ".join(_stored("v").values())
    cursor.execute(
        f"""
        CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
        WITH typed AS (
            SELECT s.*, btrim(s.source_system) AS src, btrim(s.external_id) AS ext, {_NUMBERS},
                   coalesce(f.bad_numbers, '{{}}') AS bad_numbers,
                   i.id AS indicator_id, i.kind, i.frequency, i.disaggregation, i.region_level, i.aggregation,
                   i.numerator_id AS derived_from, i.factor, i.min_value, i.max_value,
                   i.numerator_within_denominator, i.jump_threshold, i.allowed,
                   r.kind AS region_kind,
                   CASE WHEN i.disaggregation = 'region' THEN r.id END AS region_id,
                   CASE WHEN i.disaggregation = 'organization' THEN o.id END AS organization_id,
                   CASE WHEN {_PERIOD} ~ '^[0-9]{{4}}-(0?[1-9]|1[0-2])(-01)?$'
                        THEN make_date(left({_PERIOD}, 4)::int, split_part({_PERIOD}, '-', 2)::int, 1) END AS period_d,
                   {_NEXT} AS step
            FROM import_staging s
            LEFT JOIN import_numbers f ON f.row_number = s.row_number
            LEFT JOIN (SELECT *, id = ANY(%(allowed)s) AS allowed FROM indicators_indicator) i
                 ON i.code = btrim(s.indicator)
            LEFT JOIN organizations_region r ON r.code = nullif(btrim(s.region), '')
            LEFT JOIN organizations_organization o ON o.code = nullif(btrim(s.organization), '')
            OFFSET 0  -- kept a subquery: each row's period, numbers and codes are computed once
        ), valued AS (
            SELECT t.*, (t.period_d + t.step)::date AS next_start, (t.period_d - t.step)::date AS previous_d,
                   round(CASE WHEN t.kind = 'ratio' THEN t.numerator_n / nullif(t.denominator_n, 0) * t.factor
                              ELSE t.value_n END, {places}) AS final
            FROM typed t
        )
        SELECT v.*, m.id AS ref_id, ref.id AS reference_id, c.id AS cell_id, m.indicator_id AS ref_indicator,
               m.status AS ref_status,
               min(v.row_number) OVER (PARTITION BY v.indicator_id, v.region_id, v.organization_id, v.period_d)
                   AS first_cell,
               CASE WHEN lag(v.period_d) OVER series = v.previous_d THEN lag(v.final) OVER series
                    ELSE p.value END AS previous,
               min(v.row_number) OVER (PARTITION BY v.src COLLATE "C", v.ext COLLATE "C") AS first_key,
               m.id IS NULL OR (m.period, m.region_id, m.organization_id, m.value, m.numerator, m.denominator,
                                m.weight, m.comment)
                   IS DISTINCT FROM (v.period_d, v.region_id, v.organization_id, v.final, {stored},
                                     coalesce(btrim(v.comment), '')) AS changed
        FROM valued v
        LEFT JOIN imports_externalreference ref ON ref.content_type_id = %(ct)s
             AND ref.source_system = v.src AND ref.external_id = v.ext
        LEFT JOIN indicators_measurement m ON m.id = ref.object_id
        LEFT JOIN indicators_measurement c ON c.indicator_id = v.indicator_id AND c.period = v.period_d
             AND coalesce(c.region_id, 0) = coalesce(v.region_id, 0)
             AND coalesce(c.organization_id, 0) = coalesce(v.organization_id, 0)
        LEFT JOIN indicators_measurement p ON p.indicator_id = v.indicator_id AND p.period = v.previous_d
             AND coalesce(p.region_id, 0) = coalesce(v.region_id, 0)
             AND coalesce(p.organization_id, 0) = coalesce(v.organization_id, 0) AND p.status <> 'rejected'
        WINDOW series AS (PARTITION BY v.indicator_id, v.region_id, v.organization_id
                         ORDER BY v.period_d, v.row_number DESC)
        """,
        {"allowed": allowed, "ct": ContentType.objects.get_for_model(Measurement).pk},
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


# The twin of masar.indicators.checks.is_jump, for rows with no other problem (as the value form checks it last);
# the previous period's value is the file's when it gives it (its first row: the series runs backwards within a
# period, so the row before a period's first row is the first row of the period before), else the stored one.
_JUMP = (
    "previous IS NOT NULL AND final IS NOT NULL AND CASE WHEN previous = 0 THEN final <> 0"
    " ELSE abs(final - previous) / abs(previous) > jump_threshold END AND coalesce(comment, '') !~ '\\S'"
)


def _problems(cursor, limit: int = 5000) -> list[dict[str, Any]]:
    """Return the problems of the file: one scan finds the refused rows, then each of them is told why."""
    checks = _checks()
    refused = " OR ".join(f"({condition})" for _column, _code, condition, _params in checks)
    reasons = ", ".join(
        f"(({condition}), '{column}', '{code}', ({params})::json)" for column, code, condition, params in checks
    )
    cursor.execute(
        f"SELECT r.row_number, p.col, p.code, p.params FROM (SELECT * FROM import_resolved WHERE {refused}) r"
        f" CROSS JOIN LATERAL (VALUES {reasons}) p(bad, col, code, params) WHERE p.bad"
        f" ORDER BY 1, 2 LIMIT {int(limit)}"
    )
    found = [{"row": int(r), "column": c, "code": k, "params": p or {}} for r, c, k, p in cursor.fetchall()]
    cursor.execute(
        f"SELECT row_number, indicator_id, previous, final, previous_d FROM import_resolved"
        f" WHERE {_JUMP} AND NOT coalesce({refused}, FALSE) ORDER BY 1 LIMIT {int(limit)}"
    )
    jumps = cursor.fetchall()
    indicators = Indicator.objects.in_bulk({row[1] for row in jumps})
    for number, indicator_id, previous, value, before in jumps:
        message = jump_message(indicators[indicator_id], previous, value, before)
        found += rule_problems(int(number), Invalid(errors=[("comment", message)]))
    return found


def _counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT count(*) FILTER (WHERE ref_id IS NULL), count(*) FILTER (WHERE ref_id IS NOT NULL AND changed),"
        " count(*) FILTER (WHERE ref_id IS NOT NULL AND NOT changed) FROM import_resolved"
    )
    created, updated, unchanged = cursor.fetchone()
    return {CREATED: created, UPDATED: updated, UNCHANGED: unchanged}


def _upsert(cursor, actor: Any, job: ImportJob) -> None:
    """Save the checked rows: update the values this source sent before and that changed, insert the others.

    A new value gets its id from the table's sequence so that it and its reference are written by one
    statement, without reading the inserted rows back; a reference left pointing at a value deleted
    since is pointed at the new one.
    """
    params = {"actor": actor.pk, "now": timezone.now(), "ct": ContentType.objects.get_for_model(Measurement).pk}
    stored = ", ".join(f"{sql} AS {name}" for name, sql in _stored("r").items())
    cursor.execute(
        f"""
        UPDATE indicators_measurement m SET period = r.period_d, region_id = r.region_id,
            organization_id = r.organization_id, value = r.final,
            (numerator, denominator, weight) = ({", ".join(_stored("r").values())}),
            comment = coalesce(btrim(r.comment), ''),
            status = 'submitted', entered_by_id = %(actor)s, entered_at = %(now)s, submitted_by_id = %(actor)s,
            submitted_at = %(now)s, decided_by_id = NULL, decided_at = NULL, rejection_reason = '', z_score = NULL,
            needs_review = FALSE, version = m.version + 1, updated_at = %(now)s
        FROM import_resolved r WHERE m.id = r.ref_id AND r.changed
        """,
        params,
    )
    updated = cursor.rowcount
    cursor.execute("SELECT pg_get_serial_sequence('indicators_measurement', 'id')")
    params["sequence"] = cursor.fetchone()[0]
    cursor.execute(
        f"""
        WITH fresh AS MATERIALIZED (
            SELECT nextval(%(sequence)s::regclass) AS id, r.indicator_id, r.period_d, r.region_id, r.organization_id,
                   r.final, {stored}, coalesce(btrim(r.comment), '') AS comment, r.src, r.ext
            FROM import_resolved r WHERE r.ref_id IS NULL
        ), measurements AS (
            INSERT INTO indicators_measurement (id, indicator_id, period, region_id, organization_id, value, numerator,
                denominator, weight, comment, status, z_score, needs_review, entered_by_id, entered_at,
                submitted_by_id, submitted_at, rejection_reason, is_sample, source, sample_fields, version, updated_at)
            SELECT r.id, r.indicator_id, r.period_d, r.region_id, r.organization_id, r.final, r.numerator,
                r.denominator, r.weight, r.comment, 'submitted', NULL, FALSE, %(actor)s, %(now)s, %(actor)s,
                %(now)s, '', FALSE, left(r.src, 200), '[]'::jsonb, 1, %(now)s
            FROM fresh r
        )
        INSERT INTO imports_externalreference (source_system, external_id, content_type_id, object_id, created_at)
        SELECT r.src, r.ext, %(ct)s, r.id, %(now)s FROM fresh r
        ON CONFLICT (source_system, content_type_id, external_id) DO UPDATE SET object_id = EXCLUDED.object_id
        """,
        params,
    )
    audit_record(
        actor=actor,
        action=Action.BULK_CREATE,
        instance=None,
        model=Measurement,
        object_id=f"import-{job.pk}",
        changes={"created": [0, cursor.rowcount], "updated": [0, updated], "import": [None, job.pk]},
    )
