"""Reads of the catalogue: who sees which service, the directory's filters and text search, digitization figures."""

import datetime

import pytest

from masar.catalogue.models import Audience, Channel, FeedbackKind, Service
from masar.catalogue.selectors import (
    ServiceFilters,
    digitization_by_owner,
    latest_usage_month,
    service_for_reader,
    service_list,
)
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.search.services import thesaurus_seed
from tests.catalogue.factories import (
    make_category,
    make_document,
    make_feedback,
    make_life_event,
    make_rating,
    make_service,
    make_usage,
)

MAR = datetime.date(2025, 3, 1)


def codes(reader, **filters):
    return sorted(s.code for s in service_list(reader, ServiceFilters(**filters)))


# Who sees which service -----------------------------------------------------------------------------


@pytest.fixture
def by_level(ministry_a):
    return {
        level: make_service(ministry_a, code=f"S-{level}", classification=level)
        for level in (Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL)
    }


@pytest.mark.parametrize(
    "who, seen",
    [
        (None, ["S-public"]),
        ("viewer_a", ["S-confidential", "S-public", "S-restricted"]),
        ("coordinator_b", ["S-public", "S-restricted"]),
        ("national", ["S-confidential", "S-public", "S-restricted"]),
    ],
)
def test_the_directory_lists_what_the_reader_may_read(who, seen, request, by_level):
    actor = request.getfixturevalue(who) if who else None
    assert codes(actor) == seen
    assert codes(Reader.of(actor)) == seen


def test_a_restricted_service_is_not_opened_to_the_public(by_level, viewer_a):
    from django.http import Http404

    restricted = by_level[Classification.RESTRICTED]
    with pytest.raises(Http404):
        service_for_reader(Reader.public(), restricted.pk)
    assert service_for_reader(viewer_a, restricted.pk) == restricted
    assert service_for_reader(Reader.public(), by_level[Classification.PUBLIC].pk).may_change is False


# Filters --------------------------------------------------------------------------------------------


@pytest.fixture
def directory(ministry_a, directorate_a, ministry_b):
    birth, business = make_life_event("birth"), make_life_event("business")
    civil, taxes = make_category("civil"), make_category("taxes")
    services = {
        "A1": make_service(
            ministry_a,
            code="A1",
            life_event=birth,
            category=civil,
            channels=[Channel.WEB, Channel.COUNTER],
            audiences=[Audience.CITIZENS],
            level=4,
        ),
        "A2": make_service(
            directorate_a,
            code="A2",
            life_event=business,
            category=taxes,
            channels=[Channel.CALL_CENTRE],
            audiences=[Audience.BUSINESSES, Audience.ADMINISTRATIONS],
            level=2,
        ),
        "B1": make_service(
            ministry_b,
            code="B1",
            life_event=birth,
            category=taxes,
            channels=[Channel.MOBILE, Channel.KIOSK],
            audiences=[Audience.CITIZENS, Audience.BUSINESSES],
            level=5,
        ),
    }
    make_document(services["A1"], "مضمون ولادة", held_by=ministry_b)  # held by another administration
    make_document(services["A2"], "سجل تجاري", held_by=directorate_a)  # held by the owner itself
    make_document(services["B1"], "بطاقة تعريف")  # held by no one
    return services


def test_with_no_filter_every_public_service_is_listed(directory):
    assert codes(None) == ["A1", "A2", "B1"]


