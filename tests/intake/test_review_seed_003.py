"""Seed 003 against the demo: the council, its decisions and the program with its four axes are found in Masar,
and accepting the draft creates nothing that exists (only the library document holding the pasted text)."""

import io
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test.utils import override_settings

from masar.accounts.models import User
from masar.audit.models import AuditEntry
from masar.core.services import model_update
from masar.decisions.models import Decision, Meeting
from masar.demo.data.sample import REFERENCE_DATE
from masar.demo.services import demo_load
from masar.documents.models import Document, DocumentVersion
from masar.organizations.models import Mission, Organization
from masar.strategy.models import Axis, Phase, Program, Strategy
from tests.intake.factories import form_of

SEED = (Path(__file__).parent.parent / "fixtures" / "intake" / "seed_003.txt").read_text()
MODELS = [Organization, Mission, Strategy, Axis, Program, Phase, Meeting, Decision]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (about 45 s), rolled back afterwards."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher, transaction.atomic():
        demo_load(stdout=io.StringIO(), today=REFERENCE_DATE)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin(demo, db, client_for):
    return client_for(User.objects.get(username="admin"))


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_review_shows_the_council_its_decisions_and_the_program(admin):
    before = AuditEntry.objects.count()
    response = admin.post("/ar/intake/", {"text": SEED})
    assert response.status_code == 200
    page = response.content.decode()
    assert AuditEntry.objects.count() == before  # reading writes nothing
    assert 'id="part-decisions"' in page and 'id="part-strategy"' in page  # both parts
    assert 'value="مجلس وزاري"' in page
    meeting = Meeting.objects.get(source="seed 003")
    form = form_of(page)
    assert form["match-meeting"] == f"meeting:{meeting.pk}"
    assert form["decisions-0-name"] in set(meeting.decisions.values_list("text_ar", flat=True))
    program = Strategy.objects.get(code="TN-PTN-2526")
    assert form["match-strategy"] == f"strategy:{program.pk}"
    axes = [(form[f"axes-{i}-name"], form[f"axes-{i}-projects"]) for i in range(4)]
    assert [projects for _name, projects in axes] == ["99", "18", "12", "9"]
    assert [name for name, _projects in axes] == list(program.axes.values_list("name_ar", flat=True))
    assert [form[f"match-axes-{i}"] for i in range(4)] == [f"axis:{axis.pk}" for axis in program.axes.all()]
    assert (form["period-start"], form["period-end"]) == ("2025", "2026")
    assert (form["programs-0-start"], form["programs-0-end"]) == ("2026", "2030")
    vision = Strategy.objects.get(code="TN-VISION-2030")
    assert form["match-programs-0"] == f"strategy:{vision.pk}"  # the vision is a strategy of its own in Masar
    assert '<mark data-path="axes.0.projects">99</mark>' in page


def test_accepting_seed_003_creates_nothing_that_exists(admin):
    form = form_of(admin.post("/ar/intake/", {"text": SEED}).content.decode())
    counts, documents, versions = _counts(), Document.objects.count(), DocumentVersion.objects.count()
    before = AuditEntry.objects.count()
    response = admin.post("/ar/intake/accept/", form)
    assert response.status_code == 302
    # Only "accepted": no note that the vision's years are lost (the vision is a strategy with its period).
    assert [message.level_tag for message in get_messages(response.wsgi_request)] == ["success"]
    assert _counts() == counts
    # The demo's library holds document 003 already: it is linked to, never copied.
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (documents, versions)
    document = Document.objects.get(title="بلاغ المجلس الوزاري لمتابعة تقدم مشاريع التحول الرقمي")
    assert document.text.split() == SEED.split()
    program, vision = Strategy.objects.get(code="TN-PTN-2526"), Strategy.objects.get(code="TN-VISION-2030")
    assert set(document.strategies.all()) == {program, vision}
    assert list(document.meetings.all()) == [Meeting.objects.get(source="seed 003")]
    listed = [value for key, value in form.items() if key.startswith("decisions-") and key.endswith("-name") and value]
    assert listed and document.decisions.count() == len(listed)
    # The only write is the document's new links, in the audit trail.
    written = AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[: AuditEntry.objects.count() - before]
    assert [entry.content_type.model for entry in written] == ["document"]


def test_a_program_changed_since_the_review_refuses_acceptance_as_stale(admin):
    form = form_of(admin.post("/ar/intake/", {"text": SEED}).content.decode())
    program = Strategy.objects.get(code="TN-PTN-2526")
    model_update(instance=program, actor=None, data={"name_en": "Renamed meanwhile"}, expected_version=program.version)
    documents, before = Document.objects.count(), AuditEntry.objects.count()
    response = admin.post("/ar/intake/accept/", form)
    assert response.status_code == 409
    assert (Document.objects.count(), AuditEntry.objects.count()) == (documents, before)


def test_the_review_of_seed_003_reads_each_kind_of_record_once(admin, django_assert_max_num_queries):
    # Measured: 13 (session, user, the inbox count, the organizations for matching and for the list of the
    # responsible, strategies, meetings, the program's axes and programs ...); 24 when each of the 7 decisions and
    # 4 axes read the organizations or the axes again.
    with django_assert_max_num_queries(14):
        response = admin.post("/ar/intake/", {"text": SEED})
    assert response.status_code == 200
    assert 'id="part-decisions"' in response.content.decode()  # positive control: the decisions were matched
