"""The portal's pages in Arabic, French and English: the directory's filters and pages with no query per row, a
service page as the public reads it and kept whole in the cache, the ways in from the rest of the site."""

import datetime

import pytest
from django.test import Client

from masar.catalogue.models import Audience, Channel, DigitizationLevel
from masar.core.pagecache import CACHE_HEADER
from tests.catalogue.factories import make_document, make_rating, make_service
from tests.html import without_isolates


def body_of(url, client=None, status=200):
    response = (client or Client()).get(url)
    assert response.status_code == status, url
    return without_isolates(response.content.decode())


def listed(url):
    """Return the codes of the services a directory address lists (the rows' links, by id)."""
    from masar.catalogue.models import Service

    body = body_of(url)
    return {s.code for s in Service.objects.all() if f'href="/en/portal/services/{s.pk}/"' in body}


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_every_portal_page_speaks_the_language_of_its_address(residence, lang, direction):
    from tests.catalogue.factories import make_feedback

    number = make_feedback(residence).tracking_number
    name = {"ar": "شهادة إقامة", "fr": "Certificat de résidence", "en": "Residence certificate"}[lang]
    life_event = {"ar": "تغيير مقر السكنى", "fr": "Déménagement", "en": "Moving house"}[lang]
    for path, shown in (
        ("portal/", life_event),
        ("portal/services/", name),
        (f"portal/services/{residence.pk}/", name),
        (f"portal/track/?number={number}", name),
        ("portal/delivering/", getattr(residence.owner, f"name_{lang}")),
    ):
        body = body_of(f"/{lang}/{path}")
        assert f'<html lang="{lang}" dir="{direction}">' in body, path
        assert shown in body, (lang, path)


def test_the_directory_filters_by_life_event_ministry_channel_level_audience_and_theme(
    residence, licence, directorate_a, life_event, category
):
    under = make_service(
        directorate_a,
        code="SRV-DIR",
        level=DigitizationLevel.PROCESSING,
        channels=[Channel.KIOSK],
        audiences=[Audience.BUSINESSES],
    )
    assert listed("/en/portal/services/") == {"SRV-RES", "SRV-LIC", "SRV-DIR"}  # positive control
    ministry_a = residence.owner
    assert listed(f"/en/portal/services/?organization={ministry_a.pk}") == {"SRV-RES", "SRV-DIR"}  # with its subtree
    assert listed(f"/en/portal/services/?organization={licence.owner_id}") == {"SRV-LIC"}
    assert listed(f"/en/portal/services/?life_event={life_event.pk}") == {"SRV-RES"}
    assert listed(f"/en/portal/services/?category={category.pk}") == {"SRV-RES"}
    assert listed(f"/en/portal/services/?channel={Channel.KIOSK}") == {"SRV-DIR"}
    assert listed(f"/en/portal/services/?level={DigitizationLevel.FORMS}") == {"SRV-LIC"}
    assert listed(f"/en/portal/services/?audience={Audience.BUSINESSES}") == {"SRV-LIC", "SRV-DIR"}
    assert listed(f"/en/portal/services/?audience=citizens&level={DigitizationLevel.FORMS}") == {"SRV-LIC"}
    assert under.owner_id == directorate_a.pk


def test_an_invalid_filter_is_said_and_dropped_not_a_server_error(residence, licence):
    body = body_of("/en/portal/services/?level=9&channel=pigeon&organization=abc")
    assert 'id="directory-level_error"' in body and 'id="directory-channel_error"' in body
    assert listed("/en/portal/services/?level=9") == {"SRV-RES", "SRV-LIC"}


def test_the_directory_shows_each_service_s_name_owner_level_rating_and_channels(residence):
    make_rating(residence, 5)
    make_rating(residence, 4)
    body = body_of("/en/portal/services/")
    row = body[body.index('<li class="service-row">') : body.index("</li>", body.index('<li class="service-row">'))]
    assert "Residence certificate" in row and "Ministry of Communication Technologies" in row
    assert 'class="level level-4"' in row and row.count('class="level-step on"') == 4
    assert "4.5 out of 5" in row
    assert "(2 ratings)" in row and "Counter · Web" in row


