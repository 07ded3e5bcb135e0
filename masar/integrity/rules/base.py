"""What every red-flag rule shares: its code, texts and defaults, the result it returns, and the statistics it uses.

A rule is SQL: each `find` runs one or a few aggregate queries whatever the size of the data, and walks in
Python only the flagged rows (or, for the outlier rules, one aggregated figure per subject, from which the
quartiles are taken here so that SQLite and PostgreSQL give the same result).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext

from masar.integrity.findings import Finding
from masar.integrity.models import (
    Alert,
    AlertSubject,
    Amendment,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Contract,
    Item,
    Payment,
    Supplier,
    TaxStatusReport,
    Tender,
)

# The tables the rules' SQL reads, by their Django names (never written out by hand).
TABLES = {
    "tender": Tender._meta.db_table,
    "bid": Bid._meta.db_table,
    "award": Award._meta.db_table,
    "item": Item._meta.db_table,
    "contract": Contract._meta.db_table,
    "amendment": Amendment._meta.db_table,
    "payment": Payment._meta.db_table,
    "supplier": Supplier._meta.db_table,
    "taxreport": TaxStatusReport._meta.db_table,
    "alert": Alert._meta.db_table,
}


@dataclass(frozen=True)
class RuleResult:
    """What a rule found: one finding per flagged subject, and how many records it could not judge."""

    findings: list[Finding] = field(default_factory=list)
    not_computable: int = 0


class _Figures(dict):
    """The figures of a finding, for an explanation: a figure a finding lacks reads as a dash, never an error."""

    def __missing__(self, key: str) -> str:
        return "–"


class Rule:
    """One red flag: its code, what it says and why it matters, its defaults, and the SQL that finds it.

    Subclasses set `code`, `title`, `why`, `explanation` (a lazy translatable sentence with named
    placeholders filled from a finding's figures), `defaults`, and implement `find(params)`.
    """

    code: str = ""
    title: Any = ""
    why: Any = ""
    explanation: Any = ""
    defaults: dict[str, Any] = {}
    # What Masar does deliberately otherwise than Cardinal (or, for Masar's own rules, how the rule is defined).
    notes: Any = ""

    def explain(self, figures: dict[str, Any]) -> str:
        """Return the sentence that names a finding's numbers against the threshold, in the active language."""
        shown = _Figures({key: _shown(value) for key, value in (figures or {}).items()})
        return gettext(str(self.explanation)) % shown if self.explanation else ""

    def find(self, params: dict[str, Any]) -> RuleResult:
        raise NotImplementedError

    def params(self, overrides: dict[str, Any] | None) -> dict[str, Any]:
        """Return the defaults overridden by the national unit's settings (unknown names are ignored)."""
        merged = dict(self.defaults)
        for name, value in (overrides or {}).items():
            if name in merged:
                merged[name] = value
        return merged

    def __repr__(self) -> str:
        return f"<Rule {self.code}>"


def _shown(value: Any) -> Any:
    """Return a figure as the page's language writes numbers (900 000 in French, 900,000 in English)."""
    from masar.core.templatetags.masar import fmt_number

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, float):
        value = Decimal(f"{value:.4g}") if abs(value) < 1000 else Decimal(round(value))
    return fmt_number(value)


# Statistics -------------------------------------------------------------------------------------------


def quantile(values: Sequence[float], tau: float) -> float:
    """Return the tau-th quantile of values, estimated as Cardinal does (Hyndman and Fan's type 8, statrs).

    NaN for no values.
    """
    data = sorted(values)
    n = len(data)
    if n == 0 or not 0.0 <= tau <= 1.0:
        return math.nan
    h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0
    hf = int(h)
    if hf <= 0 or tau == 0.0:
        return data[0]
    if hf >= n or tau == 1.0:
        return data[-1]
    lower, upper = data[hf - 1], data[hf]
    return lower + (h - hf) * (upper - lower)


@dataclass(frozen=True)
class Fences:
    """The quartiles of a set of values and the fences 1.5 interquartile ranges beyond them."""

    q1: float
    q3: float

    @property
    def lower(self) -> float:
        return self.q1 - 1.5 * (self.q3 - self.q1)

    @property
    def upper(self) -> float:
        return self.q3 + 1.5 * (self.q3 - self.q1)


def fences(values: Iterable[float]) -> Fences:
    """Return the quartiles (and so the fences) of values."""
    data = list(values)
    return Fences(q1=quantile(data, 0.25), q3=quantile(data, 0.75))


def score_over(value: float, threshold: float) -> float:
    """Return a score in [0.5, 1] for a value at or past a threshold above which it is flagged."""
    if threshold is None or not math.isfinite(threshold) or threshold <= 0:
        return 1.0
    return round(0.5 + 0.5 * min(1.0, max(0.0, (value - threshold) / threshold)), 4)


def score_under(value: float, threshold: float) -> float:
    """Return a score in [0.5, 1] for a value at or below a threshold under which it is flagged."""
    if threshold is None or not math.isfinite(threshold) or threshold <= 0:
        return 1.0
    return round(0.5 + 0.5 * min(1.0, max(0.0, (threshold - value) / threshold)), 4)


# SQL ----------------------------------------------------------------------------------------------------


