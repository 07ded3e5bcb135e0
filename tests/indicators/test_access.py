"""Every indicator endpoint against four readers: who may act, who may read, another ministry, anonymous."""

import pytest

from masar.accounts.models import Role, User
from masar.indicators.models import Measurement, MeasurementStatus
from masar.indicators.services import measurement_record
from tests.indicators.factories import entry, year

READERS = ["coordinator_a", "viewer_a", "coordinator_b", None]


def client_of(request, client_for, name):
    return client_for(request.getfixturevalue(name) if name else None)


@pytest.fixture
def submitted(services_online, national):
    return measurement_record(actor=national, indicator=services_online, entry=entry(year(2024), 400), submit=True)


@pytest.mark.parametrize("name,status", list(zip(READERS, [200, 200, 200, 200], strict=True)))
def test_public_pages_are_open_to_every_reader(services_online, client_for, request, name, status):
    client = client_of(request, client_for, name)
    for url in (
        f"/ar/indicators/{services_online.pk}/",
        "/ar/indicators/",
        "/ar/indicators/scorecards/",
        f"/ar/indicators/scorecards/{services_online.owner_id}/",
        f"/ar/indicators/{services_online.pk}/upload/template.xlsx",
    ):
        assert client.get(url).status_code == status, url


# A value not yet approved is read only by those who may enter values: others get 404, as for any
# record they may not read (anonymous visitors are sent to sign in first).
@pytest.mark.parametrize("name,status", list(zip(READERS, [302, 404, 404, 302], strict=True)))
def test_approving_is_for_who_may_decide(submitted, client_for, request, name, status):
    response = client_of(request, client_for, name).post(f"/en/indicators/values/{submitted.pk}/approve/")
    assert response.status_code == status
    expected = MeasurementStatus.APPROVED if name == "coordinator_a" else MeasurementStatus.SUBMITTED
    assert Measurement.objects.get().status == expected


@pytest.mark.parametrize("name,status", list(zip(READERS, [200, 404, 404, 302], strict=True)))
def test_rejecting_is_for_who_may_decide(submitted, client_for, request, name, status):
    assert (
        client_of(request, client_for, name).get(f"/en/indicators/values/{submitted.pk}/reject/").status_code == status
    )


@pytest.mark.parametrize("name,status", list(zip(READERS, [200, 404, 404, 302], strict=True)))
def test_editing_a_draft_is_for_who_may_enter_values(services_online, national, client_for, request, name, status):
    draft = measurement_record(actor=national, indicator=services_online, entry=entry(year(2024), 400))
    client = client_of(request, client_for, name)
    assert client.get(f"/en/indicators/values/{draft.pk}/edit/").status_code == status
    response = client.post(f"/en/indicators/values/{draft.pk}/edit/", {"period": "2024", "value": "1", "version": 1})
    assert response.status_code == (302 if status == 200 else status)
    assert Measurement.objects.get().value == (1 if status == 200 else 400)


def test_the_values_of_a_confidential_indicator_are_404_for_another_ministry(
    client_for, coordinator_b, ministry_a, national
):
    from tests.indicators.factories import make_indicator

    hidden = make_indicator("IND-C", ministry_a, classification="confidential")
    value = measurement_record(actor=national, indicator=hidden, entry=entry(year(2024), 4), submit=True)
    for path in ("edit/", "reject/"):
        assert client_for(coordinator_b).get(f"/en/indicators/values/{value.pk}/{path}").status_code == 404
        assert client_for(None).get(f"/en/indicators/values/{value.pk}/{path}").status_code == 302
    assert client_for(coordinator_b).post(f"/en/indicators/values/{value.pk}/approve/").status_code == 404


def test_the_history_pages_over_htmx(services_online, client_for, coordinator_a, national, settings):
    settings.PAGE_SIZE = 2
    for y in (2021, 2022, 2023):
        measurement_record(actor=national, indicator=services_online, entry=entry(year(y), 100 + y - 2021))
    response = client_for(coordinator_a).get(
        f"/en/indicators/{services_online.pk}/", {"page": 2}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="history-table"' in body
    assert "100" in body and "102" not in body


def test_the_admin_pages_of_indicators_open_for_the_national_unit(services_online, submitted, client, gov):
    admin = User.objects.create_superuser("root", "root@example.org", "pw", role=Role.NATIONAL_ADMIN, organization=gov)
    client.force_login(admin)
    for url in (
        "/en/admin/indicators/indicator/",
        f"/en/admin/indicators/indicator/{services_online.pk}/change/",
        "/en/admin/indicators/indicator/add/",
        "/en/admin/indicators/measurement/",
        f"/en/admin/indicators/measurement/{submitted.pk}/change/",
        "/en/admin/indicators/scorecardweight/add/",
    ):
        assert client.get(url).status_code == 200, url