def test_an_organization_lists_its_subtree(directory, ministry_a, directorate_a, ministry_b, gov):
    assert codes(None, organization=ministry_a.pk) == ["A1", "A2"]
    assert codes(None, organization=directorate_a.pk) == ["A2"]
    assert codes(None, organization=ministry_b.pk) == ["B1"]
    assert codes(None, organization=gov.pk) == ["A1", "A2", "B1"]
    assert codes(None, organization=999_999) == []


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"life_event": "birth"}, ["A1", "B1"]),
        ({"life_event": "business"}, ["A2"]),
        ({"category": "civil"}, ["A1"]),
        ({"category": "taxes"}, ["A2", "B1"]),
        ({"channel": Channel.WEB}, ["A1"]),
        ({"channel": Channel.COUNTER}, ["A1"]),
        ({"channel": Channel.CALL_CENTRE}, ["A2"]),
        ({"channel": Channel.KIOSK}, ["B1"]),
        ({"audience": Audience.CITIZENS}, ["A1", "B1"]),
        ({"audience": Audience.ADMINISTRATIONS}, ["A2"]),
        ({"level": 4}, ["A1"]),
        ({"level": 0}, []),
        ({"min_level": 4}, ["A1", "B1"]),
        ({"min_level": 0}, ["A1", "A2", "B1"]),
        ({"with_once_only": True}, ["A1"]),
        ({"with_once_only": False}, ["A1", "A2", "B1"]),
        ({"life_event": "birth", "min_level": 5}, ["B1"]),
        ({"channel": Channel.WEB, "audience": Audience.BUSINESSES}, []),
    ],
)
def test_each_filter_keeps_exactly_the_services_that_meet_it(filters, expected, directory):
    from masar.catalogue.models import LifeEvent, ServiceCategory

    if "life_event" in filters:
        filters["life_event"] = LifeEvent.objects.get(code=filters["life_event"]).pk
    if "category" in filters:
        filters["category"] = ServiceCategory.objects.get(code=filters["category"]).pk
    assert codes(None, **filters) == expected


def test_the_directory_reads_its_rows_in_one_query(directory, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [
            (s.owner.name, s.life_event and s.life_event.name, s.category and s.category.name)
            for s in service_list(None, ServiceFilters(organization=None))
        ]
    assert len(rows) == 3


# Text search ------------------------------------------------------------------------------------------


@pytest.fixture
def searchable(db, ministry_a, ministry_b):
    thesaurus_seed()
    return {
        "residence": make_service(
            ministry_a, code="RES", name_ar="شهادة الإقامة", name_fr="Certificat de résidence", level=4
        ),
        "hospital": make_service(
            ministry_b, code="HOS", name_ar="حجز موعد في المستشفى", name_fr="Rendez-vous à l'hôpital", level=2
        ),
        "death": make_service(ministry_b, code="DEC", name_ar="تسجيل وفاة", name_fr="Déclaration de décès"),
        "driving": make_service(ministry_a, code="DRV", name_ar="رخصة السياقة", name_fr="Permis de conduire"),
        "hidden": make_service(
            ministry_a,
            code="HID",
            name_ar="شهادة إقامة للأعوان",
            name_fr="Attestation de résidence des agents",
            classification=Classification.RESTRICTED,
        ),
    }


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("شهادة الإقامة", "RES"),  # as written
        ("شهادة الاقامة", "RES"),  # hamza left out
        ("شهاده الإقامه", "RES"),  # taa marbuta typed as haa
        ("شـهـادة الإقـامـة", "RES"),  # tatweel
        ("شَهَادَة الإِقَامَة", "RES"),  # diacritics
        ("الاقامه", "RES"),
        ("المستشفي", "HOS"),  # alef maqsura typed as yaa
        ("موعد المستشفى", "HOS"),
        ("certificat de residence", "RES"),  # French without accents
        ("RESIDENCE", "RES"),
        ("hopital", "HOS"),
        ("deces", "DEC"),
        ("déclaration décès", "DEC"),
        ("رخصه السياقه", "DRV"),
    ],
)
def test_a_service_is_found_as_people_type_its_name(typed, expected, searchable):
    assert codes(None, q=typed) == [expected]


def test_text_search_ranks_and_combines_with_filters(searchable, ministry_a, viewer_a):
    assert codes(None, q="الإقامة", organization=ministry_a.pk) == ["RES"]
    assert codes(None, q="الإقامة", min_level=5) == []
    # A civil servant also finds the restricted one: positive control of the public's filter.
    assert codes(viewer_a, q="شهادة إقامة") == ["HID", "RES"]
    assert codes(None, q="شهادة إقامة") == ["RES"]


def test_a_word_found_nowhere_lists_nothing_else(searchable):
    assert "DRV" not in codes(None, q="الإقامة")
    assert codes(None, q="جواز سفر") == []


# Digitization ------------------------------------------------------------------------------------------


