"""The indicator page below its header is kept per reader scope: a change shows at once, readers who may do
different things never share a page, and a kept form carries the token of the request that reads it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masar.core.fragments import CSRF_PLACEHOLDER
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


def test_readers_who_may_do_different_things_never_share_a_page(
    coverage, regions, client_for, coordinator_a, national, gov
):
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


def test_a_kept_page_with_a_form_carries_the_token_of_each_request_and_it_works(coverage, regions, coordinator_a):
    draft = measurement_record(
        actor=coordinator_a, indicator=coverage, entry=entry(year(2023), 70, region=regions["tunis"], weight=100)
    )
    url = f"/en/indicators/{coverage.pk}/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    client.get(url)
    cache.clear()
    _first, cold = read(client, url)
    second, warm = read(client, url)
    assert warm < cold  # kept, forms and all
    assert f"/values/{draft.pk}/submit/" in second and CSRF_PLACEHOLDER not in second
    token = re.search(rf'action="/en/indicators/values/{draft.pk}/submit/">.*?value="([^"]+)"', second).group(1)
    other = Client(enforce_csrf_checks=True)
    other.force_login(coordinator_a)  # another session: its own token, and the kept page gives it that one
    theirs, _queries = read(other, url)
    their_token = re.search(rf'action="/en/indicators/values/{draft.pk}/submit/">.*?value="([^"]+)"', theirs).group(1)
    assert other.post(f"/en/indicators/values/{draft.pk}/submit/", {"csrfmiddlewaretoken": token}).status_code == 403
    submitted = client.post(f"/en/indicators/values/{draft.pk}/submit/", {"csrfmiddlewaretoken": token})
    assert submitted.status_code == 302
    draft.refresh_from_db()
    assert draft.status == MeasurementStatus.SUBMITTED and their_token != token
