"""What the public sends that breaks a rule: refused beside the field with nothing stored; floods throttled per
address without inflating the counts; robots that fill the honeypot thanked and ignored."""

import pytest
from django.test import Client

from masar.catalogue.models import Feedback, FeedbackKind, Rating, SubmissionCount
from masar.core.models import Classification
from tests.catalogue.factories import make_service
from tests.html import field_error

ADDRESS = "198.51.100.23"


def rate(service, data, address=ADDRESS):
    return Client(REMOTE_ADDR=address).post(f"/en/portal/services/{service.pk}/rate/", data)


def complain(service, data, address=ADDRESS):
    return Client(REMOTE_ADDR=address).post(f"/en/portal/services/{service.pk}/feedback/", data)


def score_error(body):
    start = body.index('<div class="field-errors" id="rating-score_error">')
    return body[start : body.index("</div>", start)]


def assert_nothing_stored(service):
    service.refresh_from_db()
    assert Rating.objects.count() == 0 and Feedback.objects.count() == 0
    assert (service.rating_count, service.rating_total) == (0, 0)


@pytest.mark.parametrize("score", ["0", "6", "", "four", "-1", "4.5"])
def test_a_rating_outside_one_to_five_is_refused_beside_the_rating(residence, score):
    response = rate(residence, {"score": score})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give a rating from 1 to 5." in score_error(body)
    assert 'aria-invalid="true"' in body and 'aria-describedby="rating-score_error"' in body
    assert_nothing_stored(residence)
    assert SubmissionCount.objects.count() == 0  # a refused rating counts for nothing


def test_a_comment_of_a_hundred_thousand_characters_is_refused_and_the_field_says_its_limit(residence):
    assert 'maxlength="2000"' in Client().get(f"/en/portal/services/{residence.pk}/").content.decode()
    response = rate(residence, {"score": "5", "comment": "ب" * 100_000})
    assert response.status_code == 400
    error = field_error(response.content.decode(), "rating-comment")
    assert "Keep it under 2000 characters" in error and "100000" in error
    assert_nothing_stored(residence)


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "nice <img src=x onerror=alert(1)>", "javascript:alert(1)", "&#60;b&#62;"]
)
def test_markup_in_a_comment_or_a_complaint_is_refused_and_never_rendered(residence, text):
    response = rate(residence, {"score": "5", "comment": text})
    assert response.status_code == 400
    assert "Write plain text" in field_error(response.content.decode(), "rating-comment")
    assert "<script>alert" not in response.content.decode() and "<img src=x" not in response.content.decode()
    response = complain(residence, {"kind": FeedbackKind.COMPLAINT, "text": text})
    assert response.status_code == 400
    assert "Write plain text" in field_error(response.content.decode(), "feedback-text")
    assert_nothing_stored(residence)


def test_a_complaint_without_text_or_kind_or_with_a_long_contact_is_refused_field_by_field(residence):
    response = complain(residence, {"kind": "praise", "text": "  ", "contact": "x" * 201})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in field_error(body, "feedback-text")
    assert "Keep it under 200 characters" in field_error(body, "feedback-contact")
    assert 'id="feedback-kind_error"' in body and "Choose a complaint or a suggestion." in body
    assert_nothing_stored(residence)


def test_a_flood_of_ratings_from_one_address_is_throttled_and_counts_only_what_was_accepted(ministry_a, settings):
    settings.PORTAL_RATINGS_PER_HOUR = 10
    services = [make_service(ministry_a, code=f"SRV-F{i}") for i in range(12)]
    statuses = [rate(service, {"score": "5"}).status_code for service in services]
    assert statuses == [200] * 10 + [429] * 2
    refused = rate(services[0], {"score": "1"}, address=ADDRESS)
    assert refused.status_code == 429
    assert "Too many submissions from your connection" in refused.content.decode()
    assert Rating.objects.count() == 10
    counts = [(s.rating_count, s.rating_total) for s in type(services[0]).objects.filter(code__startswith="SRV-F")]
    assert sum(c for c, _ in counts) == 10 and sum(t for _, t in counts) == 50  # not inflated by the refusals
    # Another address is not held back by this one's flood (positive control: the throttle is per address).
    assert rate(services[11], {"score": "3"}, address="198.51.100.99").status_code == 200


def test_one_address_rates_a_service_once_a_day(residence):
    assert rate(residence, {"score": "5"}).status_code == 200
    again = rate(residence, {"score": "1"})
    assert again.status_code == 429
    residence.refresh_from_db()
    assert (residence.rating_count, residence.rating_total) == (1, 5)


def test_a_flood_of_complaints_from_one_address_is_throttled(residence, settings):
    settings.PORTAL_FEEDBACK_PER_HOUR = 5
    data = {"kind": FeedbackKind.SUGGESTION, "text": "Open on Saturdays."}
    statuses = [complain(residence, data).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert Feedback.objects.count() == 5


@pytest.mark.parametrize("trap", ["http://spam.example", " x "])
def test_a_filled_honeypot_is_thanked_and_nothing_is_stored_or_counted(residence, trap):
    thanked = rate(residence, {"score": "5", "comment": "Great", "website": trap})
    assert thanked.status_code == 200 and "Thank you" in thanked.content.decode()
    received = complain(residence, {"kind": FeedbackKind.COMPLAINT, "text": "Buy pills", "website": trap})
    assert received.status_code == 200 and "Your message was received" in received.content.decode()
    assert "Tracking number" not in received.content.decode()
    assert_nothing_stored(residence)
    assert SubmissionCount.objects.count() == 0
    # Positive control: the same submissions without the trap are stored.
    assert rate(residence, {"score": "5", "comment": "Great", "website": ""}).status_code == 200
    assert complain(residence, {"kind": FeedbackKind.COMPLAINT, "text": "Slow"}).status_code == 200
    assert Rating.objects.count() == 1 and Feedback.objects.count() == 1


def test_the_honeypot_is_out_of_sight_out_of_the_tab_order_and_hidden_from_screen_readers(residence):
    body = Client().get(f"/en/portal/services/{residence.pk}/").content.decode()
    for form in ("rating", "feedback"):
        trap = body[body.index(f'<label for="{form}-website"') - 40 : body.index(f'id="{form}-website"') + 20]
        assert '<div class="trap" aria-hidden="true">' in trap
        assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_a_restricted_service_takes_no_rating_and_no_complaint(secret_service):
    assert rate(secret_service, {"score": "5"}).status_code == 404
    assert complain(secret_service, {"kind": FeedbackKind.COMPLAINT, "text": "x"}).status_code == 404
    assert Rating.objects.count() == 0 and Feedback.objects.count() == 0
    assert secret_service.classification == Classification.RESTRICTED


def test_the_submissions_take_no_get_and_the_pages_take_no_post(residence):
    client = Client()
    assert client.get(f"/en/portal/services/{residence.pk}/rate/").status_code == 405
    assert client.get(f"/en/portal/services/{residence.pk}/feedback/").status_code == 405
    assert client.post(f"/en/portal/services/{residence.pk}/").status_code == 405
    assert Rating.objects.count() == 0
