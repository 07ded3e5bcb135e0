"""The digitization indicators: each ministry's shares of services at level ≥ 3 and ≥ 4 and of transactions made
online, kept in step with the catalogue as approved values nobody types, and shown on the national scorecard."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from masar.catalogue.indicators import SOURCE, digitization_refresh, digitization_refresh_all
from masar.catalogue.services import UsageEntry, service_create, service_update, usage_record
from masar.core.months import month_start
from masar.core.services import model_create
from masar.indicators.models import (
    Direction,
    Disaggregation,
    Frequency,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementStatus,
)
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from tests.catalogue.factories import make_service, make_usage
from tests.html import without_isolates

JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


def this_month():
    return month_start(timezone.localdate())


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the catalogue's writes leave for after their commit (the indicators' refresh), as a request does."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def add(commit, national):
    """Add a service through the catalogue's service, as the national unit."""

    def service(owner, level, code, **fields):
        data = {"code": code, "owner": owner, "name_ar": f"خدمة {code}", "level": level, **fields}
        return commit(service_create, actor=national, data=data)

    return service


@pytest.fixture
def use(commit, national):
    """Record one month of one channel through the catalogue's service."""

    def usage(service, month, channel, transactions):
        entry = UsageEntry(month=month, channel=channel, transactions=transactions)
        return commit(usage_record, actor=national, service=service, entry=entry)

    return usage


def value(ministry, measure, period=None):
    """Return the approved value of a ministry's indicator for period (this month by default), or None."""
    row = (
        Measurement.objects.filter(
            indicator__owner=ministry,
            indicator__code__endswith=f"-{measure}",
            indicator__source=SOURCE,
            period=period or this_month(),
            status=MeasurementStatus.APPROVED,
        )
        .values_list("value", flat=True)
        .first()
    )
    return row


def test_each_ministry_with_services_gets_three_public_monthly_percentages_it_owns(add, ministry_a, ministry_b):
    add(ministry_a, 3, "S-A1")
    indicators = Indicator.objects.filter(source=SOURCE)
    assert sorted(indicators.values_list("code", flat=True)) == ["SRV-MIN-A-L3", "SRV-MIN-A-L4", "SRV-MIN-A-ONLINE"]
    for indicator in indicators:
        assert indicator.owner == ministry_a and indicator.classification == "public"
        assert (indicator.kind, indicator.frequency, indicator.direction) == (
            IndicatorKind.PERCENTAGE,
            Frequency.MONTHLY,
            Direction.INCREASE,
        )
        assert indicator.disaggregation == Disaggregation.NATIONAL
        assert (indicator.min_value, indicator.max_value) == (0, 100)
        assert indicator.name_ar and indicator.name_fr and indicator.name_en
        assert "catalogue" in indicator.method_en and "nobody enters" in indicator.method_en
        assert indicator.data_source_fr.startswith("Catalogue des services")
    # A ministry without a service has none (the other ministry is the positive control).
    assert not Indicator.objects.filter(owner=ministry_b).exists()


def test_the_level_shares_count_the_services_of_the_ministrys_subtree_this_month(
    add, gov, ministry_a, ministry_b, directorate_a
):
    add(ministry_a, 0, "S-A1")
    add(ministry_a, 3, "S-A2")
    add(directorate_a, 4, "S-A3")
    add(directorate_a, 5, "S-A4")
    add(ministry_b, 1, "S-B1")
    add(gov, 5, "S-GOV")  # held by no ministry: counts for none
    assert value(ministry_a, "L3") == Decimal("75.0000") and value(ministry_a, "L4") == Decimal("50.0000")
    assert value(ministry_b, "L3") == 0 and value(ministry_b, "L4") == 0  # a real 0: it has a service
    measurement = Measurement.objects.get(indicator__code="SRV-MIN-A-L3", period=this_month())
    assert (measurement.numerator, measurement.denominator) == (3, 4)
    assert measurement.source == SOURCE and measurement.entered_by is None and not measurement.is_sample
    assert not Indicator.objects.filter(owner=gov).exists() and Indicator.objects.filter(source=SOURCE).count() == 6
    # No online share without usage: never a made-up 0.
    assert not Measurement.objects.filter(indicator__code__endswith="-ONLINE").exists()


def test_a_change_of_level_changes_the_share_and_a_change_that_moves_nothing_rewrites_nothing(
    add, commit, national, ministry_a
):
    first = add(ministry_a, 1, "S-A1")
    add(ministry_a, 4, "S-A2")
    assert value(ministry_a, "L3") == 50
    commit(service_update, actor=national, service=first, data={"level": 3}, expected_version=first.version)
    assert value(ministry_a, "L3") == 100 and value(ministry_a, "L4") == 50
    measurement = Measurement.objects.get(indicator__code="SRV-MIN-A-L3", period=this_month())
    first.refresh_from_db()
    commit(service_update, actor=national, service=first, data={"name_fr": "Extrait"}, expected_version=first.version)
    assert Measurement.objects.get(pk=measurement.pk).version == measurement.version


