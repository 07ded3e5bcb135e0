"""The organization responsible for each new decision: suggested when the decision names it, else typed from the
list of organizations (one datalist for the page, not a select of every organization under each decision)."""

import re

from masar.decisions.models import Decision, Meeting
from masar.organizations.models import Organization
from tests.intake.factories import form_of

COMMUNIQUE = """انعقد مجلس الوزراء يوم 12 مارس 2025 وقرر ما يلي:
- تكليف وزارة تكنولوجيات الاتصال بإعداد منصة وطنية للبيانات المفتوحة،
- إحداث لجنة وطنية لمتابعة مشاريع التحول الرقمي."""


def _datalist(page):
    found = re.search(r'<datalist id="intake-organizations">(.*?)</datalist>', page, re.S)
    return re.findall(r'<option value="([^"]*)">', found.group(1)) if found else []


def test_the_decision_naming_a_ministry_suggests_it_and_the_other_is_typed_from_the_list(
    client_for, national, ministry_a, ministry_b
):
    page = client_for(national).post("/ar/intake/", {"text": COMMUNIQUE}).content.decode()
    form = form_of(page)
    assert form["match-decisions-0"] == ministry_a.name_ar + " — " + ministry_a.parent.name_ar
    assert form["match-decisions-1"] == ""  # the decision names nobody: the reviewer types
    assert '<select name="match-decisions-' not in page
    assert page.count('list="intake-organizations"') == 4  # two decisions and the two blank rows
    listed = _datalist(page)
    assert len(listed) == Organization.objects.count() > 2
    assert ministry_b.name_ar + " — " + ministry_b.parent.name_ar in listed


def test_accepting_waits_for_a_responsible_organization_and_keeps_what_was_typed(
    client_for, national, ministry_a, ministry_b
):
    client = client_for(national)
    form = form_of(client.post("/ar/intake/", {"text": COMMUNIQUE}).content.decode())
    decisions, meetings = Decision.objects.count(), Meeting.objects.count()
    form["match-decisions-1"] = "وزارة لا وجود لها"
    refused = client.post("/ar/intake/accept/", form)
    assert refused.status_code == 400
    assert (Decision.objects.count(), Meeting.objects.count()) == (decisions, meetings)  # nothing written
    again = form_of(refused.content.decode())
    assert again["match-decisions-1"] == "وزارة لا وجود لها"  # as typed, to be corrected
    assert again["match-decisions-0"] == form["match-decisions-0"]

    again["match-decisions-1"] = "  وزارة الصحة — الحكومة "  # typed, with spaces around
    accepted = client.post("/ar/intake/accept/", again)
    assert accepted.status_code == 302
    created = {d.text_ar: d.responsible for d in Decision.objects.order_by("pk")[decisions:]}
    assert created == {
        "تكليف وزارة تكنولوجيات الاتصال بإعداد منصة وطنية للبيانات المفتوحة": ministry_a,
        "إحداث لجنة وطنية لمتابعة مشاريع التحول الرقمي": ministry_b,
    }
