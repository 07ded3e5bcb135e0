"""The review page: a text read beside its draft, names matched, nothing written until a person accepts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masar.audit.models import AuditEntry
from masar.core.models import Classification
from masar.core.services import model_create
from masar.documents.models import Document, DocumentKind
from masar.documents.services import document_create
from masar.intake import MAX_CHARS
from masar.organizations.models import Mission, Organization, OrganizationKind
from masar.organizations.services import organization_create
from masar.strategy.models import Strategy
from tests.intake.factories import form_of, options_of

MANDATE = """تتولى وزارة الرقمنة والابتكار المهام التالية:
- وضع الإستراتيجية الوطنية للرقمنة والسهر على تنفيذها،
- تطوير البنية التحتية الرقمية بالتنسيق مع الأطراف المعنية،
- تعزيز الثقة الرقمية في التعاملات الإفتراضية."""


def _mandate_in_library(actor, organization):
    """Put the mandate in the document library, as a ministry's archive holds it."""
    return document_create(
        actor=actor,
        title="مرسوم المهام",
        kind=DocumentKind.MANDATE,
        classification=Classification.PUBLIC,
        organization=organization,
        text=MANDATE,
    )[0]


def _audit_count():
    return AuditEntry.objects.count()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/ar/intake/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    posted = client.post("/ar/intake/accept/", {"text": MANDATE})
    assert posted.status_code == 302 and "/accounts/login/" in posted["Location"]


def test_the_review_page_shows_the_draft_beside_its_text_and_writes_nothing(client_for, national):
    before = _audit_count()
    response = client_for(national).post("/ar/intake/", {"text": MANDATE})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<mark data-path="organization">وزارة الرقمنة والابتكار</mark>' in page
    assert '<mark data-path="missions.0">وضع الإستراتيجية الوطنية للرقمنة والسهر على تنفيذها</mark>' in page
    assert 'value="وزارة الرقمنة والابتكار"' in page
    assert '<option value="new" selected>' in page  # nothing matches: a new record is proposed
    assert _audit_count() == before
    assert not Organization.objects.filter(name_ar="وزارة الرقمنة والابتكار").exists()


def test_accepting_a_mandate_creates_the_organization_and_its_missions_once(client_for, national):
    client = client_for(national)
    page = client.post("/ar/intake/", {"text": MANDATE}).content.decode()
    form = form_of(page)
    assert form["match-organization"] == "new"
    documents = Document.objects.count()
    before = _audit_count()
    response = client.post("/ar/intake/accept/", form)
    assert response.status_code == 302
    organization = Organization.objects.get(name_ar="وزارة الرقمنة والابتكار")
    assert organization.kind == OrganizationKind.MINISTRY
    assert list(organization.missions.values_list("text_ar", flat=True)) == [
        "وضع الإستراتيجية الوطنية للرقمنة والسهر على تنفيذها",
        "تطوير البنية التحتية الرقمية بالتنسيق مع الأطراف المعنية",
        "تعزيز الثقة الرقمية في التعاملات الإفتراضية",
    ]
    document = Document.objects.get(organizations=organization)
    assert document.text == MANDATE and document.kind == DocumentKind.MANDATE
    assert Document.objects.count() == documents + 1
    # Every write is in the audit trail: the organization, its three missions, the document and its version.
    written = AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[: _audit_count() - before]
    assert {entry.content_type.model for entry in written} >= {"organization", "mission", "document", "documentversion"}
    assert AuditEntry.objects.for_object(organization).exists()
    assert all(AuditEntry.objects.for_object(mission).exists() for mission in organization.missions.all())
    # Read again: the organization is now matched, and accepting creates no organization and no mission.
    again = form_of(client.post("/ar/intake/", {"text": MANDATE}).content.decode())
    assert again["match-organization"] == f"organization:{organization.pk}"
    missions, organizations = Mission.objects.count(), Organization.objects.count()
    assert client.post("/ar/intake/accept/", again).status_code == 302
    assert (Mission.objects.count(), Organization.objects.count()) == (missions, organizations)


