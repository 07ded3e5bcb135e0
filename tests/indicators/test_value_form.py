"""The value form: quarters and years are chosen among the periods that have ended; a duplicate links to its value."""

import datetime
import re

from masar.indicators.models import Measurement
from masar.indicators.periods import period_key, period_start
from masar.indicators.services import measurement_record
from tests.indicators.factories import entry, make_indicator


def quarter_before(day):
    start = period_start(day, "quarterly")
    return period_start(start - datetime.timedelta(days=1), "quarterly")


def test_a_quarter_is_chosen_among_those_that_have_ended(ministry_a, coordinator_a, client_for):
    indicator = make_indicator("IND-Q", ministry_a, frequency="quarterly")
    client = client_for(coordinator_a)
    page = client.get(f"/en/indicators/{indicator.pk}/values/new/").content.decode()
    offered = re.findall(r'<option value="(\d{4}-Q\d)"', page)
    today = datetime.date.today()
    assert offered[0] == period_key(quarter_before(today), "quarterly")
    assert period_key(today, "quarterly") not in offered  # under way: not over yet
    under_way = client.post(
        f"/en/indicators/{indicator.pk}/values/new/", {"period": period_key(today, "quarterly"), "value": "5"}
    )
    assert under_way.status_code == 400 and "has not ended" in under_way.content.decode()
    long_ago = client.post(f"/en/indicators/{indicator.pk}/values/new/", {"period": "2001-Q1", "value": "5"})
    assert long_ago.status_code == 400 and "Choose the period in the list." in long_ago.content.decode()
    free_text = client.post(f"/en/indicators/{indicator.pk}/values/new/", {"period": "the third", "value": "5"})
    assert free_text.status_code == 400
    assert not Measurement.objects.exists()
    saved = client.post(f"/en/indicators/{indicator.pk}/values/new/", {"period": offered[0], "value": "5"})
    assert saved.status_code == 302 and Measurement.objects.get().period == quarter_before(today)


def test_a_value_already_recorded_is_named_with_a_link_to_open_it(ministry_a, coordinator_a, client_for):
    indicator = make_indicator("IND-D", ministry_a)
    existing = measurement_record(actor=coordinator_a, indicator=indicator, entry=entry(datetime.date(2024, 1, 1), 3))
    response = client_for(coordinator_a).post(
        f"/en/indicators/{indicator.pk}/values/new/", {"period": "2024", "value": "4"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "already exists" in body
    assert f'<a href="/en/indicators/values/{existing.pk}/edit/">Open the existing value</a>' in body
    assert Measurement.objects.count() == 1