def _services(owner, count):
    for i in range(count):
        make_service(owner, code=f"SRV-Q{i:03d}", name_ar=f"شهادة رقم {i}", channels=[Channel.WEB], level=i % 6)


# The queries of a directory page whatever the number of services: the filters' choices (3), the count and the
# page's rows; a ministry adds its path; words add the search index's own lookups (Masar's Arabic analyzer).
QUERIES = {"": 5, "?channel=web&level=2": 5, "?organization={owner}": 6, "?q=شهاده": 19}


@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize("query", list(QUERIES))
def test_the_directory_costs_the_same_queries_for_five_or_thirty_services(
    ministry_a, count, query, django_assert_max_num_queries
):
    _services(ministry_a, count)
    client = Client()
    url = "/ar/portal/services/" + query.format(owner=ministry_a.pk)
    with django_assert_max_num_queries(QUERIES[query]):
        response = client.get(url)
    assert response.status_code == 200
    shown = response.content.decode().count('<li class="service-row">')
    assert shown == (min(count, 20) if "level" not in query else (1 if count == 5 else 5))


def test_the_directory_pages_twenty_at_a_time_keeping_the_filters(ministry_a):
    _services(ministry_a, 25)
    first = body_of("/en/portal/services/?channel=web")
    assert first.count('<li class="service-row">') == 20
    assert 'href="?channel=web&amp;page=2"' in first
    second = body_of("/en/portal/services/?channel=web&page=2")
    assert second.count('<li class="service-row">') == 5
    body_of("/en/portal/services/?page=9", status=404)


def test_a_service_page_shows_how_to_get_it_fees_time_legal_basis_and_the_online_link(residence, licence):
    body = body_of(f"/en/portal/services/{residence.pk}/")
    assert "1. Fill in the form<br>2. Send it" in body
    assert "<dt>Fee</dt>\n  <dd>Free</dd>" in body
    assert "3 days" in body
    assert "الأمر عدد 12 لسنة 2020" in body  # the legal basis has no English text: the Arabic is shown
    assert '<a class="button" href="https://services.example.org/residence" rel="external noopener noreferrer">' in body
    paid = body_of(f"/en/portal/services/{licence.pk}/")
    assert "<dt>Fee</dt>\n  <dd>TND\xa035.000</dd>" in paid and "30 days" in paid
    assert "Use this service online" not in paid  # no online address, no link


def test_a_fee_never_recorded_is_not_stated_rather_than_free(ministry_a):
    service = make_service(ministry_a, code="SRV-NOFEE")
    body = body_of(f"/en/portal/services/{service.pk}/")
    assert "<dt>Fee</dt>\n  <dd>Not stated</dd>" in body and ">Free<" not in body


def test_documents_held_elsewhere_are_fetched_at_level_five_and_only_an_opportunity_below(residence, ministry_b):
    opportunity = body_of(f"/en/portal/services/{residence.pk}/")
    assert "Once-only opportunity" in opportunity and "For now you still provide it" in opportunity
    assert "You will not need to bring it" not in opportunity
    proactive = make_service(residence.owner, code="SRV-PRO", level=DigitizationLevel.PROACTIVE)
    make_document(proactive, "مضمون ولادة", held_by=ministry_b, name_en="Birth extract")
    make_document(proactive, "صورة شمسية", name_en="Photograph")
    fetched = body_of(f"/en/portal/services/{proactive.pk}/")
    assert fetched.count("You will not need to bring it") == 1  # the photograph is still brought
    assert "Once-only opportunity" not in fetched


