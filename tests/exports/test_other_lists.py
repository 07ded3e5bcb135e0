import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from masar.accounts.models import Role
from masar.core.models import Classification
from masar.decisions.models import MeetingKind
from masar.indicators.models import Measurement
from masar.indicators.services import measurement_record
from tests.accounts.factories import make_user
from tests.decisions.factories import make_decision, make_meeting
from tests.indicators.factories import approved, entry, make_indicator, year


def read_csv(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","  # French and Arabic files use ";"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture
def decisions(gov, ministry_a, ministry_b):
    meeting = make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, name_en="Council", owner=gov)

    def decide(order, text, responsible, classification, due_date):
        return make_decision(
            meeting=meeting,
            order=order,
            text_ar=text,
            responsible=responsible,
            classification=classification,
            due_date=due_date,
        )

    return [
        decide(1, "قرار عمومي", ministry_a, Classification.PUBLIC, datetime.date(2000, 1, 1)),
        decide(2, "قرار مستقبلي", ministry_a, Classification.PUBLIC, datetime.date(2100, 1, 1)),
        decide(3, "قرار سري", ministry_b, Classification.CONFIDENTIAL, datetime.date(2100, 1, 1)),
    ]


def test_decisions_are_exported_with_their_computed_status(decisions, client_for, viewer_a, coordinator_b):
    rows = read_csv(client_for(viewer_a).get("/en/exports/decisions.csv"))
    assert rows[0][1:3] == ["order", "text (Arabic)"]
    assert [(row[0], row[1], row[2], row[6], row[7]) for row in rows[1:]] == [
        ("Council", "1", "قرار عمومي", "2000-01-01", "Overdue"),
        ("Council", "2", "قرار مستقبلي", "2100-01-01", "Not started"),
    ]
    overdue = read_csv(client_for(viewer_a).get("/en/exports/decisions.csv", {"status": "overdue"}))
    assert [row[2] for row in overdue[1:]] == ["قرار عمومي"]
    other = read_csv(client_for(coordinator_b).get("/en/exports/decisions.csv"))
    assert [row[1] for row in other[1:]] == ["1", "2", "3"]
    anonymous = read_csv(client_for(None).get("/en/exports/decisions.csv"))
    assert [row[1] for row in anonymous[1:]] == ["1", "2"]
    assert client_for(viewer_a).get("/en/exports/decisions.csv", {"status": "forgotten"}).status_code == 400


@pytest.fixture
def values(ministry_a, ministry_b, national, coordinator_a):
    public = make_indicator("IND-PUB", ministry_a)
    secret = make_indicator("IND-CONF", ministry_b, classification=Classification.CONFIDENTIAL)
    second = make_user("national_2", Role.NATIONAL_ADMIN, None)
    for indicator, value in ((public, "12"), (secret, "7")):
        approved(indicator, year(2023), value, by=national, approver=second)
    approved(public, year(2024), "15", by=national, approver=coordinator_a)
    # A value still waiting for approval is read only by those who enter values, in exports too.
    measurement_record(actor=national, indicator=public, entry=entry(year(2022), "11"), submit=True)
    return public, secret


def test_indicator_values_are_exported_as_numbers_through_visibility(values, client_for, viewer_a, coordinator_b):
    response = client_for(viewer_a).get("/en/exports/indicator-values.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # sent from a file
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("code", "indicator", "period")
    assert [(row[0], row[2], row[5]) for row in rows[1:]] == [
        ("IND-PUB", "2023", 12),  # a period is written as its label, never as a date
        ("IND-PUB", "2024", 15),
    ]
    other = read_csv(client_for(coordinator_b).get("/en/exports/indicator-values.csv", {"indicator": "IND-CONF"}))
    assert [(row[0], row[2], Decimal(row[5])) for row in other[1:]] == [("IND-CONF", "2023", Decimal("7"))]
    assert Measurement.objects.count() == 4
    refused = client_for(viewer_a).get("/en/exports/indicator-values.csv", {"indicator": "IND-CONF"})
    assert refused.status_code == 400  # an indicator the reader may not see is not a valid choice
