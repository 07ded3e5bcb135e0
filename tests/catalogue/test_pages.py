"""The owners' catalogue pages that read: the list with its filters, a service's page, the figures per ministry."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from masar.catalogue.models import Channel, CommentStatus, DigitizationLevel
from masar.core.models import Classification
from masar.exchange.models import AgreementAction
from tests.catalogue.factories import (
    make_document,
    make_feedback,
    make_life_event,
    make_project_link,
    make_rating,
    make_service,
    make_usage,
)
from tests.exchange.factories import make_agreement, make_client
from tests.html import without_isolates
from tests.portfolio.factories import make_project

LIST = "/ar/services/"


@pytest.fixture
def catalogue(ministry_a, ministry_b):
    return {
        "a": make_service(
            ministry_a,
            code="SRV-A",
            name_ar="استخراج مضمون ولادة",
            name_fr="Extrait de naissance",
            level=DigitizationLevel.PROCESSING,
            channels=[Channel.WEB, Channel.COUNTER],
        ),
        "a_conf": make_service(ministry_a, code="SRV-A-CONF", classification=Classification.CONFIDENTIAL),
        "b": make_service(ministry_b, code="SRV-B", level=DigitizationLevel.INFORMATION),
    }


def listed(response):
    assert response.status_code == 200, response.status_code
    return set(re.findall(r'<bdi class="code muted">([^<]+)</bdi>', response.content.decode()))


def test_the_list_shows_each_reader_the_services_they_may_read(
    catalogue, client_for, coordinator_a, viewer_a, coordinator_b
):
    assert listed(client_for(coordinator_a).get(LIST)) == {"SRV-A", "SRV-A-CONF", "SRV-B"}
    assert listed(client_for(viewer_a).get(LIST)) == {"SRV-A", "SRV-A-CONF", "SRV-B"}
    assert listed(client_for(coordinator_b).get(LIST)) == {"SRV-A", "SRV-B"}
    anonymous = client_for(None).get(LIST)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_new_service_button_is_offered_only_to_those_who_may_add_services(
    catalogue, client_for, coordinator_a, viewer_a, coordinator_b
):
    new = 'href="/ar/services/new/"'
    assert new in client_for(coordinator_a).get(LIST).content.decode()
    assert new in client_for(coordinator_b).get(LIST).content.decode()  # for their own ministry
    assert new not in client_for(viewer_a).get(LIST).content.decode()
    assert client_for(viewer_a).get("/ar/services/new/").status_code == 403


def test_the_list_rows_show_level_owner_and_rating(catalogue, client_for, viewer_a):
    make_rating(catalogue["a"], 4)
    make_rating(catalogue["a"], 5)
    body = without_isolates(client_for(viewer_a).get("/fr/services/").content.decode())
    row = re.search(rf'<tr data-service="{catalogue["a"].pk}">(.*?)</tr>', body, re.S).group(1)
    assert "Extrait de naissance" in row and f'href="/fr/services/{catalogue["a"].pk}/"' in row
    with translation.override("fr"):
        assert str(DigitizationLevel.PROCESSING.label) in row
    assert "Ministère des technologies de la communication" in row
    assert "4,5 / 5" in row and "(2 " in row


def test_filters_narrow_the_list(catalogue, client_for, viewer_a, ministry_a, ministry_b, directorate_a):
    event = make_life_event("BIRTH")
    under = make_service(directorate_a, code="SRV-D", life_event=event, channels=[Channel.MOBILE], level=5)
    make_document(catalogue["b"], held_by=ministry_a)
    make_document(catalogue["a"], held_by=ministry_a)  # held by its own owner: no once-only opportunity
    client = client_for(viewer_a)
    assert listed(client.get(LIST, {"organization": ministry_a.pk})) == {"SRV-A", "SRV-A-CONF", "SRV-D"}
    assert listed(client.get(LIST, {"organization": directorate_a.pk})) == {"SRV-D"}
    assert listed(client.get(LIST, {"level": 3})) == {"SRV-A"}
    assert listed(client.get(LIST, {"channel": Channel.MOBILE})) == {"SRV-D"}
    assert listed(client.get(LIST, {"life_event": event.pk})) == {"SRV-D"}
    assert listed(client.get(LIST, {"once_only": "on"})) == {"SRV-B"}
    assert listed(client.get(LIST, {"q": "مضمون الولادة"})) == {"SRV-A"}
    assert under.level == 5


def test_an_unknown_filter_value_is_a_400_listing_nothing_with_a_translated_message(catalogue, client_for, viewer_a):
    response = client_for(viewer_a).get("/fr/services/", {"level": "9", "channel": "pigeon"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert set(re.findall(r'<bdi class="code muted">([^<]+)</bdi>', response.content.decode())) == set()


def test_the_list_pages_and_keeps_its_filters(ministry_a, client_for, viewer_a, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_service(ministry_a, code=f"SRV-{i}", name_ar=f"خدمة {i}", level=2)
    client = client_for(viewer_a)
    first = client.get(LIST, {"level": 2})
    assert len(listed(first)) == 2 and "?level=2&amp;page=2" in first.content.decode()
    assert listed(client.get(LIST, {"level": 2, "page": 3})) == {"SRV-4"}
    assert client.get(LIST, {"page": "x"}).status_code == 404


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_number_of_services(
    ministry_a, ministry_b, client_for, coordinator_a, settings
):
    settings.PAGE_SIZE = 50
    event = make_life_event()
    for i in range(5):
        make_service(ministry_a if i % 2 else ministry_b, code=f"Q-{i}", life_event=event)
    client = client_for(coordinator_a)
    client.get(LIST)  # the session and the language are read once
    five = _list_queries(client)
    for i in range(5, 30):
        service = make_service(ministry_a if i % 2 else ministry_b, code=f"Q-{i}", life_event=event)
        make_rating(service, 3)
    thirty = _list_queries(client)
    assert len(listed(client.get(LIST))) == 30
    assert five == thirty
    assert thirty <= 12


# A service's page ------------------------------------------------------------------------------


def test_the_page_of_a_service_is_read_by_who_may_read_it(
    catalogue, client_for, coordinator_a, viewer_a, coordinator_b
):
    url = f"/ar/services/{catalogue['a_conf'].pk}/"
    assert client_for(coordinator_a).get(url).status_code == 200
    assert client_for(viewer_a).get(url).status_code == 200
    assert client_for(coordinator_b).get(url).status_code == 404
    assert client_for(coordinator_b).get(f"/ar/services/{catalogue['a'].pk}/").status_code == 200
    assert client_for(viewer_a).get("/ar/services/999999/").status_code == 404


def test_a_visitor_not_signed_in_is_sent_to_the_public_page_or_to_sign_in(catalogue, client_for):
    from django.urls import NoReverseMatch, reverse

    response = client_for(None).get(f"/ar/services/{catalogue['a'].pk}/")
    assert response.status_code == 302
    try:
        assert response["Location"] == reverse("portal-service-detail", args=[catalogue["a"].pk])
    except NoReverseMatch:
        assert response["Location"].startswith("/ar/accounts/login/")


def test_the_page_offers_changes_only_to_who_may_make_them(
    catalogue, client_for, coordinator_a, viewer_a, coordinator_b
):
    url = f"/ar/services/{catalogue['a'].pk}/"
    edit = f'href="/ar/services/{catalogue["a"].pk}/edit/"'
    usage = f'href="/ar/services/{catalogue["a"].pk}/usage/"'
    body = client_for(coordinator_a).get(url).content.decode()
    assert edit in body and usage in body
    for reader in (viewer_a, coordinator_b):
        body = client_for(reader).get(url).content.decode()
        assert edit not in body and usage not in body


def test_the_page_shows_every_field_in_the_readers_language(catalogue, client_for, viewer_a, ministry_a):
    service = catalogue["a"]
    service.steps_fr, service.steps_ar = "Déposez la demande en ligne.", "قدم الطلب عبر الإنترنت."
    service.legal_basis_fr, service.fee, service.fee_currency = "Loi 2020-15", 3, "TND"
    service.processing_days, service.online_url = 2, "https://example.tn/naissance"
    service.save()
    body = without_isolates(client_for(viewer_a).get(f"/fr/services/{service.pk}/").content.decode())
    for text in ("Extrait de naissance", "Déposez la demande en ligne.", "Loi 2020-15", "https://example.tn/naissance"):
        assert text in body
    with translation.override("fr"):
        assert f"{Channel.COUNTER.label} · {Channel.WEB.label}" in body
    assert "3,000\xa0TND" in body
    assert "2 days" in without_isolates(client_for(viewer_a).get(f"/en/services/{service.pk}/").content.decode())
    arabic = client_for(viewer_a).get(f"/ar/services/{service.pk}/").content.decode()
    assert "قدم الطلب عبر الإنترنت." in arabic and "Déposez" not in arabic


def test_the_page_names_who_holds_each_document_and_the_agreements_in_place(
    catalogue, client_for, coordinator_a, ministry_a, ministry_b, national
):
    service = catalogue["a"]
    birth = make_document(service, "مضمون ولادة", held_by=ministry_b)
    own = make_document(service, "وصل خلاص", held_by=ministry_a)
    agreement = make_agreement(make_client(ministry_a), ministry_b, decide=AgreementAction.APPROVE, decided_by=national)
    body = client_for(coordinator_a).get(f"/ar/services/{service.pk}/").content.decode()
    row = re.search(rf'<tr data-document="{birth.pk}" class="once-only">(.*?)</tr>', body, re.S).group(1)
    assert "وزارة الصحة" in row and f'data-agreement="{agreement.pk}"' in row
    own_row = re.search(rf'<tr data-document="{own.pk}">(.*?)</tr>', body, re.S).group(1)
    assert "data-agreement" not in own_row


def test_the_page_shows_only_the_projects_the_reader_may_read(
    catalogue, client_for, viewer_a, coordinator_b, ministry_a, axis
):
    service = catalogue["a"]
    public = make_project("P-PUB", ministry_a, axis)
    hidden = make_project("P-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL)
    make_project_link(service, public, 4, datetime.date(2026, 6, 30))
    make_project_link(service, hidden, 5)
    url = f"/ar/services/{service.pk}/"
    projects = set(re.findall(r'<tr data-project="(\d+)">', client_for(viewer_a).get(url).content.decode()))
    assert projects == {str(public.pk), str(hidden.pk)}
    projects = set(re.findall(r'<tr data-project="(\d+)">', client_for(coordinator_b).get(url).content.decode()))
    assert projects == {str(public.pk)}


def test_the_page_shows_usage_by_channel_with_the_share_online(catalogue, client_for, viewer_a):
    service = catalogue["a"]
    make_usage(service, "2024-01", Channel.COUNTER, 999)  # more than twelve months before the latest: left out
    make_usage(service, "2025-02", Channel.COUNTER, 300)
    make_usage(service, "2025-02", Channel.WEB, 100, backlog=7)
    make_usage(service, "2025-03", Channel.WEB, 200, backlog=5)
    body = without_isolates(client_for(viewer_a).get(f"/en/services/{service.pk}/").content.decode())
    table = re.search(r'<table class="list usage">(.*?)</table>', body, re.S).group(1)
    assert "April 2024" in table and "March 2025" in table and "January 2024" not in table
    assert "999" not in table
    assert "25%" in table  # February: 100 of 400 online
    assert "100%" in table  # March: all online
    assert "50%" in table  # the year: 300 of 600
    assert "Backlog at the end of the latest month: 5" in body


def test_the_page_shows_satisfaction_with_its_distribution(catalogue, client_for, viewer_a):
    service = catalogue["a"]
    for score in (5, 5, 4, 1):
        make_rating(service, score)
    body = without_isolates(client_for(viewer_a).get(f"/en/services/{service.pk}/").content.decode())
    assert "Average 3.8 / 5 from 4 ratings" in body
    five = re.search(r'<tr data-score="5">(.*?)</tr>', body, re.S).group(1)
    assert ">2<" in five and "50%" in five
    two = re.search(r'<tr data-score="2">(.*?)</tr>', body, re.S).group(1)
    assert ">0<" in two


def test_the_citizens_voice_is_shown_to_who_answers_and_the_inspectorate_only(
    catalogue, client_for, coordinator_a, viewer_a, coordinator_b, inspector
):
    service = catalogue["a"]
    complaint = make_feedback(service, text="الشباك مغلق دائما", contact="20 000 000")
    comment = make_rating(service, 2, "خدمة بطيئة")
    assert comment.comment_status == CommentStatus.PENDING
    url = f"/ar/services/{service.pk}/"
    owner = client_for(coordinator_a).get(url).content.decode()
    assert f'data-feedback="{complaint.pk}"' in owner and "الشباك مغلق دائما" in owner
    assert f'data-rating="{comment.pk}"' in owner and "خدمة بطيئة" in owner
    assert "20 000 000" not in owner  # the contact is shown on the request's own page only
    inspecting = client_for(inspector).get(url).content.decode()
    assert f'data-feedback="{complaint.pk}"' in inspecting  # the inspectorate reads the requests...
    assert "خدمة بطيئة" not in inspecting  # ...and moderates no comment
    for reader in (viewer_a, coordinator_b):
        body = client_for(reader).get(url).content.decode()
        assert "الشباك مغلق دائما" not in body and "خدمة بطيئة" not in body


def test_the_page_links_to_the_public_page_only_for_a_public_service(catalogue, client_for, viewer_a):
    from django.urls import reverse

    public_url = reverse("portal-service-detail", args=[catalogue["a"].pk])
    assert public_url in client_for(viewer_a).get(f"/ar/services/{catalogue['a'].pk}/").content.decode()
    hidden = reverse("portal-service-detail", args=[catalogue["a_conf"].pk])
    assert hidden not in client_for(viewer_a).get(f"/ar/services/{catalogue['a_conf'].pk}/").content.decode()


def test_the_page_shows_the_audit_trail(catalogue, client_for, viewer_a, coordinator_a):
    from masar.catalogue.services import service_update

    service = catalogue["a"]
    service_update(actor=coordinator_a, service=service, data={"name_ar": "اسم جديد"}, expected_version=1)
    body = client_for(viewer_a).get(f"/ar/services/{service.pk}/").content.decode()
    trail = re.search(r'<section class="audit".*?</section>', body, re.S).group(0)
    assert "استخراج مضمون ولادة" in trail and "اسم جديد" in trail


# Figures per ministry ----------------------------------------------------------------------------


def test_the_satisfaction_page_gives_each_ministry_its_figures(
    catalogue, client_for, coordinator_a, coordinator_b, ministry_a, ministry_b
):
    make_service(ministry_a, code="SRV-A4", level=DigitizationLevel.FULLY_ONLINE)
    make_usage(catalogue["a"], "2025-03", Channel.WEB, 30)
    make_usage(catalogue["a"], "2025-03", Channel.COUNTER, 10)
    make_rating(catalogue["a"], 4)
    make_rating(catalogue["a"], 2)
    make_feedback(catalogue["a"])
    body = without_isolates(client_for(coordinator_a).get("/en/services/satisfaction/").content.decode())
    row = re.search(rf'<tr data-organization="{ministry_a.pk}">(.*?)</tr>', body, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # services, ≥3, ≥4, online transactions, average, ratings, open complaints
    assert cells == ["3", "66.7%", "33.3%", "75%", "3", "2", "1"]
    assert "March 2025" in body
    other = without_isolates(client_for(coordinator_b).get("/en/services/satisfaction/").content.decode())
    row = re.search(rf'<tr data-organization="{ministry_a.pk}">(.*?)</tr>', other, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells[0] == "2" and cells[-1] == "0"  # the confidential service and the complaint are not theirs
