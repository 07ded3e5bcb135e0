"""The citizens' voice for the services' owners: complaints and suggestions answered and closed, comments moderated."""

import re

import pytest

from masar.catalogue.models import CommentStatus, Feedback, FeedbackKind, FeedbackStatus, Rating
from masar.catalogue.selectors import feedback_tracked, public_comments
from masar.catalogue.voice import feedback_answer
from masar.core.models import Classification
from tests.catalogue.factories import make_feedback, make_rating, make_service
from tests.html import field_error

FEEDBACK = "/ar/services/feedback/"
COMMENTS = "/ar/services/comments/"


@pytest.fixture
def voice(ministry_a, ministry_b):
    service_a = make_service(ministry_a, code="SRV-A", name_ar="استخراج مضمون ولادة")
    service_b = make_service(ministry_b, code="SRV-B")
    return {
        "service": service_a,
        "complaint": make_feedback(service_a, text="الشباك مغلق دائما", contact="+216 20 000 000"),
        "suggestion": make_feedback(service_a, kind=FeedbackKind.SUGGESTION, text="أضيفوا الدفع بالهاتف"),
        "other": make_feedback(service_b, text="شكوى عن خدمة أخرى"),
        "comment": make_rating(service_a, 2, "الموظف لم يرد على الهاتف"),
        "other_comment": make_rating(service_b, 5, "ممتاز"),
    }


def rows(response, kind):
    assert response.status_code == 200, response.status_code
    return set(int(pk) for pk in re.findall(rf'<tr data-{kind}="(\d+)">', response.content.decode()))


def test_the_feedback_list_shows_each_reader_what_they_answer(
    voice, client_for, coordinator_a, viewer_a, coordinator_b, inspector
):
    mine = {voice["complaint"].pk, voice["suggestion"].pk}
    assert rows(client_for(coordinator_a).get(FEEDBACK), "feedback") == mine
    assert rows(client_for(coordinator_b).get(FEEDBACK), "feedback") == {voice["other"].pk}
    assert rows(client_for(inspector).get(FEEDBACK), "feedback") == mine | {voice["other"].pk}
    assert client_for(viewer_a).get(FEEDBACK).status_code == 403
    body = client_for(coordinator_a).get(FEEDBACK).content.decode()
    assert "+216 20 000 000" not in body  # the contact is shown on the request's own page only