@pytest.fixture
def digitized(ministry_a, directorate_a, ministry_b):
    a = [make_service(ministry_a, level=level) for level in (0, 3, 4, 5)]
    a.append(make_service(directorate_a, level=2))
    b = [make_service(ministry_b, level=level) for level in (3, 1)]
    hidden_b = make_service(ministry_b, level=5)
    make_usage(a[0], MAR, Channel.COUNTER, 100)
    make_usage(a[1], MAR, Channel.WEB, 300)
    make_usage(a[4], MAR, Channel.MOBILE, 50)
    make_usage(a[4], MAR, Channel.KIOSK, 50)
    make_usage(a[4], MAR, Channel.CALL_CENTRE, 100)
    make_usage(a[1], datetime.date(2025, 2, 1), Channel.WEB, 9999)  # another month: not counted
    make_usage(b[0], MAR, Channel.COUNTER, 30)
    make_usage(b[1], MAR, Channel.WEB, 10)
    make_usage(hidden_b, MAR, Channel.WEB, 960)
    make_rating(a[1], 5)
    make_rating(a[2], 2)
    make_rating(hidden_b, 1)  # rated while it was public: still counted on the service once restricted
    make_feedback(a[0])
    make_feedback(b[0], FeedbackKind.SUGGESTION)
    Service.objects.filter(pk=hidden_b.pk).update(classification=Classification.RESTRICTED)
    return {"a": a, "b": b, "hidden_b": hidden_b}


def test_digitization_shares_per_ministry_as_counted_by_hand(digitized, ministry_a, ministry_b):
    fig_a, fig_b = digitization_by_owner(Reader.public(), roots=[ministry_a, ministry_b], month=MAR)
    # Ministry A: levels 0, 3, 4, 5 and its directorate's 2 — 3 of 5 at ≥ 3, 2 of 5 at ≥ 4.
    assert (fig_a.organization, fig_a.services, fig_a.online, fig_a.fully_online) == (ministry_a, 5, 3, 2)
    assert (fig_a.online_share, fig_a.fully_online_share) == (60.0, 40.0)
    # March: 100 counter + 300 web + 50 mobile + 50 kiosk + 100 call centre; web, mobile and kiosk are online.
    assert (fig_a.transactions, fig_a.online_transactions, fig_a.online_transactions_share) == (600, 400, 66.7)
    assert (fig_a.ratings, fig_a.satisfaction) == (2, 3.5)
    # Ministry B for the public: its restricted service is not counted (levels 3 and 1 only).
    assert (fig_b.services, fig_b.online, fig_b.fully_online, fig_b.online_share) == (2, 1, 0, 50.0)
    assert (fig_b.transactions, fig_b.online_transactions, fig_b.online_transactions_share) == (40, 10, 25.0)
    assert (fig_b.ratings, fig_b.satisfaction) == (0, None)
    assert fig_a.open_feedback == fig_b.open_feedback == 0  # the public reads no complaint


def test_a_civil_servant_counts_the_restricted_service_too(digitized, viewer_a, ministry_b):
    (fig_b,) = digitization_by_owner(viewer_a, roots=[ministry_b], month=MAR)
    assert (fig_b.services, fig_b.online, fig_b.fully_online) == (3, 2, 1)
    assert (fig_b.online_share, fig_b.fully_online_share) == (66.7, 33.3)
    assert (fig_b.transactions, fig_b.online_transactions) == (1000, 970)
    assert (fig_b.ratings, fig_b.satisfaction) == (1, 1.0)


def test_open_requests_are_counted_for_those_who_answer_them(
    digitized, coordinator_a, national, ministry_a, ministry_b
):
    assert [f.open_feedback for f in digitization_by_owner(coordinator_a, roots=[ministry_a, ministry_b])] == [1, 0]
    assert [f.open_feedback for f in digitization_by_owner(national, roots=[ministry_a, ministry_b])] == [1, 1]


