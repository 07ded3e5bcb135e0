"""The leak crawl over the services catalogue and the public portal.

A restricted and a confidential service, a comment waiting for moderation, a rejected one, a complaint with its
contact: every page reachable by links from the portal and from the catalogue is read as each kind of reader,
plus the pages typed by address and the API. The public meets no restricted service and no unmoderated comment;
nobody but the people who answer a service (and inspectors) meets a complaint; nobody at all meets a contact
outside the complaint's own page.
"""

import pytest

from masar.catalogue.models import CommentStatus, Feedback, FeedbackKind, Rating, Service
from masar.core.models import Classification
from tests.catalogue.factories import make_feedback, make_project_link, make_rating, make_service
from tests.html import crawl, read_body
from tests.portfolio.factories import make_project

CONTACT = "citizen-CONTACTMARK@example.org"
COMPLAINT = "شكوى-سرية-FEEDBACKMARK"


@pytest.fixture
def voiced_world(ministry_a, ministry_b, axis):
    public = make_service(ministry_a, code="SRV-PUBL", name_ar="خدمة-عمومية-PUBL", level=3)
    make_service(ministry_a, code="SRV-RSTR", name_ar="خدمة-محدودة-RSTR", classification=Classification.RESTRICTED)
    make_service(ministry_a, code="SRV-CONFA", name_ar="خدمة-مكتومة-CONFA", classification=Classification.CONFIDENTIAL)
    make_rating(public, 5, "تعليق-منشور-SHOWN", status=CommentStatus.APPROVED)
    make_rating(public, 1, "تعليق-ينتظر-PENDINGMARK")
    make_rating(public, 2, "تعليق-مرفوض-REJECTEDMARK", status=CommentStatus.REJECTED)
    make_feedback(public, FeedbackKind.COMPLAINT, COMPLAINT, contact=CONTACT)
    hidden_project = make_project(
        "P-CONF-B", ministry_b, axis, name_ar="مشروع-مكتوم-CONFB", classification=Classification.CONFIDENTIAL
    )
    make_project_link(public, hidden_project, 4)
    make_project_link(public, make_project("P-PUBL", ministry_a, axis, name_ar="مشروع-عمومي-PUBL"), 4)
    return public


def _any_body(response):
    """Return what an answer shows, whatever its status (a refusal must not name what it refuses either)."""
    if response.status_code == 200:
        return read_body(response)
    return response.content.decode("utf-8", "replace")


def _pages(client):
    pages = crawl(client, start="/ar/portal/", within="/ar/portal/")
    pages.update(crawl(client, start="/ar/services/", within="/ar/services/"))
    for service in Service.objects.all():
        for url in (f"/ar/portal/services/{service.pk}/", f"/fr/services/{service.pk}/"):
            pages[url] = _any_body(client.get(url))
    for feedback in Feedback.objects.all():
        pages[f"/ar/services/feedback/{feedback.pk}/"] = _any_body(client.get(f"/ar/services/feedback/{feedback.pk}/"))
    pages["/api/v1/services/"] = _any_body(client.get("/api/v1/services/"))
    return pages


def _assert_absent(pages, markers):
    for url, body in pages.items():
        for marker in markers:
            assert marker not in body, f"{marker} leaked on {url}"


def test_an_anonymous_visitor_meets_only_public_services_and_moderated_comments(voiced_world, client_for):
    pages = _pages(client_for(None))
    assert any("خدمة-عمومية-PUBL" in body for body in pages.values())  # positive controls
    assert any("تعليق-منشور-SHOWN" in body for body in pages.values())
    assert any("مشروع-عمومي-PUBL" in body for body in pages.values())
    _assert_absent(pages, ("RSTR", "CONFA", "CONFB", "PENDINGMARK", "REJECTEDMARK", "FEEDBACKMARK", "CONTACTMARK"))


def test_a_viewer_of_the_owning_ministry_reads_services_but_no_complaint_and_no_pending_comment(
    voiced_world, client_for, viewer_a
):
    pages = _pages(client_for(viewer_a))
    assert any("خدمة-محدودة-RSTR" in body for body in pages.values())
    assert any("خدمة-مكتومة-CONFA" in body for body in pages.values())  # its own ministry's line
    _assert_absent(pages, ("CONFB", "PENDINGMARK", "REJECTEDMARK", "FEEDBACKMARK", "CONTACTMARK"))


def test_another_ministry_reads_neither_the_confidential_service_nor_the_citizens_voice(
    voiced_world, client_for, coordinator_b
):
    pages = _pages(client_for(coordinator_b))
    assert any("خدمة-محدودة-RSTR" in body for body in pages.values())
    _assert_absent(pages, ("CONFA", "PENDINGMARK", "REJECTEDMARK", "FEEDBACKMARK", "CONTACTMARK"))


def test_the_owner_reads_the_complaint_and_its_contact_only_on_its_own_page(voiced_world, client_for, coordinator_a):
    pages = _pages(client_for(coordinator_a))
    feedback = Feedback.objects.get()
    own_page = f"/ar/services/feedback/{feedback.pk}/"
    assert CONTACT in pages[own_page] and COMPLAINT in pages[own_page]
    assert any("PENDINGMARK" in body for body in pages.values())  # the moderation queue
    _assert_absent({url: body for url, body in pages.items() if url != own_page}, ("CONTACTMARK",))
    _assert_absent(pages, ("CONFB",))


def test_a_closed_complaint_keeps_no_contact_anywhere(voiced_world, client_for, coordinator_a):
    from masar.catalogue.voice import feedback_close

    feedback = Feedback.objects.get()
    feedback_close(actor=coordinator_a, feedback=feedback, version=feedback.version)
    assert Feedback.objects.filter(contact="").count() == 1
    pages = _pages(client_for(coordinator_a))
    assert any("FEEDBACKMARK" in body for body in pages.values())
    _assert_absent(pages, ("CONTACTMARK",))
    assert Rating.objects.count() == 3
