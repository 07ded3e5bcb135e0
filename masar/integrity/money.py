"""Amounts in the national currency: each amount is kept as stated and, beside it, converted with the
dated exchange-rate table, so that rules compare like with like (or say they could not)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


def base_currency() -> str:
    """Return the national currency every amount is compared in (setting `PROCUREMENT_CURRENCY`)."""
    return str(getattr(settings, "PROCUREMENT_CURRENCY", "TND"))


def rate_on(currency: str, on: datetime.date | None) -> Decimal | None:
    """Return how many units of the national currency one unit of currency was worth on a date.

    The rate in force is the latest one valid from on or before the date; with no date, the latest
    rate known. None when the table has no rate for that currency then (the amount stays unconverted).
    """
    from masar.integrity.models import ExchangeRate

    currency = (currency or "").upper()
    if not currency or currency == base_currency():
        return Decimal(1)
    rates = ExchangeRate.objects.filter(currency=currency)
    if on is not None:
        rates = rates.filter(valid_from__lte=on)
    rate = rates.order_by("-valid_from").values_list("rate", flat=True).first()
    return rate


def to_base(amount: Decimal | None, currency: str, on: datetime.date | datetime.datetime | None) -> Decimal | None:
    """Return amount in the national currency as of a date, or None when it cannot be converted."""
    if amount is None:
        return None
    if isinstance(on, datetime.datetime):
        on = on.date()
    rate = rate_on(currency, on)
    if rate is None:
        return None
    return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