def test_without_a_month_no_transaction_is_counted_and_no_base_gives_no_share(digitized, ministry_a, gov):
    (fig_a,) = digitization_by_owner(None, roots=[ministry_a])
    assert (fig_a.transactions, fig_a.online_transactions_share) == (0, None)
    from masar.organizations.models import OrganizationKind
    from masar.organizations.services import organization_create

    bare = organization_create(actor=None, parent=gov, kind=OrganizationKind.MINISTRY, code="BARE", name_ar="و")
    (fig,) = digitization_by_owner(None, roots=[bare], month=MAR)
    assert (fig.services, fig.online_share, fig.fully_online_share, fig.satisfaction) == (0, None, None, None)


def test_a_root_holding_another_root_counts_its_whole_subtree(digitized, gov, ministry_a, ministry_b):
    fig_gov, fig_a = digitization_by_owner(Reader.public(), roots=[gov, ministry_a], month=MAR)
    assert (fig_a.services, fig_a.online) == (5, 3)
    assert (fig_gov.services, fig_gov.online, fig_gov.transactions) == (7, 4, 640)


def test_digitization_figures_take_three_queries(digitized, ministry_a, ministry_b, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        digitization_by_owner(Reader.public(), roots=[ministry_a, ministry_b], month=MAR)


def test_the_latest_month_of_usage_is_the_readers(digitized, ministry_b):
    make_usage(digitized["hidden_b"], datetime.date(2025, 5, 1), Channel.WEB, 1)
    assert latest_usage_month(None) == MAR
    assert latest_usage_month(Reader.system()) == datetime.date(2025, 5, 1)


def test_a_root_named_twice_is_counted_once(digitized, ministry_a):
    first, second = digitization_by_owner(None, roots=[ministry_a, ministry_a], month=MAR)
    assert (first.services, second.services, first.transactions) == (5, 5, 600)


# Project links and documents follow their service and their project ------------------------------------


def test_a_projects_link_is_shown_to_those_who_read_the_project_too(ministry_a, ministry_b, axis, viewer_a, national):
    from masar.catalogue.selectors import service_projects
    from tests.catalogue.factories import make_project_link
    from tests.portfolio.factories import make_project

    service = make_service(ministry_a)
    public = make_project("PUB", ministry_a, axis)
    restricted = make_project("RES", ministry_b, axis, classification=Classification.RESTRICTED)
    confidential = make_project("CON", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    for project in (public, restricted, confidential):
        make_project_link(service, project, 4)

    def linked(reader):
        return sorted(link.project.code for link in service_projects(reader, service))

    assert linked(Reader.public()) == ["PUB"]
    assert linked(viewer_a) == ["PUB", "RES"]
    assert linked(national) == ["CON", "PUB", "RES"]


def test_the_documents_of_a_restricted_service_are_not_read_by_the_public(ministry_a, viewer_a):
    from masar.catalogue.models import RequiredDocument

    restricted = make_service(ministry_a, classification=Classification.RESTRICTED)
    public = make_service(ministry_a)
    make_document(restricted, "وثيقة داخلية")
    make_document(public, "بطاقة التعريف")
    assert list(RequiredDocument.objects.visible_to(Reader.public()).values_list("name_ar", flat=True)) == [
        "بطاقة التعريف"
    ]
    assert RequiredDocument.objects.visible_to(viewer_a).count() == 2


@pytest.mark.xfail(
    strict=True,
    reason="service_list takes the search's best SEARCH_CANDIDATES (500) matches, then applies its filters: a "
    "ministry's service outside them is lost when more than 500 others match the words (bench: 5,000 services). "
    "The search must rank within the filtered services (masar.search.selectors takes no such restriction).",
)
def test_a_filter_finds_its_service_however_many_others_match_the_words(ministry_a, ministry_b):
    from masar.catalogue.selectors import SEARCH_CANDIDATES

    wanted = make_service(ministry_b, code="WANTED", name_ar="شهادة إدارية")  # the oldest: ranked last on ties
    for i in range(SEARCH_CANDIDATES + 5):
        make_service(ministry_a, code=f"MANY-{i}", name_ar="شهادة إدارية")
    assert codes(None, q="شهادة إدارية", organization=ministry_a.pk)  # positive control: the words match
    assert codes(None, q="شهادة إدارية", organization=ministry_b.pk) == [wanted.code]
