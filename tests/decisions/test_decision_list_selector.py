"""One decision list: the page, the export and the dashboard's overdue figure count the same decisions."""

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from masar.core.models import Classification
from masar.core.policy import Reader
from masar.core.services import model_create
from masar.decisions.models import Decision, DecisionStatus, Meeting, MeetingKind
from masar.decisions.rows import decision_row
from masar.decisions.selectors import DecisionFilters, decision_list

READERS = ["public", "coordinator_a", "national"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def decisions(gov, ministry_a, directorate_a, ministry_b):
    meeting = model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.MINISTERIAL_COUNCIL,
            name_ar="مجلس وزاري",
            name_en="Council",
            body_ar="مجلس",
            owner=gov,
            classification=Classification.PUBLIC,
            decisions_published=True,
        ),
    )
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=5), today + datetime.timedelta(days=50)
    made = []
    for order, (responsible, classification, due) in enumerate(
        [
            (ministry_a, Classification.PUBLIC, past),
            (directorate_a, Classification.RESTRICTED, past),
            (directorate_a, Classification.CONFIDENTIAL, past),
            (ministry_a, Classification.PUBLIC, future),
            (ministry_b, Classification.PUBLIC, past),
            (ministry_b, Classification.CONFIDENTIAL, past),
        ],
        start=1,
    ):
        made.append(
            model_create(
                model=Decision,
                actor=None,
                data=dict(
                    meeting=meeting,
                    order=order,
                    text_ar=f"قرار {order}",
                    responsible=responsible,
                    classification=classification,
                    due_date=due,
                ),
            )
        )
    return made


def reader_for(request, who):
    return None if who == "public" else request.getfixturevalue(who)


def page_count(client, params):
    response = client.get("/en/meetings/decisions/", params)
    assert response.status_code == 200
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def csv_count(client, params):
    response = client.get("/en/exports/decisions.csv", params)
    assert response.status_code == 200
    return len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))) - 1


def overdue_figure(client, url):
    html = client.get(url).content.decode().split('id="overdue-decisions"')[1]
    link, n = re.search(r'<a class="drill" href="([^"]+)" data-figure="(\d+)">', html).groups()
    return link.replace("&amp;", "&"), int(n)


@pytest.mark.parametrize("who", READERS)
def test_the_page_the_export_and_the_selector_count_the_same_decisions(decisions, ministry_a, client_for, request, who):
    user = reader_for(request, who)
    client = client_for(user)
    params = {"status": DecisionStatus.OVERDUE, "organization": ministry_a.pk}
    expected = decision_list(
        Reader.of(user), DecisionFilters(status=DecisionStatus.OVERDUE, organization=ministry_a)
    ).count()
    assert page_count(client, params) == expected == csv_count(client, params)
    assert expected == {"public": 1, "coordinator_a": 3, "national": 3}[who]
    # Positive control: without the organization the list is longer (ministry B's overdue decisions).
    assert page_count(client, {"status": DecisionStatus.OVERDUE}) > expected


@pytest.mark.parametrize("who", READERS)
def test_the_dashboards_overdue_decisions_link_lists_as_many_as_the_figure(
    decisions, ministry_a, client_for, request, who
):
    user = reader_for(request, who)
    client = client_for(user)
    for url in ("/en/dashboards/", f"/en/dashboards/?organization={ministry_a.pk}", "/en/dashboards/public/"):
        link, n = overdue_figure(client, url)
        assert link.startswith("/en/meetings/decisions/?")
        assert page_count(client, dict(pair.split("=") for pair in link.split("?")[1].split("&"))) == n, url
    _, national_wide = overdue_figure(client, "/en/dashboards/")
    _, in_a = overdue_figure(client, f"/en/dashboards/?organization={ministry_a.pk}")
    assert in_a < national_wide
    _, sector = overdue_figure(client, f"/en/dashboards/organizations/{ministry_a.pk}/")
    assert sector == in_a


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("params", [{"status": "forgotten"}, {"organization": 999999}, {"meeting": "abc"}])
def test_a_bad_decision_filter_is_refused_and_changes_nothing(decisions, client_for, request, who, params):
    user = reader_for(request, who)
    client = client_for(user)
    before = list(Decision.objects.order_by("pk").values_list("pk", "version"))
    response = client.get("/en/meetings/decisions/", params)
    assert response.status_code == 400
    assert 'data-count="0"' in response.content.decode()
    assert client.get("/en/exports/decisions.csv", params).status_code == 400
    assert list(Decision.objects.order_by("pk").values_list("pk", "version")) == before
    assert page_count(client, {}) > 0


def test_the_decision_row_speaks_the_readers_language(decisions, national):
    from django.utils import translation

    overdue = decision_list(national, DecisionFilters(status=DecisionStatus.OVERDUE)).select_related(
        "meeting", "responsible"
    )
    with translation.override("fr"):
        row = decision_row(overdue.first())
        label = str(DecisionStatus.OVERDUE.label)
    assert (row.status, row.status_key) == (label, DecisionStatus.OVERDUE)
    assert row.text == row.text_ar  # no French text: Arabic is the fallback
