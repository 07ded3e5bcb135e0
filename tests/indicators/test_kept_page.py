"""The indicator page below its header is kept per reader: a change shows at once, no reader sees another's page,
and a page carrying a form (and so the person's CSRF token) is never kept."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masar.core.roles import Role
from masar.indicators.models import MeasurementStatus
from masar.indicators.services import measurement_record
from tests.accounts.factories import make_user
from tests.indicators.factories import approved, entry, year

pytestmark = pytest.mark.django_db


def tokenless(body):
    """Return the page without the CSRF tokens of the forms around it (the header's), which differ per request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def read(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def test_a_kept_page_costs_fewer_queries_and_a_new_value_shows_at_once(
    coverage, regions, client_for, coordinator_a, national
):
    approved(coverage, year(2021), 50, region=regions["tunis"], weight=100, by=coordinator_a, approver=national)
    url = f"/en/indicators/{coverage.pk}/"
    client = client_for(national)
    client.get(url)
    cache.clear()
    first, cold = read(client, url)
    again, warm = read(client, url)
    assert warm < cold and tokenless(again) == tokenless(first)  # the same page, from the cache
    assert first.count("workflow-approved") == again.count("workflow-approved") == 1
    approved(
        coverage, year(2022), 60, region=regions["tunis"], weight=100, by=coordinator_a, approver=national
    )  # audited: the data version moves
    after, _queries = read(client, url)
    assert after.count("workflow-approved") == 2


def test_readers_of_one_scope_never_see_each_others_page(coverage, regions, client_for, coordinator_a, national, gov):
    national_viewer = make_user("national_viewer", Role.VIEWER, gov)
    draft = measurement_record(
        actor=national,
        indicator=coverage,
        entry=entry(year(2023), 70, region=regions["tunis"], weight=100),
        submit=False,
    )
    url = f"/en/indicators/{coverage.pk}/"
    cache.clear()
    admin_page, _queries = read(client_for(national), url)
    assert "Enter a value" in admin_page and f"/values/{draft.pk}/edit/" in admin_page  # positive control
    viewer_page, _queries = read(client_for(national_viewer), url)
    assert "Enter a value" not in viewer_page and f"/values/{draft.pk}/edit/" not in viewer_page


def test_a_page_with_a_form_is_rendered_for_each_request_with_a_token_that_works(coverage, regions, coordinator_a):
    draft = measurement_record(
        actor=coordinator_a,
        indicator=coverage,
        entry=entry(year(2023), 70, region=regions["tunis"], weight=100),
        submit=False,
    )
    url = f"/en/indicators/{coverage.pk}/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    client.get(url)
    cache.clear()
    first, cold = read(client, url)
    second, again = read(client, url)
    third, then = read(client, url)
    assert f"/values/{draft.pk}/submit/" in second  # the draft's Submit form
    assert again == then  # not kept: rendered again each time, with that request's token
    token = re.search(rf'action="/en/indicators/values/{draft.pk}/submit/">.*?value="([^"]+)"', third).group(1)
    submitted = client.post(f"/en/indicators/values/{draft.pk}/submit/", {"csrfmiddlewaretoken": token})
    assert submitted.status_code == 302
    draft.refresh_from_db()
    assert draft.status == MeasurementStatus.SUBMITTED
    read(client, url)
    _body, kept = read(client, url)  # no form left in the body: now it is kept
    assert kept < then
