"""Evidence on updates, obstacles and decision follow-up: checked by content, read through the record's policy."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import translation

from masar.attachments.models import Attachment
from masar.attachments.services import AttachmentRefused, attachment_add
from masar.audit.models import Action, AuditEntry
from masar.core.models import Classification
from masar.decisions.models import ActionUpdate
from masar.delivery.models import ObstacleCategory, Severity
from masar.delivery.services import obstacles as obstacle_services
from masar.delivery.services import updates as update_services
from tests.attachments.factories import (
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    odt_bytes,
    plain_zip_bytes,
    upload,
    xlsx_bytes,
)
from tests.decisions.factories import make_decision, make_meeting
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are read in English here; their translations are checked by the catalogue tests."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def public_project(ministry_a, axis, manager_a):
    return make_project("P-PUB", ministry_a, axis, manager=manager_a, classification=Classification.PUBLIC)


@pytest.fixture
def confidential_project(ministry_a, axis, manager_a):
    return make_project("P-CONF", ministry_a, axis, manager=manager_a, classification=Classification.CONFIDENTIAL)


def obstacle_of(project, actor, **extra):
    data = dict(
        category=ObstacleCategory.FUNDING,
        severity=Severity.HIGH,
        description="الاعتمادات لم تصرف",
        must_act=project.owner,
    )
    data.update(extra)
    return obstacle_services.obstacle_report(project=project, actor=actor, **data)


def update_of(project, actor):
    return update_services.update_save(
        project=project,
        actor=actor,
        period=datetime.date(2026, 4, 1),
        percent_complete=Decimal("30"),
        spend_to_date=Decimal("1000"),
        declared_confidence="green",
        today=TODAY,
    )


def status_of(client, url):
    """Return the status of a GET, closing a download's file as a browser would once done."""
    response = client.get(url)
    if response.streaming:
        # Reading the download to its end lets the test client close it without closing the database
        # connection (a bare close() sends request_finished, which closes it on PostgreSQL).
        b"".join(response.streaming_content)
    return response.status_code


# The file's kind comes from its bytes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("rapport.pdf", PDF_BYTES, "application/pdf"),
        ("photo.PNG", PNG_BYTES, "image/png"),
        ("tableau.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("note.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_kinds_are_recognized_from_their_content(public_project, manager_a, name, data, content_type):
    obstacle = obstacle_of(public_project, manager_a)
    attachment = attachment_add(record=obstacle, actor=manager_a, upload=upload(name, data, "text/html"))
    assert attachment.content_type == content_type  # what the browser claimed is ignored
    assert attachment.original_name == name and attachment.size == len(data)
    assert name not in attachment.file.name and attachment.file.name.startswith("attachments/")
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rapport.pdf", HTML_BYTES, "is not a kind Masar accepts"),
        ("rapport.pdf", EXE_BYTES, "is not a kind Masar accepts"),
        ("archive.docx", plain_zip_bytes(), "is not a kind Masar accepts"),
        ("rapport.docx", PDF_BYTES, "does not match its content"),
        ("tableau.pdf", xlsx_bytes(), "does not match its content"),
        ("rapport", PDF_BYTES, "does not match its content"),
    ],
)
def test_a_file_whose_content_is_not_accepted_or_disagrees_with_its_name_is_refused(
    public_project, manager_a, name, data, message
):
    obstacle = obstacle_of(public_project, manager_a)
    with pytest.raises(AttachmentRefused) as refused:
        attachment_add(record=obstacle, actor=manager_a, upload=upload(name, data))
    assert message in str(refused.value.message)
    assert refused.value.errors[0][0] == "file"
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_kept(public_project, manager_a, settings, media):
    settings.ATTACHMENT_MAX_BYTES = len(PDF_BYTES)
    obstacle = obstacle_of(public_project, manager_a)
    attachment_add(record=obstacle, actor=manager_a, upload=upload("a.pdf", PDF_BYTES))  # at the limit: kept
    with pytest.raises(AttachmentRefused) as refused:
        attachment_add(record=obstacle, actor=manager_a, upload=upload("b.pdf", PDF_BYTES + b" "))
    assert "too large" in str(refused.value.message)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["a.pdf"]
    assert len(list((media / "attachments").iterdir())) == 1