def test_the_service_page_is_kept_whole_for_anonymous_visitors_until_a_rating_changes_it(residence, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    url = f"/en/portal/services/{residence.pk}/"
    first = Client().get(url)
    assert first[CACHE_HEADER] == "miss" and "Not rated yet" in first.content.decode()
    assert "csrfmiddlewaretoken" not in first.content.decode() and "csrftoken" not in first.cookies
    second = Client().get(url)
    assert second[CACHE_HEADER] == "hit" and second.content == first.content
    rated = Client(REMOTE_ADDR="192.0.2.10").post(f"/en/portal/services/{residence.pk}/rate/", {"score": "3"})
    assert rated.status_code == 200
    after = Client().get(url)
    assert after[CACHE_HEADER] == "miss"  # the key holds the data version, which the rating moved
    shown = without_isolates(after.content.decode())
    assert "3 out of 5" in shown and "(1 rating)" in shown and "Not rated yet" not in shown


@pytest.mark.parametrize("path", ["portal/", "portal/services/", "portal/delivering/", "portal/track/?number=X"])
def test_the_other_portal_pages_are_kept_whole_too(residence, settings, path):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    assert Client().get(f"/ar/{path}")[CACHE_HEADER] == "miss"
    assert Client().get(f"/ar/{path}")[CACHE_HEADER] == "hit"


def test_everyone_is_offered_the_services_and_the_anonymous_home_leads_to_the_portal(db, client_for, viewer_a):
    anonymous = body_of("/ar/", client_for(None))
    assert 'href="/ar/portal/services/"' in anonymous and 'class="portal-call"' in anonymous
    assert 'href="/ar/portal/"' in anonymous
    signed_in = body_of("/ar/", client_for(viewer_a))
    assert 'href="/ar/portal/services/"' in signed_in  # the navigation's Services link is there for everyone
    assert 'class="portal-call"' not in signed_in


def test_what_the_government_is_delivering_shows_public_projects_with_published_progress(
    residence, licence, axis, national
):
    from masar.core.models import Classification
    from masar.delivery.models import Confidence, ProgressUpdate, UpdateStatus
    from tests.catalogue.factories import make_project_link
    from tests.portfolio.factories import make_project

    public = make_project("PRJ-ONE", residence.owner, axis, name_en="One-stop shop")
    hidden = make_project("PRJ-TWO", residence.owner, axis, classification=Classification.RESTRICTED, name_en="Hidden")
    make_project_link(residence, public, DigitizationLevel.PROACTIVE, datetime.date(2026, 12, 31))
    make_project_link(licence, public, DigitizationLevel.PROCESSING)
    make_project_link(residence, hidden, DigitizationLevel.PROACTIVE)
    for period, percent, classification in (
        (datetime.date(2025, 1, 1), 20, Classification.PUBLIC),
        (datetime.date(2025, 2, 1), 35, Classification.PUBLIC),
        (datetime.date(2025, 3, 1), 60, Classification.RESTRICTED),  # not published: not shown
    ):
        ProgressUpdate.objects.create(
            project=public,
            period=period,
            percent_complete=percent,
            declared_confidence=Confidence.GREEN,
            spend_to_date=0,
            status=UpdateStatus.APPROVED,
            classification=classification,
        )
    body = body_of("/en/portal/delivering/")
    assert "One-stop shop" in body and "Hidden" not in body
    assert "35 % complete" in body and "60 %" not in body
    row = body[body.index("One-stop shop") :]
    assert "Residence certificate" in row and "Building permit" in row
    assert 'href="/en/dashboards/public/"' in body and 'href="/en/opendata/"' in body
    # The shares per ministry: ministry a has one service at level 4, ministry b one at level 1.
    assert "Ministry of Communication Technologies" in body
    table = body[body.index('<table class="list digitization">') : body.index("</table>")]
    assert table.count("<tr>") == 3  # the header and the two ministries
    assert "100 %" in table and "0 %" in table


def test_each_share_links_down_to_the_services_it_counts(residence, licence, ministry_a):
    make_service(ministry_a, code="SRV-PRO", level=DigitizationLevel.PROACTIVE)
    home = body_of("/en/portal/")
    government = ministry_a.parent_id
    at_least = f"/en/portal/services/?organization={government}&amp;min_level="
    assert f'href="{at_least}3"' in home and f'href="{at_least}4"' in home
    # 2 of 3: the 66.7 % shown
    assert listed(f"/en/portal/services/?organization={government}&min_level=3") == {"SRV-RES", "SRV-PRO"}
    assert ">66.7 %<" in home
    delivering = body_of("/en/portal/delivering/")
    link = f'href="/en/portal/services/?organization={ministry_a.pk}&amp;min_level=4"'
    assert link in delivering
    assert listed(f"/en/portal/services/?organization={ministry_a.pk}&min_level=4") == {"SRV-RES", "SRV-PRO"}
