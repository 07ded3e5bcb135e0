"""Indicator pages: what each reader sees, what each user may do, and what the page shows."""

import datetime
import json
import re
from decimal import Decimal

import pytest

from masar.core.models import Classification
from masar.indicators.models import Measurement, MeasurementStatus
from masar.indicators.services import measurement_record
from tests.decisions.factories import make_decision, make_meeting
from tests.html import field_error, without_isolates
from tests.indicators.factories import add_target, approved, entry, make_indicator, set_baseline, year
from tests.portfolio.factories import make_project

VALUES = {2021: (50, 40, 30), 2022: (60, 45, 35), 2023: (70, 48, 40), 2024: (80, 52, 44)}
WEIGHTS = (1000, 900, 300)


@pytest.fixture
def filled_coverage(coverage, regions, coordinator_a, national):
    for y, values in VALUES.items():
        for region, value, weight in zip(("tunis", "sfax", "gafsa"), values, WEIGHTS, strict=True):
            approved(
                coverage, year(y), value, region=regions[region], weight=weight, by=coordinator_a, approver=national
            )
    return coverage


@pytest.fixture
def confidential(ministry_a):
    indicator = make_indicator(
        "IND-CONF", ministry_a, name_ar="مؤشر-مكتوم-CONF", classification=Classification.CONFIDENTIAL
    )
    set_baseline(indicator, datetime.date(2020, 1, 1), 5)
    return indicator


@pytest.fixture
def restricted(ministry_a):
    return make_indicator("IND-RSTR", ministry_a, name_ar="مؤشر-محدود-RSTR", classification=Classification.RESTRICTED)


def weighted(y):
    return sum(v * w for v, w in zip(VALUES[y], WEIGHTS, strict=True)) / sum(WEIGHTS)


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_list_shows_each_reader_the_indicators_they_may_see(
    coverage, confidential, restricted, client_for, viewer_a, coordinator_b
):
    def codes(user):
        return set(re.findall(r'class="code">(IND-[A-Z]+)<', client_for(user).get("/ar/indicators/").content.decode()))

    assert codes(None) == {"IND-COV"}
    assert codes(viewer_a) == {"IND-COV", "IND-CONF", "IND-RSTR"}
    assert codes(coordinator_b) == {"IND-COV", "IND-RSTR"}


def test_the_indicator_page_is_a_404_for_readers_who_may_not_see_it(
    confidential, restricted, client_for, coordinator_a, viewer_a, coordinator_b
):
    url = f"/ar/indicators/{confidential.pk}/"
    assert client_for(coordinator_a).get(url).status_code == 200
    assert client_for(viewer_a).get(url).status_code == 200
    assert client_for(coordinator_b).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(None).get(f"/ar/indicators/{restricted.pk}/").status_code == 404
    assert client_for(coordinator_b).get(f"/ar/indicators/{restricted.pk}/").status_code == 200
    assert client_for(None).get(f"/ar/indicators/{confidential.pk}/upload/template.xlsx").status_code == 404
    assert client_for(None).get("/ar/indicators/999999/").status_code == 404


