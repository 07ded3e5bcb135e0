"""The anonymous citizen's journey on the portal: find a service as people type it, read its level and rating, rate
it, file a complaint, get a tracking number, follow it, and read the owner's answer."""

from django.test import Client

from masar.catalogue.models import CommentStatus, Feedback, FeedbackKind, Rating
from masar.catalogue.voice import feedback_answer, feedback_close
from tests.html import without_isolates

ADDRESS = "203.0.113.7"


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return without_isolates(response.content.decode())


def test_a_citizen_finds_rates_complains_follows_and_reads_the_answer(residence, licence, coordinator_a):
    citizen = Client(REMOTE_ADDR=ADDRESS)
    detail = f"/en/portal/services/{residence.pk}/"
    # "شهاده اقامه": the taa marbuta typed as a haa and the hamza left out of إقامة, as people type it.
    found = page(citizen, "/ar/portal/services/", q="شهاده اقامه")
    assert f'href="/ar/portal/services/{residence.pk}/"' in found
    assert f'href="/ar/portal/services/{licence.pk}/"' not in found  # the search narrowed the list
    assert 'data-count="1"' in found

    before = page(citizen, detail)
    assert "Residence certificate" in before
    assert 'class="level level-4"' in before and "4 — Fully online, result delivered" in before
    assert "Not rated yet" in before

    thanked = citizen.post(f"{detail}rate/", {"score": "4", "comment": "Quick and clear."})
    assert thanked.status_code == 200
    body = thanked.content.decode()
    assert "Thank you: your rating is counted" in body
    assert "Quick and clear." not in body  # nothing the citizen wrote is echoed
    rating = Rating.objects.get(service=residence)
    assert (rating.score, rating.comment, rating.comment_status) == (4, "Quick and clear.", CommentStatus.PENDING)
    assert rating.language == "en"

    after = page(citizen, detail)
    assert "4 out of 5" in after and "(1 rating)" in after
    assert "Quick and clear." not in after  # shown only once a moderator has read it

    sent = citizen.post(
        f"{detail}feedback/",
        {"kind": FeedbackKind.COMPLAINT, "text": "The counter was closed on Tuesday.", "contact": "amal@example.org"},
    )
    assert sent.status_code == 200
    feedback = Feedback.objects.get(service=residence)
    body = sent.content.decode()
    assert feedback.tracking_number in body
    assert "amal@example.org" not in body and "The counter was closed" not in body
    assert feedback.contact == "amal@example.org"  # kept, to answer

    # Typed later in lower case, with a space instead of the dash, it still finds the request.
    typed = feedback.tracking_number.lower().replace("-", " ")
    tracked = page(citizen, "/en/portal/track/", number=typed)
    assert "Complaint" in tracked and "Received" in tracked and "Residence certificate" in tracked
    assert "No answer yet" in tracked
    assert "amal@example.org" not in tracked

    feedback_answer(
        actor=coordinator_a, feedback=feedback, answer="The counter opens again on Monday.", version=feedback.version
    )
    answered = page(citizen, "/en/portal/track/", number=feedback.tracking_number)
    assert "The counter opens again on Monday." in answered
    assert 'request-answered">Answered<' in answered and "No answer yet" not in answered
    assert "amal@example.org" not in answered

    feedback.refresh_from_db()
    feedback_close(actor=coordinator_a, feedback=feedback, version=feedback.version)
    closed = page(citizen, "/en/portal/track/", number=feedback.tracking_number)
    assert "Closed on" in closed and "The counter opens again on Monday." in closed
    assert Feedback.objects.get(pk=feedback.pk).contact == ""  # erased when closed


def test_an_unknown_or_malformed_number_says_no_request_has_it(residence):
    client = Client()
    for number in ("ACDE-3479", "12", "<b>x</b>"):
        body = page(client, "/en/portal/track/", number=number)
        assert "No complaint or suggestion has the tracking number" in body
        assert "<b>x</b>" not in body  # what was typed is shown escaped
    assert "No complaint or suggestion" not in page(client, "/en/portal/track/")  # nothing asked, nothing said