def test_only_what_the_public_reads_counts_in_a_public_figure(add, commit, national, ministry_a):
    add(ministry_a, 4, "S-A1")
    hidden = add(ministry_a, 0, "S-A2", classification="restricted")
    assert value(ministry_a, "L3") == 100
    commit(service_update, actor=national, service=hidden, data={"classification": "public"}, expected_version=1)
    assert value(ministry_a, "L3") == 50


def test_the_online_share_follows_each_months_usage_and_a_month_without_transactions_has_no_value(
    add, use, ministry_a, ministry_b
):
    civil, tax = add(ministry_a, 3, "S-A1"), add(ministry_a, 4, "S-A2")
    other = add(ministry_b, 2, "S-B1")
    use(civil, JAN, "counter", 300)
    use(civil, JAN, "web", 100)
    use(tax, JAN, "mobile", 100)
    use(other, JAN, "counter", 10)
    use(civil, FEB, "call_centre", 40)
    assert value(ministry_a, "ONLINE", JAN) == 40  # (100 web + 100 mobile) / 500
    assert value(ministry_b, "ONLINE", JAN) == 0
    assert value(ministry_a, "ONLINE", FEB) == 0
    assert value(ministry_a, "ONLINE", MAR) is None
    use(civil, JAN, "counter", 100)  # a correction of the month
    assert value(ministry_a, "ONLINE", JAN) == Decimal("66.6667")
    use(civil, FEB, "call_centre", 0)  # the month's only figure corrected to nothing: no value left
    assert value(ministry_a, "ONLINE", FEB) is None
    assert value(ministry_a, "ONLINE", JAN) == Decimal("66.6667")  # positive control


def test_a_service_that_moves_owner_takes_its_levels_and_its_usage_of_every_month_with_it(
    add, use, commit, national, ministry_a, ministry_b
):
    add(ministry_a, 1, "S-A1")
    moving = add(ministry_a, 5, "S-A2")
    add(ministry_b, 0, "S-B1")
    use(moving, JAN, "web", 80)
    use(moving, FEB, "web", 20)
    use(moving, FEB, "counter", 20)
    assert (value(ministry_a, "L3"), value(ministry_b, "L3")) == (50, 0)
    assert value(ministry_a, "ONLINE", JAN) == 100 and value(ministry_b, "ONLINE", JAN) is None
    moving.refresh_from_db()
    commit(service_update, actor=national, service=moving, data={"owner": ministry_b}, expected_version=moving.version)
    assert (value(ministry_a, "L3"), value(ministry_b, "L3")) == (0, 50)
    assert value(ministry_a, "ONLINE", JAN) is None and value(ministry_a, "ONLINE", FEB) is None
    assert value(ministry_b, "ONLINE", JAN) == 100 and value(ministry_b, "ONLINE", FEB) == 50


def test_a_value_typed_into_a_computed_indicator_is_overwritten_in_step(add, use, coordinator_a, ministry_a):
    service = add(ministry_a, 3, "S-A1")
    use(service, JAN, "web", 10)
    online = Indicator.objects.get(code="SRV-MIN-A-ONLINE")
    # A value a coordinator typed for another month (before entry was closed to people, or through an import)...
    typed = model_create(
        model=Measurement,
        actor=coordinator_a,
        data={"indicator": online, "period": FEB, "value": Decimal(99), "entered_by": coordinator_a, "source": "form"},
    )
    assert typed.status == MeasurementStatus.DRAFT
    use(service, FEB, "counter", 30)
    use(service, FEB, "web", 10)
    kept = Measurement.objects.get(pk=typed.pk)
    assert kept.value == 25 and kept.status == MeasurementStatus.APPROVED and kept.entered_by is None
    assert kept.source == SOURCE
    # ...and a value changed behind the services' back is put right by the next refresh (the nightly one).
    Measurement.objects.filter(indicator=online, period=JAN).update(value=Decimal(1))
    digitization_refresh_all(months=None)
    assert value(ministry_a, "ONLINE", JAN) == 100 and value(ministry_a, "ONLINE", FEB) == 25


def test_nobody_may_type_values_into_a_computed_indicator(
    add, client_for, coordinator_a, viewer_a, coordinator_b, national, ministry_a
):
    from masar.core import policy
    from masar.indicators.checks import Entry
    from masar.indicators.models import COMPUTED_SOURCES
    from masar.indicators.services import NotPermitted, measurement_record

    assert SOURCE in COMPUTED_SOURCES
    add(ministry_a, 3, "S-A1")
    online = Indicator.objects.get(code="SRV-MIN-A-ONLINE")
    typed = model_create(
        model=Indicator,
        actor=None,
        data={"code": "IND-A", "name_ar": "مؤشر", "unit_ar": "%", "owner": ministry_a, "classification": "public"},
    )
    assert policy.may_enter_values(coordinator_a, typed)  # positive control: the owner's coordinator types values
    for person in (coordinator_a, national, viewer_a, coordinator_b):
        assert not policy.may_enter_values(person, online)
    with pytest.raises(NotPermitted):
        measurement_record(actor=national, indicator=online, entry=Entry(period=FEB, value=Decimal(50)))
    page = client_for(coordinator_a).get(f"/en/indicators/{online.pk}/")
    assert page.status_code == 200 and f"/indicators/{online.pk}/values/new/" not in page.content.decode()
    assert client_for(coordinator_a).get(f"/en/indicators/{typed.pk}/").content.decode().count("/values/new/")
    coordinator = client_for(coordinator_a)
    assert coordinator.get(f"/en/indicators/{online.pk}/values/new/").status_code == 403
    assert coordinator.get(f"/en/indicators/{online.pk}/upload/").status_code == 403
    typed_in = {"period": "2026-02", "value": "50", "action": "submit"}
    assert coordinator.post(f"/en/indicators/{online.pk}/values/new/", typed_in).status_code == 403
    assert not Measurement.objects.filter(indicator=online, period=FEB).exists()