def test_a_name_matching_two_organizations_waits_for_the_reviewers_choice(client_for, national, gov, ministry_a):
    twin = organization_create(
        actor=None, parent=ministry_a, kind=OrganizationKind.BODY, code="TWIN", name_ar="وزارة تكنولوجيات الاتصال"
    )
    text = "تتولى وزارة تكنولوجيات الاتصال المهام التالية:\n- تطوير الشبكات الوطنية،\n- تأمين الفضاء السيبرني."
    client = client_for(national)
    page = client.post("/ar/intake/", {"text": text}).content.decode()
    assert '<select name="match-organization" aria-invalid="true" aria-describedby="match-organization-help">' in page
    assert set(options_of(page, "match-organization")) >= {f"organization:{ministry_a.pk}", f"organization:{twin.pk}"}
    form = form_of(page)
    assert form["match-organization"] == ""  # no default chosen
    missions, before = Mission.objects.count(), _audit_count()
    refused = client.post("/en/intake/accept/", form)
    assert refused.status_code == 400
    assert "Choose which record “وزارة تكنولوجيات الاتصال” is" in refused.content.decode()
    assert (Mission.objects.count(), _audit_count()) == (missions, before)
    chosen = {**form, "match-organization": f"organization:{twin.pk}"}
    assert client.post("/ar/intake/accept/", chosen).status_code == 302
    assert list(twin.missions.values_list("text_ar", flat=True)) == ["تطوير الشبكات الوطنية", "تأمين الفضاء السيبرني"]
    assert not ministry_a.missions.exists()


def test_a_reader_of_another_ministry_is_not_offered_a_confidential_strategy(
    client_for, ministry_a, coordinator_a, coordinator_b
):
    secret_plan = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="strategy",
            code="CONF-A",
            name_ar="الاستراتيجية الوطنية للأمن الرقمي",
            owner=ministry_a,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2030, 12, 31),
            classification=Classification.CONFIDENTIAL,
        ),
    )
    text = "تمتد الاستراتيجية الوطنية للأمن الرقمي من 2025 إلى 2030 وتتضمن ثلاثة محاور و12 مشروعا."
    key = f"strategy:{secret_plan.pk}"
    own = client_for(coordinator_a).post("/ar/intake/", {"text": text}).content.decode()
    assert key in options_of(own, "match-strategy")  # positive control: its own ministry is offered it
    other = client_for(coordinator_b).post("/ar/intake/", {"text": text})
    assert other.status_code == 200
    assert key not in other.content.decode()
    # Posting its id anyway is refused and writes nothing.
    form = {**form_of(other.content.decode()), "match-strategy": key}
    before = _audit_count()
    refused = client_for(coordinator_b).post("/ar/intake/accept/", form)
    assert refused.status_code == 400 and _audit_count() == before


def test_a_scanned_pdf_gets_the_plain_message(client_for, coordinator_a, ministry_a):
    scan = document_create(
        actor=coordinator_a,
        title="مرسوم ممسوح",
        kind=DocumentKind.LAW,
        classification=Classification.RESTRICTED,
        organization=ministry_a,
        upload=SimpleUploadedFile("scan.pdf", _blank_pdf(), content_type="application/pdf"),
    )[0]
    assert scan.lacks_text_layer
    response = client_for(coordinator_a).get(f"/en/intake/?document={scan.pk}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This document is a scanned PDF without a text layer: Masar cannot read it." in page
    assert 'name="text"' in page  # the paste box is offered


def _blank_pdf():
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_library_document_is_read_and_accepting_links_to_it(client_for, national, ministry_a):
    document = _mandate_in_library(national, ministry_a)
    client = client_for(national)
    page = client.get(f"/ar/intake/?document={document.pk}").content.decode()
    assert '<mark data-path="organization">' in page
    documents = Document.objects.count()
    assert client.post("/ar/intake/accept/", form_of(page)).status_code == 302
    assert Document.objects.count() == documents  # no second copy of the text
    organization = Organization.objects.get(name_ar="وزارة الرقمنة والابتكار")
    assert list(document.organizations.all()) == [organization]


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "The text is empty"), ("ا" * (MAX_CHARS + 1), str(MAX_CHARS))],
    ids=["empty", "too-long"],
)
def test_an_empty_or_too_long_text_is_refused_with_the_reason(client_for, national, text, message, settings):
    settings.LANGUAGE_CODE = "en"
    response = client_for(national).post("/en/intake/", {"text": text})
    assert response.status_code in (400, 413)
    assert message in response.content.decode().replace(",", "").replace("\u202f", "").replace("\xa0", "")