def test_the_page_shows_baseline_targets_values_forecast_and_regions(filled_coverage, client_for, viewer_a):
    response = client_for(viewer_a).get(f"/en/indicators/{filled_coverage.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    text = text_of(response)
    figures = {
        name: re.sub(r"<[^>]+>", " ", re.search(rf'id="{name}">(.*?)</div>', body, re.S).group(1))
        for name in ("latest-value", "expected-value", "baseline-value", "target-value", "forecast-value")
    }
    # A percentage indicator shows its values with one decimal.
    assert f" {weighted(2024):.1f} " in figures["latest-value"] and "(2024)" in figures["latest-value"]
    # 2020 → 2026 from 40 to 90: the trajectory expects 40 + 50 × 4/6 in 2024.
    assert f" {40 + 50 * 4 / 6:.1f} " in figures["expected-value"]
    assert " 40.0 " in figures["baseline-value"] and " 90.0 " in figures["target-value"]
    assert "2026" in figures["target-value"]
    assert re.search(r"\d", figures["forecast-value"])
    breakdown = body[body.index('id="breakdown"') : body.index("</table>", body.index('id="breakdown"'))]
    rows = re.findall(r'dir="ltr">(TN-\d\d)</span></td><td class="num">([^<]*)</td>', without_isolates(breakdown))
    assert rows == [("TN-11", "80.0"), ("TN-61", "52.0"), ("TN-71", "44.0")]
    assert "From the trend of the last 4 values" in text
    spec = json.loads(
        re.search(r'<script id="indicator-chart-spec" type="application/json">(.*?)</script>', body, re.S).group(1)
    )
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks.count("area") == 3 and "point" in marks and "line" in marks  # two bands and the forecast interval
    actual = next(
        layer for layer in spec["layer"] if layer["mark"]["type"] == "line" and layer["mark"]["color"] == "#0d5c63"
    )
    rows = spec["datasets"][actual["data"]["name"]]
    assert [round(row["value"], 4) for row in rows] == [round(weighted(y), 4) for y in VALUES]


def test_the_page_is_right_to_left_in_arabic_and_loads_the_local_chart_bundle(filled_coverage, client_for):
    body = client_for(None).get(f"/ar/indicators/{filled_coverage.pk}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    bundle = re.search(r'<script type="module" src="(/ar/indicators/assets/vega-[^"]+\.js)"', body).group(1)
    assert "http" not in bundle
    options = json.loads(
        re.search(r'<script id="chart-options" type="application/json">(.*?)</script>', body, re.S).group(1)
    )
    assert options["timeFormatLocale"]["months"][0] == "جانفي"  # the time axis speaks Tunisian Arabic (ar_TN)


def test_the_chart_bundle_is_served_locally_with_long_caching(client, db):
    from masar.indicators.views import vega_version

    url = f"/en/indicators/assets/vega-{vega_version()}.js"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and response["Content-Type"].startswith("text/javascript")
    plain = client.get(url)
    assert b"vegaEmbed" in plain.content
    assert client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    assert client.get("/en/indicators/assets/vega-0.0.1.js").status_code == 404


def test_the_history_says_who_entered_and_approved_and_hides_drafts_from_readers(
    filled_coverage, regions, client_for, coordinator_a, viewer_a, coordinator_b
):
    measurement_record(
        actor=coordinator_a,
        indicator=filled_coverage,
        entry=entry(year(2025), "87.123", region=regions["tunis"], weight=1000),
    )
    writer = client_for(coordinator_a).get(f"/en/indicators/{filled_coverage.pk}/").content.decode()
    history = without_isolates(writer[writer.index('id="history-table"') :])
    # The draft shows as a percentage does, with one decimal.
    assert '<td class="num">87.1</td>' in history and "coord_a" in history and "national" in history
    for reader in (viewer_a, coordinator_b, None):
        body = client_for(reader).get(f"/en/indicators/{filled_coverage.pk}/").content.decode()
        assert "87.1" not in body


def test_linked_records_show_only_what_the_reader_may_see(
    filled_coverage, ministry_b, axis, gov, client_for, coordinator_a, coordinator_b
):
    public_project = make_project("P-LINK", filled_coverage.owner, axis, name_ar="مشروع-مرتبط-عمومي")
    secret_project = make_project(
        "P-B-CONF", ministry_b, axis, name_ar="مشروع-مكتوم-CONFB", classification=Classification.CONFIDENTIAL
    )
    filled_coverage.projects.set([public_project, secret_project])
    filled_coverage.axes.set([axis])
    meeting = make_meeting(kind="stocktake", name_ar="اجتماع", body_ar="هيئة", owner=gov)
    decision = make_decision(meeting=meeting, text_ar="إحداث لوحات قيادة", responsible=filled_coverage.owner)
    decision.indicators.add(filled_coverage)
    for user, sees_secret in ((coordinator_a, False), (coordinator_b, True), (None, False)):
        body = client_for(user).get(f"/ar/indicators/{filled_coverage.pk}/").content.decode()
        links = body[body.index('id="links"') :]
        assert "مشروع-مرتبط-عمومي" in links and "إحداث لوحات قيادة" in links and axis.name_ar in links
        assert ("مشروع-مكتوم-CONFB" in links) is sees_secret


@pytest.mark.parametrize("page", ["values/new/", "upload/"])
def test_entry_pages_are_for_who_may_enter_values(
    services_online, confidential, client_for, page, coordinator_a, viewer_a, coordinator_b, manager_a
):
    url = f"/en/indicators/{services_online.pk}/{page}"
    assert client_for(coordinator_a).get(url).status_code == 200
    assert client_for(viewer_a).get(url).status_code == 403
    assert client_for(manager_a).get(url).status_code == 403
    assert client_for(coordinator_b).get(url).status_code == 403
    assert client_for(coordinator_b).get(f"/en/indicators/{confidential.pk}/{page}").status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_a_value_entered_by_form_with_eastern_arabic_digits_is_saved(services_online, client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        f"/ar/indicators/{services_online.pk}/values/new/", {"period": "٢٠٢٤", "value": "٤٢٠", "action": "submit"}
    )
    assert response.status_code == 302
    saved = Measurement.objects.get()
    assert (saved.period, saved.value, saved.status) == (year(2024), Decimal("420"), MeasurementStatus.SUBMITTED)


def test_a_refused_value_is_shown_next_to_its_field_in_the_users_language(coverage, regions, client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        f"/fr/indicators/{coverage.pk}/values/new/",
        {"period": "2024", "region": regions["tunis"].pk, "value": "140", "weight": "abc"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "n’est pas un nombre" in body or "n'est pas un nombre" in body
    response = client_for(coordinator_a).post(
        f"/en/indicators/{coverage.pk}/values/new/",
        {"period": "2024-13", "region": regions["tunis"].pk, "value": "50", "weight": "5"},
    )
    assert response.status_code == 400 and "is not a period of this indicator" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_approved_value_cannot_be_edited_through_the_page(filled_coverage, client_for, coordinator_a, national):
    value = Measurement.objects.filter(indicator=filled_coverage).first()
    for user in (coordinator_a, national):
        client = client_for(user)
        assert client.get(f"/en/indicators/values/{value.pk}/edit/").status_code == 409
        response = client.post(
            f"/en/indicators/values/{value.pk}/edit/",
            {"period": "2021", "region": value.region_id, "value": "1", "weight": "1", "version": value.version},
        )
        assert response.status_code == 409 and "its period is locked" in response.content.decode()
    assert Measurement.objects.get(pk=value.pk).value == value.value


def test_a_draft_is_edited_submitted_and_decided_through_the_pages(
    services_online, client_for, coordinator_a, national, viewer_a, coordinator_b
):
    value = measurement_record(actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 400))
    writer = client_for(coordinator_a)
    assert (
        writer.post(
            f"/en/indicators/values/{value.pk}/edit/",
            {"period": "2024", "value": "410", "version": 1, "action": "draft"},
        ).status_code
        == 302
    )
    for user in (viewer_a, coordinator_b):
        assert client_for(user).post(f"/en/indicators/values/{value.pk}/submit/").status_code == 404
    assert client_for(None).post(f"/en/indicators/values/{value.pk}/submit/").status_code == 302
    assert writer.post(f"/en/indicators/values/{value.pk}/submit/").status_code == 302
    assert Measurement.objects.get().status == MeasurementStatus.SUBMITTED
    # The submitter sees no approve button and cannot reject; the national unit can.
    assert writer.get(f"/en/indicators/values/{value.pk}/reject/").status_code == 403
    page = client_for(national).get(f"/en/indicators/{services_online.pk}/").content.decode()
    assert f"/en/indicators/values/{value.pk}/approve/" in page
    response = client_for(national).post(f"/en/indicators/values/{value.pk}/reject/", {"reason": "يرجى التثبت"})
    assert response.status_code == 302
    rejected = Measurement.objects.get()
    assert rejected.status == MeasurementStatus.REJECTED and rejected.rejection_reason == "يرجى التثبت"
    assert "يرجى التثبت" in writer.get(f"/en/indicators/values/{value.pk}/edit/").content.decode()


def test_the_review_queue_lists_what_the_user_may_decide(
    services_online, confidential, client_for, coordinator_a, national, viewer_a, coordinator_b
):
    mine = measurement_record(actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 400), submit=True)
    theirs = measurement_record(actor=national, indicator=confidential, entry=entry(year(2024), 4), submit=True)

    def queued(user):
        body = client_for(user).get("/en/indicators/review/").content.decode()
        return {pk for pk in (mine.pk, theirs.pk) if f"/values/{pk}/approve/" in body}

    assert queued(coordinator_a) == {theirs.pk}
    assert queued(national) == {mine.pk}
    assert queued(viewer_a) == set() and queued(coordinator_b) == set()
    assert client_for(None).get("/en/indicators/review/").status_code == 302


def test_a_second_approval_is_told_who_approved_first(services_online, client_for, coordinator_a, national, gov):
    from tests.accounts.factories import make_user

    other = make_user("national2", "national_admin", gov)
    value = measurement_record(
        actor=coordinator_a, indicator=services_online, entry=entry(year(2024), 400), submit=True
    )
    assert client_for(national).post(f"/en/indicators/values/{value.pk}/approve/").status_code == 302
    response = client_for(other).post(f"/en/indicators/values/{value.pk}/approve/", follow=True)
    assert "national already approved this value" in response.content.decode()
    assert Measurement.objects.get().decided_by == national


def test_regional_targets_judge_each_region(filled_coverage, regions, client_for):
    set_baseline(filled_coverage, datetime.date(2020, 1, 1), 70, region=regions["tunis"])
    add_target(filled_coverage, year(2026), 95, region=regions["tunis"])
    body = client_for(None).get(f"/en/indicators/{filled_coverage.pk}/").content.decode()
    breakdown = body[body.index('id="breakdown"') : body.index("</table>", body.index('id="breakdown"'))]
    tunis_row = next(row for row in breakdown.split("<tr>") if "TN-11" in row)
    # 2024 expects 70 + 25 × 4/6 ≈ 86.7 in Tunis (one decimal, a percentage); 80 falls short by 7.7 %: at risk.
    assert '<td class="num">86.7</td>' in without_isolates(tunis_row) and "judgement-at_risk" in tunis_row


def test_a_refused_value_sits_beside_its_field_and_the_page_goes_to_it(coverage, regions, client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        f"/en/indicators/{coverage.pk}/values/new/",
        {"period": "2024-13", "region": regions["tunis"].pk, "value": "50", "weight": "5"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "is not a period of this indicator" in field_error(body, "id_period")
    assert "/static/masar/forms.js" in body
    assert not Measurement.objects.exists()


def test_the_values_by_region_are_drawn_on_a_tile_map_in_the_readers_language(filled_coverage, client_for, viewer_a):
    body = client_for(viewer_a).get(f"/ar/indicators/{filled_coverage.pk}/").content.decode()
    section = body.split('id="breakdown-title"')[1].split('id="breakdown"')[0]
    svg = section.split("<svg")[1].split("</svg>")[0]
    tiles = re.findall(
        r"<title>([^:<]+): ([^<]+)</title>"
        r'<g transform="translate\((\d+) (\d+)\)" data-code="([^"]+)" data-shade="(\d)"',
        svg,
    )
    found = {code: (name, value, int(x), int(y), int(shade)) for name, value, x, y, code, shade in tiles}
    assert set(found) == {"TN-11", "TN-61", "TN-71"}
    assert found["TN-11"][0] == "تونس" and found["TN-61"][0] == "صفاقس"
    # The latest values (2024): the highest has the darkest shade, and every value is written.
    assert found["TN-11"][4] > found["TN-61"][4] >= found["TN-71"][4] >= 1
    assert all(re.search(r"\d", value) for _name, value, *_rest in found.values())
    # Tunis is north of Sfax, Gafsa west of Sfax: geography, not reading order.
    assert found["TN-11"][3] < found["TN-61"][3] and found["TN-71"][2] < found["TN-61"][2]
