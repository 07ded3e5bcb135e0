"""Numbers on the monthly update: read as the page's language writes them, unusual figures confirmed, shown back."""

import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.utils import timezone

from masar.core.months import previous_month
from masar.delivery.models import Baseline, ProgressUpdate, UpdateStatus
from masar.delivery.plausibility import Check
from masar.delivery.services import updates as update_services
from tests.html import field_error, without_isolates
from tests.portfolio.factories import make_project

THIS_MONTH = previous_month(timezone.localdate())  # the month the form reports on by default
LAST_MONTH = previous_month(THIS_MONTH)


@pytest.fixture
def project(ministry_a, axis, manager_a):
    today = timezone.localdate()
    return make_project(
        "P-740",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=today - datetime.timedelta(days=300),
        planned_end=today + datetime.timedelta(days=300),
        planned_budget=Decimal("740000"),
    )


def form(**changes):
    data = {
        "period": THIS_MONTH.strftime("%Y-%m"),
        "percent_complete": "10",
        "spend_to_date": "1000",
        "declared_confidence": "green",
        "narrative": "",
        "version": "",
    }
    data.update(changes)
    return data


def new_update_url(project, language):
    return f"/{language}/delivery/projects/{project.pk}/updates/new/"


def reported(project, manager, *, period=LAST_MONTH, percent="40", spend="100000"):
    """An update of an earlier month, sent for review."""
    update = update_services.update_save(
        project=project,
        actor=manager,
        period=period,
        percent_complete=Decimal(percent),
        spend_to_date=Decimal(spend),
        declared_confidence="green",
    )
    return update_services.update_submit(update=update, actor=manager)


