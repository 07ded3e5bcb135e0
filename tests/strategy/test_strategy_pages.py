import datetime
import re

from masar.core.models import Classification
from masar.core.services import model_create
from masar.strategy.models import Phase, Strategy
from tests.html import without_isolates
from tests.portfolio.factories import make_project


def test_the_strategy_page_shows_axes_programs_and_the_projects_the_reader_may_see(
    program, axis, sub_program, ministry_a, client_for, viewer_a
):
    make_project("P-1", ministry_a, axis, program=sub_program)
    make_project("P-2", ministry_a, axis, classification=Classification.RESTRICTED)
    public = without_isolates(client_for(None).get(f"/en/strategies/{program.pk}/").content.decode())
    assert "التحول الرقمي للإدارة" in public and "الخدمات عن بعد" in public
    assert re.search(r'class="axis-projects">1 project<', public)
    assert "planned: 99" in public
    signed_in = client_for(viewer_a).get(f"/en/strategies/{program.pk}/").content.decode()
    assert re.search(r'class="axis-projects">2 projects<', signed_in)


def test_phases_are_drawn_on_a_timeline_with_logical_offsets(program, client_for):
    model_create(
        model=Phase,
        actor=None,
        data=dict(
            strategy=program,
            order=1,
            name_ar="المرحلة التأسيسية",
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
        ),
    )
    model_create(
        model=Phase,
        actor=None,
        data=dict(
            strategy=program,
            order=2,
            name_ar="المرحلة الثانية",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 12, 31),
        ),
    )
    body = client_for(None).get(f"/ar/strategies/{program.pk}/").content.decode()
    offsets = re.findall(r'data-at="([\d.]+)" data-size="([\d.]+)"', body)
    assert offsets[0][0] == "0.00" and 49 < float(offsets[1][0]) < 51
    assert "left:" not in body and "right:" not in body


def test_a_restricted_strategy_is_a_404_for_anonymous_visitors(ministry_a, client_for, viewer_a):
    strategy = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="strategy",
            code="S-R",
            name_ar="استراتيجية داخلية",
            owner=ministry_a,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 1, 1),
            classification=Classification.RESTRICTED,
        ),
    )
    assert client_for(None).get(f"/ar/strategies/{strategy.pk}/").status_code == 404
    assert "استراتيجية داخلية" not in client_for(None).get("/ar/strategies/").content.decode()
    assert "استراتيجية داخلية" not in client_for(None).get("/ar/").content.decode()
    assert client_for(viewer_a).get(f"/ar/strategies/{strategy.pk}/").status_code == 200
