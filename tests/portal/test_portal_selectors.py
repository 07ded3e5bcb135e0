"""The portal's own reads: what a document row promises, what a fee says, the figures and entry points as the public
reads them, and the page of projects delivering services in a fixed number of queries."""

import datetime
from decimal import Decimal

from masar.catalogue.models import Channel, DigitizationLevel
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.portal.selectors import (
    FeeKind,
    categories,
    delivering_page,
    digitization_by_ministry,
    document_rows,
    life_events,
    request_tracked,
    service_fee,
    totals_by_government,
)
from tests.catalogue.factories import (
    make_document,
    make_feedback,
    make_project_link,
    make_rating,
    make_service,
    make_usage,
)
from tests.portfolio.factories import make_project

PUBLIC = Reader.public()


def test_a_document_another_administration_holds_is_fetched_only_from_level_five(ministry_a, ministry_b):
    rows_at = {}
    for level in (DigitizationLevel.FULLY_ONLINE, DigitizationLevel.PROACTIVE):
        service = make_service(ministry_a, code=f"SRV-D{level}", level=level)
        make_document(service, "بطاقة التعريف")  # held by nobody
        make_document(service, "شهادة", held_by=ministry_a)  # held by the service's own owner: nothing to exchange
        make_document(service, "مضمون ولادة", held_by=ministry_b)
        rows_at[level] = [(row.held_elsewhere, row.fetched, row.opportunity) for row in document_rows(service)]
    assert rows_at[DigitizationLevel.FULLY_ONLINE] == [
        (False, False, False),
        (False, False, False),
        (True, False, True),
    ]
    assert rows_at[DigitizationLevel.PROACTIVE] == [(False, False, False), (False, False, False), (True, True, False)]


def test_a_fee_is_free_only_when_recorded_as_zero(ministry_a):
    assert service_fee(make_service(ministry_a, fee=0)).kind == FeeKind.FREE
    assert service_fee(make_service(ministry_a)).kind == FeeKind.NOT_STATED
    paid = service_fee(make_service(ministry_a, fee="12.500", fee_currency="TND", fee_note_en="per copy"))
    assert (paid.kind, paid.amount, paid.currency) == (FeeKind.AMOUNT, Decimal("12.500"), "TND")


def test_the_totals_count_what_the_public_reads_with_the_latest_month_of_usage(ministry_a, ministry_b, directorate_a):
    online = make_service(directorate_a, level=DigitizationLevel.PROCESSING)
    make_service(ministry_b, level=DigitizationLevel.PROACTIVE)
    make_service(ministry_b, level=DigitizationLevel.INFORMATION)
    hidden = make_service(ministry_a, level=DigitizationLevel.PROACTIVE, classification=Classification.RESTRICTED)
    make_usage(online, "2025-02", Channel.WEB, 1000)
    make_usage(online, "2025-03", Channel.WEB, 300)
    make_usage(online, "2025-03", Channel.COUNTER, 100)
    make_usage(hidden, "2025-04", Channel.WEB, 999_999)  # a later month, of a service the public does not read
    make_rating(online, 4)
    make_rating(online, 2)
    [totals] = totals_by_government(PUBLIC)
    assert (totals.services, totals.online, totals.fully_online) == (3, 2, 1)
    assert totals.month == datetime.date(2025, 3, 1)
    assert (totals.transactions, totals.online_transactions, totals.online_transactions_share) == (400, 300, 75.0)
    assert (totals.ratings, totals.satisfaction) == (2, 3.0)
    by_ministry = {part.organization.code: part for part in digitization_by_ministry(PUBLIC)}
    assert set(by_ministry) == {"MIN-A", "MIN-B"}  # the directorate's service counts for its ministry
    assert (by_ministry["MIN-A"].services, by_ministry["MIN-A"].online_share) == (1, 100.0)
    assert (by_ministry["MIN-B"].services, by_ministry["MIN-B"].fully_online_share) == (2, 50.0)


def test_life_events_and_themes_are_offered_with_the_count_of_public_services(residence, licence, ministry_a):
    make_service(ministry_a, classification=Classification.RESTRICTED, life_event=residence.life_event, category=None)
    assert [(e.record.code, e.count) for e in life_events(PUBLIC)] == [("moving", 1)]
    assert [(e.record.code, e.count) for e in categories(PUBLIC)] == [("civil", 1)]


def test_the_delivering_page_costs_three_queries_and_shows_only_what_the_public_reads(
    residence, licence, secret_service, axis, django_assert_num_queries
):
    projects = [make_project(f"PRJ-{i}", residence.owner, axis) for i in range(4)]
    for project in projects:
        make_project_link(residence, project, DigitizationLevel.PROACTIVE)
        make_project_link(licence, project, DigitizationLevel.PROCESSING)
        make_project_link(secret_service, project, DigitizationLevel.FULLY_ONLINE)
    restricted = make_project("PRJ-R", residence.owner, axis, classification=Classification.RESTRICTED)
    make_project_link(residence, restricted, DigitizationLevel.PROACTIVE)
    only_secret = make_project("PRJ-S", residence.owner, axis)
    make_project_link(secret_service, only_secret, DigitizationLevel.PROACTIVE)
    with django_assert_num_queries(3):
        page = delivering_page(PUBLIC, 1, per_page=3)
        rows = list(page.object_list)
    assert page.paginator.count == 4  # neither the restricted project nor one linked only to a restricted service
    assert [row.project.code for row in rows] == ["PRJ-0", "PRJ-1", "PRJ-2"]
    assert all({link.service.code for link in row.links} == {"SRV-RES", "SRV-LIC"} for row in rows)


def test_a_tracked_request_names_its_service_only_while_the_public_reads_it(residence):
    feedback = make_feedback(residence)
    assert request_tracked(PUBLIC, feedback.tracking_number.replace("-", "")).service == residence
    residence.classification = Classification.RESTRICTED
    residence.save(update_fields=["classification"])
    tracked = request_tracked(PUBLIC, feedback.tracking_number)
    assert tracked.feedback.pk == feedback.pk and tracked.service is None
    assert request_tracked(PUBLIC, "ZZZZ-ZZZZ") is None


def test_the_totals_are_given_one_government_at_a_time(ministry_a):
    from masar.organizations.models import OrganizationKind
    from masar.organizations.services import organization_create

    other = organization_create(actor=None, kind=OrganizationKind.GOVERNMENT, code="GOV-2", name_ar="حكومة ثانية")
    make_service(ministry_a, level=DigitizationLevel.PROCESSING)
    make_service(other, level=DigitizationLevel.INFORMATION)
    make_service(other, level=DigitizationLevel.INFORMATION)
    by_root = {part.organization.code: (part.services, part.online_share) for part in totals_by_government(PUBLIC)}
    assert by_root == {"GOV": (1, 100.0), "GOV-2": (2, 0.0)}  # never 3 services at 33.3 % for two countries