@pytest.mark.parametrize(
    "language,percent,spend,expected_percent,expected_spend",
    [
        ("fr", "7,5", "1 200 000,500", "7.5", "1200000.5"),
        ("fr", "7,5 %", "1\u202f200\u202f000,50", "7.5", "1200000.5"),
        ("ar", "١٢٫٥", "١٬٢٠٠٬٠٠٠٫٥", "12.5", "1200000.5"),
        ("ar", "12,5", "1.200.000,5", "12.5", "1200000.5"),
        ("en", "12.5", "1,200,000.50", "12.5", "1200000.5"),
    ],
)
def test_numbers_are_read_as_the_pages_language_writes_them(
    project, client_for, manager_a, language, percent, spend, expected_percent, expected_spend
):
    project.planned_budget = Decimal("5000000")
    project.save()
    response = client_for(manager_a).post(
        new_update_url(project, language), form(percent_complete=percent, spend_to_date=spend)
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(project=project)
    assert update.percent_complete == Decimal(expected_percent)
    assert update.spend_to_date == Decimal(expected_spend)


def test_the_form_is_a_text_box_and_shows_a_stored_value_written_as_the_page_writes_numbers(
    project, client_for, manager_a
):
    update = update_services.update_save(
        project=project,
        actor=manager_a,
        period=THIS_MONTH,
        percent_complete=Decimal("7.5"),
        spend_to_date=Decimal("700000.5"),
        declared_confidence="green",
    )
    client = client_for(manager_a)
    french = client.get(f"/fr/delivery/updates/{update.pk}/edit/").content.decode()
    assert 'value="7,5"' in french and 'value="700\u202f000,5"' in french
    assert 'type="number"' not in french and 'inputmode="decimal"' in french and 'dir="ltr"' in french
    assert 'value="700,000.5"' in client.get(f"/en/delivery/updates/{update.pk}/edit/").content.decode()
    # What is shown reads back as the same number when the form is sent again.
    response = client.post(
        f"/fr/delivery/updates/{update.pk}/edit/",
        form(percent_complete="7,5", spend_to_date="700\u202f000,5", version=update.version),
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.percent_complete, update.spend_to_date) == (Decimal("7.5"), Decimal("700000.5"))


def test_a_malformed_number_is_refused_beside_its_field_and_nothing_is_saved(project, client_for, manager_a):
    client = client_for(manager_a)
    response = client.post(new_update_url(project, "fr"), form(percent_complete="12abc"))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_percent_complete") == "« 12abc » n’est pas un nombre."
    response = client.post(new_update_url(project, "en"), form(spend_to_date="1,2,3.4.5"))
    assert response.status_code == 400
    message = field_error(response.content.decode(), "id_spend_to_date")
    assert "“1,2,3.4.5” is not a number as written" in message and "1,234,567.5" in message
    response = client.post(new_update_url(project, "ar"), form(spend_to_date="١٫٢٫٣"))
    assert response.status_code == 400 and field_error(response.content.decode(), "id_spend_to_date")
    assert not ProgressUpdate.objects.exists()


def test_spend_above_budget_is_saved_only_once_confirmed_and_the_reviewer_sees_the_warning(
    project, client_for, manager_a, coordinator_a
):
    client = client_for(manager_a)
    data = form(percent_complete="20", spend_to_date="1 200 000,500")
    response = client.post(new_update_url(project, "fr"), data)
    assert response.status_code == 400
    body = response.content.decode()
    spend = format_currency(Decimal("1200000.5"), "TND", locale="fr", format_type="standard")
    budget = format_currency(Decimal("740000"), "TND", locale="fr", format_type="standard")
    assert spend in body and budget in body and 'id="plausibility-warnings"' in body
    assert field_error(body, "id_confirm_figures")
    assert not ProgressUpdate.objects.exists()

    response = client.post(new_update_url(project, "fr"), {**data, "confirm_figures": "on", "submit": "1"})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.status == UpdateStatus.SUBMITTED and update.spend_to_date == Decimal("1200000.5")
    assert [w["code"] for w in update.confirmed_warnings] == [Check.SPEND_ABOVE_BUDGET]
    assert update.confirmed_warnings[0]["params"] == {"spend": "1200000.5", "budget": "740000"}

    page = client_for(coordinator_a).get(f"/en/delivery/updates/{update.pk}/").content.decode()
    assert "Unusual figures confirmed by the reporter" in page
    assert "Spend to date (TND1,200,000.500) is above the planned budget (TND740,000.000)." in page


def test_figures_that_look_usual_need_no_confirmation_and_leave_no_warning(project, client_for, manager_a):
    response = client_for(manager_a).post(new_update_url(project, "fr"), form(spend_to_date="700 000"))
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().confirmed_warnings == []


def test_percent_complete_going_backwards_is_flagged(project, client_for, manager_a):
    reported(project, manager_a, percent="40")
    client = client_for(manager_a)
    response = client.post(new_update_url(project, "en"), form(percent_complete="30", spend_to_date="120000"))
    assert response.status_code == 400
    assert "Percent complete goes back from 40 %" in response.content.decode()
    assert ProgressUpdate.objects.count() == 1
    response = client.post(
        new_update_url(project, "en"), form(percent_complete="30", spend_to_date="120000", confirm_figures="on")
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(period=THIS_MONTH)
    assert [w["code"] for w in update.confirmed_warnings] == [Check.PERCENT_BACKWARDS]


def test_a_jump_in_percent_complete_beyond_the_setting_is_flagged(project, client_for, manager_a, settings):
    reported(project, manager_a, percent="40")
    client = client_for(manager_a)
    response = client.post(new_update_url(project, "en"), form(percent_complete="70", spend_to_date="120000"))
    assert response.status_code == 400 and "jumps from 40 %" in response.content.decode()
    settings.MASAR_PERCENT_JUMP_LIMIT = 30
    response = client.post(new_update_url(project, "en"), form(percent_complete="70", spend_to_date="120000"))
    assert response.status_code == 302


def test_the_update_page_shows_the_previous_report_the_change_and_the_rating_if_approved(
    project, client_for, manager_a, coordinator_a
):
    reported(project, manager_a, percent="40", spend="100000")
    update = reported(project, manager_a, period=THIS_MONTH, percent="52.5", spend="150000")
    page = without_isolates(client_for(coordinator_a).get(f"/en/delivery/updates/{update.pk}/").content.decode())
    assert 'class="percent-complete">52.5 %<' in page
    assert 'class="percent-change">+12.5<' in page
    assert 'class="spend-change">+TND\xa050,000.000<' in page  # a currency code is set apart from the number
    assert "TND\xa0100,000.000" in page  # last month's spend beside this month's
    assert "Computed rating if approved" in page and 'class="rating-if-approved"' in page
    french = client_for(coordinator_a).get(f"/fr/delivery/updates/{update.pk}/").content.decode()
    french = without_isolates(french)
    assert 'class="percent-change">+12,5<' in french


def test_the_rebaseline_budget_is_read_as_the_page_writes_numbers(project, client_for, manager_a):
    url = f"/fr/delivery/projects/{project.pk}/baselines/"
    data = {
        "planned_start": project.planned_start.isoformat(),
        "planned_end": project.planned_end.isoformat(),
        "planned_budget": "1 200 000,50",
        "reason": "extension",
    }
    response = client_for(manager_a).post(url, {**data, "planned_budget": "1,2,3.4.5"})
    assert response.status_code == 400 and field_error(response.content.decode(), "id_planned_budget")
    assert not Baseline.objects.filter(number=2).exists()
    assert client_for(manager_a).post(url, data).status_code == 302
    assert Baseline.objects.get(number=2).planned_budget == Decimal("1200000.50")