def rows(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
    """Run one query (table names as {tender}, {bid}, … ) and return its rows as dictionaries."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**TABLES), params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    """Run one query returning one value."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**TABLES), params)
        row = cursor.fetchone()
        return row[0] if row else None


def days_between(later: str, earlier: str) -> str:
    """Return the SQL for the whole days from one date column to another (dates, not date-times)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def placeholders(values: Sequence[Any]) -> str:
    """Return "%s, %s, …" for a list of parameters (at least one: an empty IN list matches nothing)."""
    return ", ".join(["%s"] * len(values)) if values else "NULL"


def as_list(value: Any) -> list[str]:
    """Return a setting given as a list or as Cardinal's pipe-separated text as a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.split("|") if part]
    return [str(part) for part in value]


def number(value: Any) -> float | None:
    """Return a database number (Decimal, int, float) as a float, None as None."""
    return None if value is None else float(value)


# Shared reads -------------------------------------------------------------------------------------------

_SHARED: ContextVar[dict[Any, Any] | None] = ContextVar("masar_integrity_shared_reads", default=None)


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Let the rules run inside share what they read alike (R024 and R058 the same bids), for that block only."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: Any, compute: Callable[[], Any]) -> Any:
    """Return compute()'s result, computed once per key inside `shared_reads()` (every time outside it)."""
    cache = _SHARED.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


# Links ---------------------------------------------------------------------------------------------------


def tender_links(tender_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Return, for tenders, the links a finding carries: buyer, buyer reference, project and ocid."""
    ids = sorted(set(tender_ids))
    if not ids:
        return {}
    found = Tender.objects.filter(pk__in=ids).values("pk", "ocid", "buyer_id", "buyer_ref", "project_id")
    return {row["pk"]: {k: v for k, v in row.items() if k != "pk"} for row in found}


def supplier_refs(supplier_ids: Iterable[int]) -> dict[int, str]:
    """Return the identifiers of suppliers (what a finding's key names them by)."""
    ids = sorted(set(supplier_ids))
    if not ids:
        return {}
    return dict(Supplier.objects.filter(pk__in=ids).values_list("pk", "identifier"))


def tender_finding(rule: Rule, tender_id: int, links: dict[int, dict[str, Any]], **fields: Any) -> Finding:
    """Return a finding about one contracting process, keyed by its ocid."""
    link = links.get(tender_id, {})
    return Finding(
        rule=rule.code,
        subject=AlertSubject.TENDER,
        key=f"{rule.code}:tender:{link.get('ocid', tender_id)}",
        tender_id=tender_id,
        buyer_id=link.get("buyer_id"),
        buyer_ref=link.get("buyer_ref") or "",
        project_id=link.get("project_id"),
        **fields,
    )


def supplier_finding(
    rule: Rule,
    supplier_id: int,
    refs: dict[int, str],
    *,
    tender_id: int | None = None,
    links: dict[int, dict[str, Any]] | None = None,
    suffix: str = "",
    **fields: Any,
) -> Finding:
    """Return a finding about one supplier (with the links of one of its tenders, when there is one)."""
    link = (links or {}).get(tender_id, {}) if tender_id else {}
    fields.setdefault("buyer_id", link.get("buyer_id"))
    fields.setdefault("buyer_ref", link.get("buyer_ref") or "")
    fields.setdefault("project_id", link.get("project_id"))
    return Finding(
        rule=rule.code,
        subject=AlertSubject.SUPPLIER,
        key=f"{rule.code}:supplier:{refs.get(supplier_id, supplier_id)}{suffix}",
        supplier_id=supplier_id,
        tender_id=tender_id,
        **fields,
    )


# Statuses ------------------------------------------------------------------------------------------------

# A bid is submitted if pending, valid or disqualified (not if invited or withdrawn): Cardinal's glossary.
SUBMITTED = (BidStatus.PENDING, BidStatus.VALID, BidStatus.DISQUALIFIED)
# An award is final if active, cancelled or unsuccessful; a process with a pending award is left out of the
# rules that compare the winner with the others (an award without status is ignored, as Cardinal does).
FINAL_AWARDS = (AwardStatus.ACTIVE, AwardStatus.CANCELLED, AwardStatus.UNSUCCESSFUL)

# The processes whose awards are all final, with exactly one active award made to one supplier, and that
# supplier (Cardinal's exclusions for R024, R025, R058). Parameters: active, active, active, active, final×3.
SOLE_WINNER = """
    SELECT tender_id, MAX(CASE WHEN status = %s THEN supplier_id END) AS winner_id
    FROM {award}
    GROUP BY tender_id
    HAVING SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) = 1
       AND MAX(CASE WHEN status = %s THEN suppliers_count END) = 1
       AND MAX(CASE WHEN status = %s THEN supplier_id END) IS NOT NULL
       AND SUM(CASE WHEN status <> '' AND status NOT IN (%s, %s, %s) THEN 1 ELSE 0 END) = 0
"""
SOLE_WINNER_PARAMS = [AwardStatus.ACTIVE] * 4 + list(FINAL_AWARDS)


def price_comparison_excluded(params: dict[str, Any]) -> tuple[str, list[Any]]:
    """Return the SQL condition on a tender `t` that keeps it in price comparisons, and its parameters.

    Cardinal's `no_price_comparison_procurement_methods` (a deny list) and `price_comparison_procurement_methods`
    (an allow list, which wins when both are set) name values of the procurement method details.
    """
    allow = as_list(params.get("price_comparison_procurement_methods"))
    deny = as_list(params.get("no_price_comparison_procurement_methods"))
    if allow:
        return f"t.method_details IN ({placeholders(allow)})", allow
    if deny:
        return f"t.method_details NOT IN ({placeholders(deny)})", deny
    return "1 = 1", []