def test_the_refresh_reads_in_grouped_queries_whatever_the_number_of_services(
    ministry_a, ministry_b, django_assert_max_num_queries
):
    # Services and usage written as an import does, before any refresh.
    for n in range(30):
        service = make_service(ministry_a if n % 3 else ministry_b, code=f"S-{n}", level=n % 6)
        make_usage(service, JAN, "web", 10 + n)
        make_usage(service, JAN, "counter", 20)
    digitization_refresh_all(months=None)
    assert value(ministry_a, "L3") is not None and value(ministry_b, "ONLINE", JAN) is not None
    # Nothing moved: the reads only (ministries, their lock, services grouped, usage grouped, indicators, values).
    with django_assert_max_num_queries(10):
        digitization_refresh(organization_ids=[ministry_a.pk, ministry_b.pk], months=[JAN])
    before = value(ministry_a, "ONLINE", JAN)
    make_usage(service, JAN, "kiosk", 5)  # the last service is ministry A's
    # One value moved: the same reads, then its audited update.
    with django_assert_max_num_queries(30):
        digitization_refresh(organization_ids=[ministry_a.pk, ministry_b.pk], months=[JAN])
    assert value(ministry_a, "ONLINE", JAN) > before


def test_the_command_recomputes_what_was_imported_before_the_indicators_existed(ministry_a, ministry_b):
    service = make_service(ministry_a, code="S-A1", level=4)
    make_usage(service, JAN, "web", 30)
    make_usage(service, JAN, "counter", 10)
    make_usage(service, month_start(timezone.localdate()), "web", 5)
    assert not Indicator.objects.filter(source=SOURCE).exists()
    out = io.StringIO()
    call_command("catalogue_indicators_refresh", "--months", "1", stdout=out)
    assert "indicators created: 3" in out.getvalue()
    assert value(ministry_a, "L4") == 100 and value(ministry_a, "ONLINE") == 100
    assert value(ministry_a, "ONLINE", JAN) is None  # older than the month asked for
    call_command("catalogue_indicators_refresh", stdout=out)
    assert value(ministry_a, "ONLINE", JAN) == 75
    assert not Indicator.objects.filter(owner=ministry_b).exists()


def test_the_nightly_job_gives_a_new_month_its_level_shares_and_purges_the_throttle(ministry_a):
    from masar.catalogue.models import SubmissionCount
    from masar.delivery.tasks import nightly

    make_service(ministry_a, code="S-A1", level=3)  # written before this month's refresh
    old = timezone.now() - datetime.timedelta(days=5)
    SubmissionCount.objects.create(key="k" * 64, window_start=old, count=3)
    result = nightly.call()
    assert value(ministry_a, "L3") == 100 and result["service_indicator_values"] >= 2
    assert result["throttle_counts_purged"] == 1 and not SubmissionCount.objects.exists()


def league_online(client, language="en"):
    """Return {ministry code: its share of services online} as the league table shows it."""
    body = without_isolates(client.get(f"/{language}/indicators/scorecards/").content.decode())
    rows = re.findall(r'<tr data-ministry="([^"]+)">.*?<td class="num services-online">([^<]*)</td>', body, re.S)
    return dict(rows)


def test_the_league_table_shows_each_ministrys_share_of_services_online_and_follows_a_change_of_level(
    add, use, commit, national, client, ministry_a, ministry_b
):
    third = organization_create(
        actor=None, parent=ministry_a.parent, kind=OrganizationKind.MINISTRY, code="MIN-C", name_ar="وزارة العدل"
    )
    model_create(
        model=Indicator,
        actor=None,
        data={"code": "IND-C", "name_ar": "مؤشر", "unit_ar": "%", "owner": third, "classification": "public"},
    )
    add(ministry_a, 3, "S-A1")
    add(ministry_a, 4, "S-A2")
    add(ministry_a, 0, "S-A3")
    add(ministry_a, 2, "S-A4")
    slow = add(ministry_b, 1, "S-B1")
    add(ministry_b, 5, "S-B2")
    use(slow, JAN, "counter", 50)
    assert league_online(client) == {"MIN-A": "50%", "MIN-B": "50%", "MIN-C": "—"}
    assert league_online(client, "ar")["MIN-A"].startswith("50")
    commit(service_update, actor=national, service=slow, data={"level": 3}, expected_version=slow.version)
    assert league_online(client) == {"MIN-A": "50%", "MIN-B": "100%", "MIN-C": "—"}