def test_the_refusal_is_shown_on_the_page_in_the_readers_language(public_project, manager_a, client_for):
    obstacle = obstacle_of(public_project, manager_a)
    client = client_for(manager_a)
    response = client.post(
        f"/en/attachments/obstacle/{obstacle.pk}/new/", {"file": upload("x.pdf", HTML_BYTES)}, follow=True
    )
    assert "is not a kind Masar accepts" in response.content.decode()
    assert not Attachment.objects.exists()


# Who uploads ------------------------------------------------------------------------------------


def test_the_manager_uploads_on_the_obstacle_page_and_the_upload_is_audited(public_project, manager_a, client_for):
    obstacle = obstacle_of(public_project, manager_a)
    page = client_for(manager_a).get(f"/ar/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert f'action="/ar/attachments/obstacle/{obstacle.pk}/new/"' in page
    response = client_for(manager_a).post(
        f"/ar/attachments/obstacle/{obstacle.pk}/new/", {"file": upload("محضر.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302 and response["Location"] == f"/ar/delivery/obstacles/{obstacle.pk}/"
    attachment = Attachment.objects.get()
    assert attachment.obstacle == obstacle and attachment.uploaded_by == manager_a
    assert len(attachment.sha256) == 64
    entry = AuditEntry.objects.for_object(attachment).get()
    assert entry.action == Action.CREATE and entry.actor == manager_a
    assert entry.changes["original_name"] == [None, "محضر.pdf"]


def test_a_viewer_may_not_upload_nor_is_offered_to(public_project, manager_a, viewer_a, manager_b, client_for):
    update = update_of(public_project, manager_a)
    page = client_for(viewer_a).get(f"/en/delivery/updates/{update.pk}/")
    assert page.status_code == 404  # a draft is read by those who write it
    obstacle = obstacle_of(public_project, manager_a)
    page = client_for(viewer_a).get(f"/en/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert "/attachments/obstacle/" not in page
    for outsider in (viewer_a, manager_b):
        response = client_for(outsider).post(
            f"/en/attachments/obstacle/{obstacle.pk}/new/", {"file": upload("x.pdf", PDF_BYTES)}
        )
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            attachment_add(record=obstacle, actor=outsider, upload=upload("x.pdf", PDF_BYTES))
    assert not Attachment.objects.exists()
    attachment_add(record=obstacle, actor=manager_a, upload=upload("x.pdf", PDF_BYTES))
    assert Attachment.objects.count() == 1  # positive control


def test_the_update_page_lists_its_attachments_and_offers_an_upload_to_its_writer(
    public_project, manager_a, coordinator_a, client_for
):
    update = update_of(public_project, manager_a)
    attachment_add(record=update, actor=manager_a, upload=upload("preuve.png", PNG_BYTES))
    page = client_for(manager_a).get(f"/fr/delivery/updates/{update.pk}/").content.decode()
    assert "preuve.png" in page and f"/fr/attachments/update/{update.pk}/new/" in page
    update_services.update_submit(update=update, actor=manager_a, today=TODAY)
    update_services.update_approve(update=update, actor=coordinator_a, today=TODAY)
    page = client_for(manager_a).get(f"/fr/delivery/updates/{update.pk}/").content.decode()
    assert "preuve.png" in page and f"/attachments/update/{update.pk}/new/" not in page  # the period is locked


# Who downloads ----------------------------------------------------------------------------------


def test_a_confidential_projects_attachment_is_not_found_by_a_reader_of_another_ministry(
    confidential_project, manager_a, viewer_a, coordinator_b, client_for
):
    obstacle = obstacle_of(confidential_project, manager_a, classification=Classification.CONFIDENTIAL)
    attachment = attachment_add(record=obstacle, actor=manager_a, upload=upload("budget.pdf", PDF_BYTES))
    url = f"/en/attachments/{attachment.pk}/"
    assert status_of(client_for(manager_a), url) == 200
    assert status_of(client_for(viewer_a), url) == 200  # read only, inside the owning ministry
    assert status_of(client_for(coordinator_b), url) == 404
    assert status_of(client_for(None), url) == 404


def test_an_internal_obstacles_attachment_is_not_found_by_the_public_and_is_downloaded_by_the_coordinator(
    public_project, manager_a, coordinator_a, manager_b, client_for
):
    obstacle = obstacle_of(public_project, manager_a)
    assert obstacle.classification == Classification.RESTRICTED  # internal material
    attachment = attachment_add(record=obstacle, actor=manager_a, upload=upload("محضر جلسة.pdf", PDF_BYTES))
    url = f"/ar/attachments/{attachment.pk}/"
    assert status_of(client_for(None), url) == 404
    response = client_for(coordinator_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert status_of(client_for(manager_b), url) == 200  # restricted: every civil servant reads it


def test_an_attachment_follows_its_record_when_the_record_is_raised(public_project, manager_a, national, manager_b):
    obstacle = obstacle_of(public_project, manager_a)
    attachment = attachment_add(record=obstacle, actor=manager_a, upload=upload("a.pdf", PDF_BYTES))
    assert Attachment.objects.visible_to(manager_b).filter(pk=attachment.pk).exists()
    obstacle_services.obstacle_update(
        obstacle=obstacle,
        actor=national,
        expected_version=obstacle.version,
        classification=Classification.CONFIDENTIAL,
    )
    assert not Attachment.objects.visible_to(manager_b).filter(pk=attachment.pk).exists()
    assert Attachment.objects.visible_to(manager_a).filter(pk=attachment.pk).exists()


def test_the_media_url_does_not_serve_attachments(public_project, manager_a, client_for):
    obstacle = obstacle_of(public_project, manager_a)
    attachment = attachment_add(record=obstacle, actor=manager_a, upload=upload("a.pdf", PDF_BYTES))
    assert client_for(manager_a).get("/" + attachment.file.name).status_code == 404


# Decision follow-up -----------------------------------------------------------------------------


@pytest.fixture
def decision(gov, ministry_a):
    meeting = make_meeting(owner=gov)
    return make_decision(meeting=meeting, responsible=ministry_a, due_date=TODAY)


def test_the_follow_up_form_carries_evidence_with_the_action_taken(
    decision, coordinator_a, viewer_a, coordinator_b, client_for
):
    url = f"/en/meetings/decisions/{decision.pk}/actions/"
    form = {"reported_on": "2026-05-01", "text": "تم إصدار المنشور"}
    page = client_for(coordinator_a).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert 'name="evidence"' in page and 'enctype="multipart/form-data"' in page
    client_for(coordinator_a).post(url, {**form, "evidence": upload("circulaire.pdf", PDF_BYTES)})
    action = ActionUpdate.objects.get()
    attachment = Attachment.objects.get(action_update=action)
    assert AuditEntry.objects.for_object(attachment).exists()
    page = client_for(viewer_a).get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert f"/en/attachments/{attachment.pk}/" in page and "circulaire.pdf" in page
    assert status_of(client_for(viewer_a), f"/en/attachments/{attachment.pk}/") == 200
    for outsider in (viewer_a, coordinator_b):
        with pytest.raises(PermissionDenied):
            attachment_add(record=action, actor=outsider, upload=upload("x.pdf", PDF_BYTES))
    assert Attachment.objects.count() == 1


def test_refused_evidence_leaves_no_action_taken_recorded(decision, coordinator_a, client_for):
    url = f"/en/meetings/decisions/{decision.pk}/actions/"
    response = client_for(coordinator_a).post(
        url, {"reported_on": "2026-05-01", "text": "x", "evidence": upload("a.pdf", HTML_BYTES)}, follow=True
    )
    assert "is not a kind Masar accepts" in response.content.decode()
    assert not ActionUpdate.objects.exists() and not Attachment.objects.exists()


def test_an_office_zip_bomb_is_refused_and_nothing_is_kept(public_project, manager_a, media):
    from tests.core import hostile

    obstacle = obstacle_of(public_project, manager_a)
    with pytest.raises(AttachmentRefused) as refused:
        attachment_add(record=obstacle, actor=manager_a, upload=upload("bomb.xlsx", hostile.zip_bomb_workbook()))
    assert "zip bomb" in str(refused.value.message)
    assert not Attachment.objects.exists()
    workbook = hostile.table_workbook(["period", "value"], [["2024-01", 1]])
    attachment_add(record=obstacle, actor=manager_a, upload=upload("ok.xlsx", workbook))  # positive control
    assert Attachment.objects.count() == 1
