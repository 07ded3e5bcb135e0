"""Monthly usage: who reports it, figures that go negative or decrease a running total, corrections."""

import datetime
from decimal import Decimal

import pytest

from masar.audit.models import Action, AuditEntry
from masar.catalogue.models import Channel, ServiceUsage
from masar.catalogue.services import UsageEntry, UsageInvalid, usage_record
from masar.core.errors import NotPermitted
from masar.core.policy import Reader
from tests.catalogue.factories import make_service, make_usage
from tests.exchange.factories import make_client

JAN, FEB, MAR, APR = (datetime.date(2025, m, 1) for m in (1, 2, 3, 4))


@pytest.fixture
def service(ministry_a):
    return make_service(ministry_a, channels=["counter", "web"])


def usage_rows():
    return list(ServiceUsage.objects.order_by("month", "channel").values_list("month", "channel", "transactions"))


def usage_entries():
    return AuditEntry.objects.filter(model_label="catalogue.serviceusage").order_by("seq")


def fields_of(error):
    return sorted(field for field, _ in error.errors)


@pytest.mark.parametrize(
    "entry, field",
    [
        (UsageEntry(MAR, Channel.WEB, transactions=-1), "transactions"),
        (UsageEntry(MAR, Channel.WEB, cumulative=-5), "cumulative"),
        (UsageEntry(MAR, Channel.WEB, transactions=10, backlog=-3), "backlog"),
        (UsageEntry(MAR, Channel.WEB, transactions=10, processing_days=Decimal("-0.5")), "processing_days"),
        (UsageEntry(MAR, Channel.WEB, transactions=2_147_483_648), "transactions"),
        (UsageEntry(MAR, Channel.WEB, cumulative=3_000_000_000), "cumulative"),
        (UsageEntry(MAR, Channel.WEB, transactions=10, backlog=10**12), "backlog"),
        (UsageEntry(MAR, Channel.WEB, transactions=10, processing_days=Decimal("1000000")), "processing_days"),
        (UsageEntry(MAR, "pigeon", transactions=10), "channel"),
        (UsageEntry(datetime.date(2025, 3, 15), Channel.WEB, transactions=10), "month"),
    ],
)
def test_impossible_figures_are_refused_and_nothing_is_saved(entry, field, service, coordinator_a, trail):
    before = trail()
    with pytest.raises(UsageInvalid) as refused:
        usage_record(actor=coordinator_a, service=service, entry=entry)
    assert fields_of(refused.value) == [field]
    assert (usage_rows(), trail()) == ([], before)


def test_the_largest_figures_the_columns_hold_are_kept(service, coordinator_a):
    entry = UsageEntry(MAR, Channel.WEB, transactions=2_147_483_647, backlog=2_147_483_647)
    entry = UsageEntry(**{**entry.__dict__, "processing_days": Decimal("999999.99")})
    usage = usage_record(actor=coordinator_a, service=service, entry=entry)
    usage.refresh_from_db()
    assert (usage.transactions, usage.backlog, usage.processing_days) == (
        2_147_483_647,
        2_147_483_647,
        Decimal("999999.99"),
    )


def test_every_broken_rule_is_named_at_once(service, coordinator_a):
    entry = UsageEntry(datetime.date(2025, 3, 2), "fax", transactions=-1, backlog=-1)
    with pytest.raises(UsageInvalid) as refused:
        usage_record(actor=coordinator_a, service=service, entry=entry)
    assert fields_of(refused.value) == ["backlog", "channel", "month", "transactions"]


@pytest.mark.parametrize(
    "entry", [UsageEntry(MAR, Channel.WEB), UsageEntry(MAR, Channel.WEB, transactions=5, cumulative=5)]
)
def test_the_months_count_or_the_running_total_exactly_one_of_them(entry, service, coordinator_a, trail):
    before = trail()
    with pytest.raises(UsageInvalid) as refused:
        usage_record(actor=coordinator_a, service=service, entry=entry)
    assert fields_of(refused.value) == ["transactions"]
    assert (usage_rows(), trail()) == ([], before)


def test_a_month_is_recorded_with_its_figures_and_audited(service, coordinator_a):
    entry = UsageEntry(MAR, Channel.WEB, transactions=0, processing_days=Decimal("2.5"), backlog=0)
    usage = usage_record(actor=coordinator_a, service=service, entry=entry, source="formulaire")
    assert (usage.transactions, usage.processing_days, usage.backlog, usage.entered_by) == (
        0,
        Decimal("2.5"),
        0,
        coordinator_a,
    )
    (entry,) = usage_entries()
    assert entry.action == Action.CREATE and entry.actor == coordinator_a
    assert entry.changes["transactions"] == [None, 0]


