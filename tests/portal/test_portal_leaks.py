"""Nothing the public may not read reaches a portal page: a restricted service, a project it may not read, a comment
not yet (or never) approved, and a complainant's contact. Every page reachable from the portal is read, in each
language; the public records beside them are the positive control."""

import datetime
import re

import pytest
from django.test import Client

from masar.catalogue.models import CommentStatus, DigitizationLevel, FeedbackKind, Rating
from masar.catalogue.voice import feedback_answer
from masar.core.models import Classification
from tests.catalogue.factories import make_feedback, make_project_link, make_rating
from tests.html import crawl
from tests.portfolio.factories import make_project

CONTACT = "leak.contact@example.org"
SECRETS = (
    "خدمة داخلية مقيدة",
    "Service interne restreint",
    "Restricted internal service",
    "PENDING-COMMENT",
    "REJECTED-COMMENT",
    "SECRET-COMMENT",
    "RESTRICTED-PROJECT",
    CONTACT,
)


@pytest.fixture
def voices(residence, secret_service, ministry_a, axis, coordinator_a):
    make_rating(residence, 5, "APPROVED-COMMENT تعليق منشور", status=CommentStatus.APPROVED)
    make_rating(residence, 2, "PENDING-COMMENT تعليق ينتظر")
    make_rating(residence, 1, "REJECTED-COMMENT", status=CommentStatus.REJECTED)
    # A rating of the restricted service (left from before it was restricted), its comment approved.
    Rating.objects.create(service=secret_service, score=1, comment="SECRET-COMMENT", comment_status="approved")
    feedback = make_feedback(residence, FeedbackKind.COMPLAINT, "Long queue", contact=CONTACT)
    feedback_answer(actor=coordinator_a, feedback=feedback, answer="ANSWER-SHOWN", version=feedback.version)
    public = make_project("PRJ-PUB", ministry_a, axis, name_en="PUBLIC-PROJECT", name_fr="PUBLIC-PROJECT")
    hidden = make_project(
        "PRJ-HID", ministry_a, axis, classification=Classification.RESTRICTED, name_ar="RESTRICTED-PROJECT"
    )
    make_project_link(residence, public, DigitizationLevel.PROACTIVE, datetime.date(2026, 6, 30))
    make_project_link(residence, hidden, DigitizationLevel.PROACTIVE)
    make_project_link(secret_service, public, DigitizationLevel.FULLY_ONLINE)
    return feedback


def portal_pages(client, feedback, residence, secret_service):
    pages = {}
    for lang in ("ar", "fr", "en"):
        pages |= crawl(client, start=f"/{lang}/portal/", within=f"/{lang}/portal/")
        for url in (
            f"/{lang}/portal/services/?q=خدمة+داخلية+مقيدة",
            f"/{lang}/portal/services/?q=Restricted+internal",
            f"/{lang}/portal/services/?q=SRV-SECRET",
            f"/{lang}/portal/track/?number={feedback.tracking_number}",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            pages[url] = response.content.decode()
    sent = client.post(
        f"/en/portal/services/{residence.pk}/feedback/",
        {"kind": FeedbackKind.COMPLAINT, "text": "Again", "contact": CONTACT},
        REMOTE_ADDR="192.0.2.1",
    )
    assert sent.status_code == 200
    pages["feedback sent"] = sent.content.decode()
    return pages


def test_no_portal_page_shows_a_restricted_service_an_unapproved_comment_a_hidden_project_or_a_contact(
    voices, residence, secret_service
):
    pages = portal_pages(Client(), voices, residence, secret_service)
    assert len(pages) > 20  # the home, the directory and its filters, the service, tracking, delivering...
    for url, body in pages.items():
        body = re.sub(r'<input[^>]*name="q"[^>]*>', "", body)  # the words the visitor typed, given back to them
        for secret in SECRETS:
            assert secret not in body, (secret, url)
        assert f"/portal/services/{secret_service.pk}/" not in body, url
    # Positive controls: the public service, its approved comment, its public project and the answer are shown.
    shown = "\n".join(pages.values())
    for public in ("شهادة إقامة", "Certificat de résidence", "Residence certificate"):
        assert public in shown
    service_page = pages[f"/en/portal/services/{residence.pk}/"]
    assert "APPROVED-COMMENT" in service_page and "PUBLIC-PROJECT" in service_page
    assert "ANSWER-SHOWN" in pages[f"/en/portal/track/?number={voices.tracking_number}"]
    assert "PUBLIC-PROJECT" in pages["/en/portal/delivering/"]


def test_the_restricted_service_page_is_not_found_for_everyone_signed_in_or_not(
    secret_service, client_for, coordinator_a, viewer_a, coordinator_b
):
    # The portal reads as the public whoever is signed in: its owner's coordinator reads it elsewhere.
    for who in (None, coordinator_a, viewer_a, coordinator_b):
        assert client_for(who).get(f"/en/portal/services/{secret_service.pk}/").status_code == 404
    assert client_for(None).get("/en/portal/services/999999/").status_code == 404


def test_the_figures_count_only_public_services_and_their_ratings(voices, residence, secret_service):
    home = Client().get("/en/portal/").content.decode()
    # One public service, rated 5, 2 and 1 (the restricted service's rating is not counted).
    assert 'class="value"><bdi>1</bdi></span><span class="label">public services' in home
    assert "average of <bdi>3</bdi> citizens' ratings" in home
    assert "<bdi>2.7</bdi> / 5" in home


def test_the_tracking_page_names_no_service_that_is_no_longer_public(residence, voices):
    from masar.catalogue.models import Service

    Service.objects.filter(pk=residence.pk).update(classification=Classification.RESTRICTED)
    body = Client().get("/en/portal/track/", {"number": voices.tracking_number}).content.decode()
    assert "ANSWER-SHOWN" in body  # the citizen still reads the answer to their request
    assert "Residence certificate" not in body and "A service no longer listed publicly" in body
