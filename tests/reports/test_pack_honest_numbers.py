"""The council pack says what changed since the last council and the slip against the original plan."""

import datetime
import subprocess

import pytest
from django.utils import translation

from masar.core.models import Classification
from masar.decisions.models import MeetingKind
from masar.delivery.models import Confidence, ProjectRatingHistory
from masar.reports.models import CouncilPack
from masar.reports.services import pack_build, pack_context
from tests.decisions.factories import make_meeting
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def portfolio(gov, ministry_a, axis):
    make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, owner=gov, name_fr="Conseil", date=datetime.date(2026, 3, 12))
    turned_red = make_project("P-RED", ministry_a, axis, name_fr="Identite numerique")
    steady = make_project("P-AMB", ministry_a, axis, name_fr="Guichet unique")
    ProjectRatingHistory.objects.create(project=turned_red, month=datetime.date(2026, 2, 1), computed=Confidence.AMBER)
    ProjectRatingHistory.objects.create(project=steady, month=datetime.date(2026, 2, 1), computed=Confidence.AMBER)
    make_health(turned_red, Confidence.RED, original_slip_days=61, rebaselines=1)
    make_health(steady, Confidence.AMBER)
    return turned_red


def test_the_pack_names_what_changed_since_the_last_council(portfolio, national):
    pack = CouncilPack.objects.create(requested_by=national, language="fr", classification=Classification.RESTRICTED)
    with translation.override("fr"):
        context = pack_context(pack, today=datetime.date(2026, 5, 1))
    groups = {group.key: group for group in context["change_groups"]}
    assert groups["new_reds"].count == 1 and groups["new_reds"].items[0][0] == "Identite numerique"
    assert groups["recovered"].count == 0
    assert context["at_risk"][0]["project"].original_slip_days == 61


def test_the_pack_pdf_shows_the_changes_and_the_slip_against_the_original_plan(portfolio, national):
    pack = CouncilPack.objects.create(requested_by=national, language="en", classification=Classification.RESTRICTED)
    pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    text = subprocess.run(["pdftotext", pack.file.path, "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "What changed since the last council" in flat
    assert "Newly rated red · 1" in flat
    # pdftotext reorders a line mixing Arabic and Latin text: look for its parts.
    assert "slip against the original" in flat and "plan: 61 days" in flat and "re-baselined 1 time" in flat