def test_the_page_escapes_a_script_in_the_text(client_for, national):
    text = MANDATE + "\n<script>alert('x')</script>"
    page = client_for(national).post("/ar/intake/", {"text": text}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_a_viewer_reads_texts_but_may_not_accept(client_for, viewer_a):
    client = client_for(viewer_a)
    page = client.post("/ar/intake/", {"text": MANDATE})
    assert page.status_code == 200
    before = _audit_count()
    refused = client.post("/ar/intake/accept/", form_of(page.content.decode()))
    assert refused.status_code == 403 and _audit_count() == before


def test_the_navigation_offers_reading_texts_to_civil_servants_only(client_for, viewer_a, db):
    assert 'href="/ar/intake/"' in client_for(viewer_a).get("/ar/documents/").content.decode()
    assert 'href="/ar/intake/"' not in client_for(None).get("/ar/documents/").content.decode()


def test_each_decision_shows_the_figures_it_names(client_for, national):
    text = (
        "اجتمع مجلس الوزراء يوم الأربعاء 3 كانون الثاني 2024، واتخذ القرارات التالية:\n"
        "1- صرف مبلغ 12 مليون دينار لدعم 35 مشروعا في البلديات.\n"
        "2- تكليف وزارة الاقتصاد الرقمي بإطلاق المنصة الوطنية.\n"
    )
    page = client_for(national).post("/ar/intake/", {"text": text}).content.decode()
    assert "<bdi>12 مليون دينار</bdi> · <bdi>35 مشروعا</bdi>" in page
    assert page.count("<bdi>12 مليون دينار</bdi>") == 1  # under its own decision only


def test_a_pasted_text_already_in_the_library_is_linked_never_copied(client_for, national, ministry_a):
    document = _mandate_in_library(national, ministry_a)
    client = client_for(national)
    pasted = MANDATE.replace("\n", "\r\n  ")  # as a browser sends it, spacing aside
    page = client.post("/ar/intake/", {"text": pasted}).content.decode()
    documents = Document.objects.count()
    response = client.post("/ar/intake/accept/", form_of(page))
    assert response.status_code == 302
    assert Document.objects.count() == documents
    assert response["Location"].endswith(f"/documents/{document.pk}/")
    organization = Organization.objects.get(name_ar="وزارة الرقمنة والابتكار")
    assert list(document.organizations.all()) == [organization]


def test_two_decrees_pasted_together_are_said_to_be_and_only_the_first_is_drafted(client_for, national, settings):
    settings.LANGUAGE_CODE = "en"
    second = "مرسوم رقم 2.20.55 بتحديد اختصاصات وزارة الصحة\nتتولى وزارة الصحة المهام التالية:\n- تنظيم المستشفيات؛\n"
    first = "مرسوم رقم 2.19.1086 بتحديد اختصاصات وزارة الرقمنة والابتكار\n" + MANDATE
    page = client_for(national).post("/en/intake/", {"text": first + "\n" + second}).content.decode()
    assert "The text holds 2 official texts: only the first was read" in page
    assert 'value="وزارة الرقمنة والابتكار"' in page
    assert "تنظيم المستشفيات</textarea>" not in page and 'value="تنظيم المستشفيات"' not in page