def test_a_running_total_gives_the_months_count(service, coordinator_a):
    make_usage(service, JAN, Channel.WEB, 100)
    make_usage(service, FEB, Channel.WEB, 50)
    make_usage(service, FEB, Channel.COUNTER, 999)  # another channel: not part of the web running total
    usage = usage_record(actor=coordinator_a, service=service, entry=UsageEntry(MAR, Channel.WEB, cumulative=200))
    assert usage.transactions == 50
    assert usage_rows()[-1] == (MAR, Channel.WEB, 50)


def test_a_running_total_below_what_is_recorded_is_refused_naming_both_figures(service, coordinator_a, trail):
    make_usage(service, JAN, Channel.WEB, 1000)
    make_usage(service, FEB, Channel.WEB, 500)
    rows, before = usage_rows(), trail()
    with pytest.raises(UsageInvalid) as refused:
        usage_record(actor=coordinator_a, service=service, entry=UsageEntry(MAR, Channel.WEB, cumulative=1200))
    ((field, message),) = refused.value.errors
    assert field == "cumulative"
    assert "1200" in message and "1500" in message
    assert (usage_rows(), trail()) == (rows, before)
    # Positive control: the same total as what is recorded is a month of nothing.
    assert (
        usage_record(actor=coordinator_a, service=service, entry=UsageEntry(MAR, "web", cumulative=1500)).transactions
        == 0
    )


def test_a_running_total_for_a_month_before_recorded_ones_is_refused(service, coordinator_a, trail):
    make_usage(service, APR, Channel.WEB, 10)
    before = trail()
    with pytest.raises(UsageInvalid) as refused:
        usage_record(actor=coordinator_a, service=service, entry=UsageEntry(MAR, Channel.WEB, cumulative=1000))
    assert fields_of(refused.value) == ["cumulative"]
    assert (len(usage_rows()), trail()) == (1, before)


def test_recording_a_month_again_corrects_it_in_one_row_audited(service, coordinator_a, national):
    first = usage_record(actor=coordinator_a, service=service, entry=UsageEntry(MAR, Channel.WEB, transactions=100))
    second = usage_record(
        actor=national, service=service, entry=UsageEntry(MAR, Channel.WEB, transactions=130, backlog=4)
    )
    assert second.pk == first.pk
    assert usage_rows() == [(MAR, Channel.WEB, 130)]
    created, corrected = usage_entries()
    assert (created.action, corrected.action, corrected.actor) == (Action.CREATE, Action.UPDATE, national)
    assert corrected.changes["transactions"] == [100, 130]
    assert corrected.changes["backlog"] == [None, 4]
    assert corrected.changes["entered_by"] == [coordinator_a.pk, national.pk]


@pytest.mark.parametrize("who", ["viewer_a", "manager_a", "coordinator_b", None])
def test_others_may_not_report_usage(who, request, service, trail):
    actor = request.getfixturevalue(who) if who else None
    before = trail()
    with pytest.raises(NotPermitted):
        usage_record(actor=actor, service=service, entry=UsageEntry(MAR, Channel.WEB, transactions=1))
    assert (usage_rows(), trail()) == ([], before)


def test_a_back_office_system_reports_the_usage_of_its_own_organizations_services_only(
    ministry_a, ministry_b, directorate_a, trail
):
    system = Reader.client(make_client(ministry_a, scopes=("service_usage:write",)))
    own = make_service(directorate_a)
    other = make_service(ministry_b)
    usage = usage_record(actor=system, service=own, entry=UsageEntry(MAR, Channel.WEB, transactions=7))
    assert usage.transactions == 7 and usage.entered_by is None
    before = trail()
    with pytest.raises(NotPermitted):
        usage_record(actor=system, service=other, entry=UsageEntry(MAR, Channel.WEB, transactions=7))
    assert (ServiceUsage.objects.filter(service=other).count(), trail()) == (0, before)


def test_a_system_without_the_usage_scope_may_not_report_usage(service, ministry_a, trail):
    system = Reader.client(make_client(ministry_a, scopes=("services:write", "service_usage:read")))
    before = trail()
    with pytest.raises(NotPermitted):
        usage_record(actor=system, service=service, entry=UsageEntry(MAR, Channel.WEB, transactions=7))
    assert (usage_rows(), trail()) == ([], before)


def test_a_system_reports_no_usage_of_a_service_above_its_clearance(ministry_a, trail):
    from masar.core.models import Classification

    system = Reader.client(make_client(ministry_a, scopes=("service_usage:write",)))  # cleared for public only
    restricted = make_service(ministry_a, classification=Classification.RESTRICTED)
    before = trail()
    with pytest.raises(NotPermitted):
        usage_record(actor=system, service=restricted, entry=UsageEntry(MAR, Channel.WEB, transactions=1))
    assert (usage_rows(), trail()) == ([], before)