def test_the_feedback_list_filters_by_status_and_kind(voice, client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert rows(client.get(FEEDBACK, {"kind": FeedbackKind.SUGGESTION}), "feedback") == {voice["suggestion"].pk}
    Feedback.objects.filter(pk=voice["complaint"].pk).update(status=FeedbackStatus.CLOSED)
    assert rows(client.get(FEEDBACK, {"status": FeedbackStatus.CLOSED}), "feedback") == {voice["complaint"].pk}
    assert rows(client.get(FEEDBACK, {"status": FeedbackStatus.RECEIVED}), "feedback") == {voice["suggestion"].pk}
    assert client.get(FEEDBACK, {"status": "lost"}).status_code == 400


def test_the_request_page_shows_the_contact_and_offers_actions_only_to_who_answers(
    voice, client_for, coordinator_a, viewer_a, coordinator_b, inspector
):
    url = f"/ar/services/feedback/{voice['complaint'].pk}/"
    owner = client_for(coordinator_a).get(url).content.decode()
    assert "+216 20 000 000" in owner and "الشباك مغلق دائما" in owner
    assert 'name="answer"' in owner and f'action="/ar/services/feedback/{voice["complaint"].pk}/close/"' in owner
    read_only = client_for(inspector).get(url)
    assert read_only.status_code == 200
    body = read_only.content.decode()
    assert "الشباك مغلق دائما" in body and 'name="answer"' not in body and "/close/" not in body
    for reader in (viewer_a, coordinator_b):
        assert client_for(reader).get(url).status_code == 404


def test_the_owner_answers_and_closes_a_complaint(voice, client_for, coordinator_a, inspector):
    complaint = voice["complaint"]
    url = f"/ar/services/feedback/{complaint.pk}/"
    client = client_for(coordinator_a)
    answer = "تم تمديد ساعات العمل إلى الخامسة مساء."
    assert client_for(inspector).post(url, {"answer": "لا", "version": complaint.version}).status_code == 403
    response = client.post(url, {"answer": answer, "version": complaint.version})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == FeedbackStatus.ANSWERED and complaint.answered_by == coordinator_a
    tracked = feedback_tracked(complaint.tracking_number.replace("-", " ").lower())
    assert tracked.answer == answer and tracked.status == FeedbackStatus.ANSWERED
    assert complaint.contact == "+216 20 000 000"  # kept until closed, to answer the citizen
    assert client_for(inspector).post(f"{url}close/", {"version": complaint.version}).status_code == 403
    assert client.post(f"{url}close/", {"version": complaint.version}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == FeedbackStatus.CLOSED and complaint.contact == ""
    assert feedback_tracked(complaint.tracking_number).answer == answer
    closed = client.get(url).content.decode()
    assert "+216 20 000 000" not in closed and 'name="answer"' not in closed and "/close/" not in closed
    assert "+216 20 000 000" not in re.search(r'<section class="audit".*?</section>', closed, re.S).group(0)


def test_a_stale_answer_is_refused_and_shown_as_such(voice, client_for, coordinator_a, national):
    complaint = voice["complaint"]
    url = f"/en/services/feedback/{complaint.pk}/"
    feedback_answer(actor=national, feedback=complaint, answer="First answer from the national unit.", version=1)
    response = client_for(coordinator_a).post(url, {"answer": "My answer, written before.", "version": 1})
    assert response.status_code == 409
    section = re.search(r'<section class="stale".*?</section>', response.content.decode(), re.S).group(0)
    assert "First answer from the national unit." in section
    complaint.refresh_from_db()
    assert complaint.answer == "First answer from the national unit." and complaint.version == 2
    closing = client_for(coordinator_a).post(f"{url}close/", {"version": 1})
    assert closing.status_code == 409
    complaint.refresh_from_db()
    assert complaint.status == FeedbackStatus.ANSWERED and complaint.contact == "+216 20 000 000"


def test_an_answer_with_markup_is_refused_beside_its_field(voice, client_for, coordinator_a):
    complaint = voice["complaint"]
    url = f"/en/services/feedback/{complaint.pk}/"
    response = client_for(coordinator_a).post(url, {"answer": "<script>x</script>", "version": complaint.version})
    assert response.status_code == 400
    assert "plain text" in field_error(response.content.decode(), "id_answer")
    response = client_for(coordinator_a).post(url, {"answer": "", "version": complaint.version})
    assert response.status_code == 400 and field_error(response.content.decode(), "id_answer")
    complaint.refresh_from_db()
    assert complaint.status == FeedbackStatus.RECEIVED and complaint.answer == "" and complaint.version == 1


# Moderation --------------------------------------------------------------------------------------


def test_the_comments_to_moderate_are_read_by_who_answers_only(
    voice, client_for, coordinator_a, viewer_a, coordinator_b, inspector
):
    owner = client_for(coordinator_a).get(COMMENTS)
    assert rows(owner, "rating") == {voice["comment"].pk}
    assert 'value="approve"' in owner.content.decode() and 'value="reject"' in owner.content.decode()
    assert rows(client_for(coordinator_b).get(COMMENTS), "rating") == {voice["other_comment"].pk}
    assert client_for(viewer_a).get(COMMENTS).status_code == 403
    inspecting = client_for(inspector).get(COMMENTS)  # the inspectorate reads requests but moderates nothing
    assert rows(inspecting, "rating") == set() and 'name="action"' not in inspecting.content.decode()


def test_a_moderator_shows_a_comment_publicly_and_hides_another(voice, ministry_a, client_for, coordinator_a):
    comment, service = voice["comment"], voice["service"]
    hidden = make_rating(service, 1, "كلام غير لائق")
    client = client_for(coordinator_a)
    assert list(public_comments(service)) == []
    assert (
        client.post(COMMENTS, {"rating": comment.pk, "action": "approve", "version": comment.version}).status_code
        == 302
    )
    assert (
        client.post(COMMENTS, {"rating": hidden.pk, "action": "reject", "version": hidden.version}).status_code == 302
    )
    assert [r.pk for r in public_comments(service)] == [comment.pk]
    hidden.refresh_from_db()
    assert hidden.comment_status == CommentStatus.REJECTED and hidden.moderated_by == coordinator_a
    assert rows(client.get(COMMENTS), "rating") == set()


def test_moderation_is_refused_to_readers_and_to_other_ministries(
    voice, client_for, coordinator_b, inspector, viewer_a
):
    comment = voice["comment"]
    data = {"rating": comment.pk, "action": "approve", "version": comment.version}
    assert client_for(inspector).post(COMMENTS, data).status_code == 403
    assert client_for(viewer_a).post(COMMENTS, data).status_code == 403
    assert client_for(coordinator_b).post(COMMENTS, data).status_code == 404
    comment.refresh_from_db()
    assert comment.comment_status == CommentStatus.PENDING and comment.version == 1


def test_a_stale_moderation_is_refused(voice, client_for, coordinator_a, national):
    comment = voice["comment"]
    data = {"rating": comment.pk, "action": "reject", "version": comment.version}
    assert client_for(national).post(COMMENTS, {**data, "action": "approve"}).status_code == 302
    response = client_for(coordinator_a).post(COMMENTS, data)
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.comment_status == CommentStatus.APPROVED


def test_a_confidential_services_voice_is_not_read_outside_its_line(
    ministry_a, client_for, coordinator_a, coordinator_b
):
    service = make_service(ministry_a, code="SRV-C", classification=Classification.CONFIDENTIAL)
    rating = Rating.objects.create(service=service, score=3, comment="تعليق", comment_status=CommentStatus.PENDING)
    assert rows(client_for(coordinator_a).get(COMMENTS), "rating") == {rating.pk}
    assert rows(client_for(coordinator_b).get(COMMENTS), "rating") == set()


@pytest.mark.parametrize("who, offered", [("coordinator_a", True), ("national", True), ("viewer_a", False)])
def test_the_navigation_offers_the_citizens_feedback_to_those_who_read_it(who, offered, request, client_for, gov):
    from django.urls import reverse

    body = client_for(request.getfixturevalue(who)).get("/ar/projects/").content.decode()
    assert (reverse("catalogue-feedback-list") in body) == offered
