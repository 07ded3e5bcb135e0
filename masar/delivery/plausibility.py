"""Figures of a monthly update that look wrong: warnings the reporter confirms, never errors.

The checks are pure functions of typed figures; a warning is a code with its numbers, stored as keys
and parameters on the update and worded in the reader's language when shown.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal
from django.utils.translation import gettext_lazy as _

from masar.core.templatetags.masar import babel_locale, fmt_month


class Check(enum.StrEnum):
    SPEND_ABOVE_BUDGET = "spend_above_budget"
    PERCENT_BACKWARDS = "percent_backwards"
    PERCENT_JUMP = "percent_jump"
    SPEND_JUMP = "spend_jump"


@dataclass(frozen=True)
class Figures:
    """What an update reports: its month, percent complete and spend to date."""

    period: datetime.date
    percent_complete: Decimal
    spend_to_date: Decimal


@dataclass(frozen=True)
class PlausibilityWarning:
    code: Check
    params: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlausibilityWarning | None:
        """Return the stored warning, or None for a code this version no longer knows."""
        try:
            return cls(code=Check(data["code"]), params=dict(data.get("params") or {}))
        except (KeyError, ValueError, TypeError):
            return None


def _plain(number: Decimal) -> str:
    """Write a number for storage: no exponent, no trailing zeros (740000.00 and 740000 are one figure)."""
    return format(number.normalize(), "f")


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Return the number of months from earlier's month to later's (at least 1)."""
    return max((later.year - earlier.year) * 12 + later.month - earlier.month, 1)


def plausibility_warnings(
    *,
    current: Figures,
    previous: Figures | None,
    planned_budget: Decimal | None,
    percent_jump_limit: Decimal,
) -> list[PlausibilityWarning]:
    """Return what looks wrong in an update's figures against the project's budget and its previous report.

    - spend to date above the planned budget;
    - percent complete lower than in the previous report;
    - percent complete rising by more than percent_jump_limit points a month since the previous report;
    - spend rising by more than percent_jump_limit per cent of the budget a month (the budget is spread
      over the months; a larger jump is more often a typing error than a month's spending).
    """
    warnings = []
    if planned_budget is not None and current.spend_to_date > planned_budget:
        warnings.append(
            PlausibilityWarning(
                Check.SPEND_ABOVE_BUDGET, {"spend": _plain(current.spend_to_date), "budget": _plain(planned_budget)}
            )
        )
    if previous is None:
        return warnings
    months = months_between(previous.period, current.period)
    base = {"previous_period": previous.period.isoformat()}
    if current.percent_complete < previous.percent_complete:
        warnings.append(
            PlausibilityWarning(
                Check.PERCENT_BACKWARDS,
                {**base, "percent": _plain(current.percent_complete), "previous": _plain(previous.percent_complete)},
            )
        )
    elif current.percent_complete - previous.percent_complete > percent_jump_limit * months:
        warnings.append(
            PlausibilityWarning(
                Check.PERCENT_JUMP,
                {
                    **base,
                    "percent": _plain(current.percent_complete),
                    "previous": _plain(previous.percent_complete),
                    "limit": _plain(percent_jump_limit * months),
                },
            )
        )
    if planned_budget:
        limit = (planned_budget * percent_jump_limit * months / 100).quantize(Decimal("0.01"))
        rise = current.spend_to_date - previous.spend_to_date
        if rise > limit:
            warnings.append(
                PlausibilityWarning(
                    Check.SPEND_JUMP,
                    {**base, "rise": _plain(rise), "previous": _plain(previous.spend_to_date), "limit": _plain(limit)},
                )
            )
    return warnings


MESSAGES = {
    Check.SPEND_ABOVE_BUDGET: _("Spend to date (%(spend)s) is above the planned budget (%(budget)s)."),
    Check.PERCENT_BACKWARDS: _(
        "Percent complete goes back from %(previous)s %% (report for %(previous_period)s) to %(percent)s %%."
    ),
    Check.PERCENT_JUMP: _(
        "Percent complete jumps from %(previous)s %% (report for %(previous_period)s) to %(percent)s %%, "
        "more than %(limit)s points."
    ),
    Check.SPEND_JUMP: _(
        "Spend rises by %(rise)s since the report for %(previous_period)s (%(previous)s), more than %(limit)s."
    ),
}
# The parameters that are amounts of money, per check; the others are percentages or points.
MONEY_PARAMS = {
    Check.SPEND_ABOVE_BUDGET: {"spend", "budget"},
    Check.SPEND_JUMP: {"rise", "previous", "limit"},
}


def warning_text(warning: PlausibilityWarning, *, currency: str) -> str:
    """Word a warning in the active language, its numbers written as the reader writes them."""
    locale = babel_locale()
    money = MONEY_PARAMS.get(warning.code, set())
    values: dict[str, str] = {}
    for name, raw in warning.params.items():
        if name == "previous_period":
            values[name] = fmt_month(datetime.date.fromisoformat(raw))
        elif name in money:
            values[name] = format_currency(Decimal(raw), currency, locale=locale, format_type="standard")
        else:
            values[name] = format_decimal(Decimal(raw), locale=locale)
    return str(MESSAGES[warning.code]) % values


def warnings_text(stored: list[dict[str, Any]] | None, *, currency: str) -> list[str]:
    """Word the warnings stored on an update (codes a later version dropped are skipped)."""
    warnings = [PlausibilityWarning.from_dict(item) for item in stored or []]
    return [warning_text(w, currency=currency) for w in warnings if w is not None]
