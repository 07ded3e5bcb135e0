"""Citizens' voice: ratings and their moderated comments, complaints and suggestions with their tracking numbers."""

import json
import re

import pytest
from django.conf import settings

from masar.audit.models import AuditEntry
from masar.catalogue.models import (
    CommentStatus,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    ModerationAction,
    Rating,
    Service,
)
from masar.catalogue.selectors import comments_to_moderate, feedback_list, feedback_tracked, public_comments
from masar.catalogue.voice import (
    TRACKING_ALPHABET,
    SubmissionInvalid,
    Throttled,
    comment_moderate,
    feedback_answer,
    feedback_close,
    feedback_submit,
    rating_submit,
)
from masar.core.errors import Invalid, NotPermitted, StaleEditError
from masar.core.models import Classification
from masar.core.policy import Reader
from tests.catalogue.factories import make_feedback, make_rating, make_service

ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "203.0.113.9"


@pytest.fixture
def service(ministry_a):
    return make_service(ministry_a, level=3)


def counts(service):
    service = Service.objects.get(pk=service.pk)
    return service.rating_count, service.rating_total


def rate(service, score, comment="", address=ADDRESS):
    return rating_submit(service=service, score=score, comment=comment, address=address, language="ar")


# Ratings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 6, -1, "abc", None, "", "4.5", [4], 4.5, 4.99, True, "٦"])
def test_a_score_outside_1_to_5_is_refused_and_counts_nothing(score, service, trail):
    before = trail()
    with pytest.raises(SubmissionInvalid) as refused:
        rate(service, score)
    assert [field for field, _ in refused.value.errors] == ["score"]
    assert (counts(service), Rating.objects.count(), trail()) == ((0, 0), 0, before)
    # The refusal did not use up the address's one rating of the day: positive control.
    rate(service, 5)
    assert counts(service) == (1, 5)


@pytest.mark.parametrize("score, counted", [(1, 1), ("5", 5), (" 3 ", 3), ("٤", 4)])
def test_a_score_from_1_to_5_is_counted_once(score, counted, service):
    rating = rate(service, score)
    assert counts(service) == (1, counted)
    assert rating.comment_status == CommentStatus.NONE


def test_the_counts_move_by_one_per_accepted_rating(ministry_a):
    services = [make_service(ministry_a) for _ in range(3)]
    for i, score in enumerate([5, 2, 4]):
        rate(services[0], score, address=f"10.0.0.{i}")
    assert counts(services[0]) == (3, 11)
    assert Service.objects.get(pk=services[0].pk).rating_average == 3.7
    assert [counts(s) for s in services[1:]] == [(0, 0), (0, 0)]


def test_a_comment_of_100000_characters_is_refused(service, trail):
    before = trail()
    with pytest.raises(SubmissionInvalid) as refused:
        rate(service, 4, "ممتاز " * 16_667)
    ((field, message),) = refused.value.errors
    assert field == "comment" and "2000" in message
    assert (counts(service), Rating.objects.count(), trail()) == ((0, 0), 0, before)


@pytest.mark.parametrize(
    "comment",
    [
        "<script>alert(1)</script>",
        "<b>x</b>",
        "javascript:alert(1)",
        "JavaScript : alert(1)",
        "&#60;script&#62;alert(1)",
        "&lt;script&gt;",
        "< img src=x onerror=alert(1)>",
        "خدمة جيدة <a href='http://spam.example'>هنا</a>",
        "<!-- -->",
        "<\x00script>",
    ],
)
def test_a_comment_with_markup_is_refused(comment, service, trail):
    before = trail()
    with pytest.raises(SubmissionInvalid) as refused:
        rate(service, 4, comment)
    ((field, message),) = refused.value.errors
    assert field == "comment" and "<" in message
    assert (counts(service), Rating.objects.count(), trail()) == ((0, 0), 0, before)


@pytest.mark.parametrize(
    "comment",
    [
        "الخدمة أسرع من قبل > ممتازة",
        "مدة المعالجة < 3 أيام، شكرا",
        "أفضل من الشباك <3",
        "التطبيق<الشباك في السرعة",  # "<" before an Arabic letter: no tag in any browser
        "Délai réduit : 2 jours au lieu de 10 — très bien !",
        "R&D et Q&A : merci",
        "A & B; C",
    ],
)
def test_an_ordinary_comment_using_comparison_signs_is_kept_as_typed(comment, service):
    rating = rate(service, 5, comment)
    assert (rating.comment, rating.comment_status) == (comment, CommentStatus.PENDING)


def test_a_comment_is_kept_without_surrounding_space_and_without_nul(service):
    assert rate(service, 4, "  جيد\x00 جدا  ").comment == "جيد جدا"


def test_a_flood_of_ratings_of_one_service_from_one_address_counts_one(service):
    accepted = throttled = 0
    for _ in range(50):
        try:
            rate(service, 1)
            accepted += 1
        except Throttled:
            throttled += 1
    assert (accepted, throttled) == (1, 49)
    assert (counts(service), Rating.objects.count()) == ((1, 1), 1)
    # Another address is not affected.
    rate(service, 5, address=OTHER_ADDRESS)
    assert counts(service) == (2, 6)


def test_a_flood_over_many_services_counts_the_hourly_limit(ministry_a):
    limit = settings.PORTAL_RATINGS_PER_HOUR
    services = [make_service(ministry_a) for _ in range(limit + 10)]
    outcomes = []
    for service in services:
        try:
            rate(service, 1)
            outcomes.append("counted")
        except Throttled:
            outcomes.append("throttled")
    assert outcomes == ["counted"] * limit + ["throttled"] * 10
    assert sum(counts(s)[0] for s in services) == limit == Rating.objects.count()
    # Another address is not affected.
    rate(services[-1], 4, address=OTHER_ADDRESS)
    assert counts(services[-1]) == (1, 4)


def test_the_hourly_limit_follows_the_setting(ministry_a, settings):
    settings.PORTAL_RATINGS_PER_HOUR = 3
    services = [make_service(ministry_a) for _ in range(5)]
    for service in services[:3]:
        rate(service, 2)
    with pytest.raises(Throttled):
        rate(services[3], 2)
    assert Rating.objects.count() == 3


def test_a_refused_rating_does_not_use_up_the_addresss_quota(service, ministry_a, settings):
    settings.PORTAL_RATINGS_PER_HOUR = 1
    with pytest.raises(SubmissionInvalid):
        rate(service, 9)
    with pytest.raises(SubmissionInvalid):
        rate(service, 3, "<b>")
    rate(service, 3)
    assert counts(service) == (1, 3)


# Moderation -------------------------------------------------------------------------------------------


def comments_for(reader, service):
    return list(
        Rating.objects.visible_to(reader).filter(service=service).exclude(comment="").values_list("comment", flat=True)
    )


def test_a_comment_waits_for_moderation_before_the_public_reads_it(service, coordinator_a):
    plain = rate(service, 5, address="10.0.0.1")  # no comment: the public reads the rating at once
    rating = rate(service, 2, "الانتظار طويل", address="10.0.0.2")
    assert rating.comment_status == CommentStatus.PENDING
    public = Reader.public()
    assert list(Rating.objects.visible_to(public).filter(service=service)) == [plain]
    assert list(public_comments(service)) == []
    # Positive control: the moderator reads it, and finds it in their queue.
    assert comments_for(coordinator_a, service) == ["الانتظار طويل"]
    assert list(comments_to_moderate(coordinator_a)) == [rating]
    comment_moderate(actor=coordinator_a, rating=rating, action=ModerationAction.APPROVE, version=rating.version)
    assert comments_for(public, service) == ["الانتظار طويل"]
    assert [r.comment for r in public_comments(service)] == ["الانتظار طويل"]
    assert list(comments_to_moderate(coordinator_a)) == []


@pytest.mark.parametrize("who", ["viewer_a", "manager_a", "coordinator_b", "inspector"])
def test_others_do_not_moderate_and_nothing_changes(who, request, service, trail):
    actor = request.getfixturevalue(who)
    rating = rate(service, 2, "تعليق")
    before = trail()
    with pytest.raises(NotPermitted):
        comment_moderate(actor=actor, rating=rating, action=ModerationAction.APPROVE, version=rating.version)
    rating.refresh_from_db()
    assert (rating.comment_status, rating.version, trail()) == (CommentStatus.PENDING, 1, before)
    assert list(public_comments(service)) == []


@pytest.mark.parametrize("who, reads", [("viewer_a", False), ("coordinator_b", False), ("inspector", True)])
def test_only_moderators_and_inspectors_read_a_pending_comment(who, reads, request, service):
    actor = request.getfixturevalue(who)
    rate(service, 2, "تعليق")
    assert comments_for(actor, service) == (["تعليق"] if reads else [])


def test_a_rejected_comment_is_hidden_again_and_a_stale_decision_refused(service, coordinator_a, national):
    rating = rate(service, 1, "تعليق")
    approved = comment_moderate(actor=national, rating=rating, action=ModerationAction.APPROVE, version=1)
    with pytest.raises(StaleEditError):
        comment_moderate(actor=coordinator_a, rating=rating, action=ModerationAction.REJECT, version=1)
    assert list(public_comments(service)) == [approved]
    comment_moderate(actor=coordinator_a, rating=approved, action=ModerationAction.REJECT, version=approved.version)
    assert list(public_comments(service)) == []
    assert comments_for(Reader.public(), service) == []
    with pytest.raises(Invalid):
        comment_moderate(actor=coordinator_a, rating=approved, action="delete", version=3)


# Complaints and suggestions ------------------------------------------------------------------------------


def send(service, text="الموظف غائب عن الشباك", contact="", kind=FeedbackKind.COMPLAINT, address=ADDRESS):
    return feedback_submit(service=service, kind=kind, text=text, contact=contact, address=address, language="ar")


def test_a_complaint_gets_a_unique_tracking_number_of_the_stated_form(service, settings):
    settings.PORTAL_FEEDBACK_PER_HOUR = 1000
    pattern = re.compile(rf"^[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}$")
    numbers = [send(service, f"شكوى {i}").tracking_number for i in range(60)]
    assert all(pattern.match(n) for n in numbers), numbers
    assert len(set(numbers)) == 60
    assert not set("".join(numbers)) & set("01258BIOSZ")  # letters and digits read alike are left out


def test_the_tracking_number_finds_the_request_as_people_type_it(service):
    feedback = send(service)
    while not any(ch.isdigit() for ch in feedback.tracking_number):  # a number with a digit, to type it in Arabic
        feedback = send(service, address=f"10.1.{feedback.pk}.1")
    number = feedback.tracking_number
    arabic_digits = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for typed in [
        number,
        number.lower(),
        number.replace("-", ""),
        f" {number[:2]} {number[2:4]} - {number[5:]} ",
        arabic_digits,  # typed on a phone's Arabic keyboard
    ]:
        assert feedback_tracked(typed) == feedback, typed
    wrong = ("A" if number[0] != "A" else "C") + number[1:]
    for typed in [wrong, number[:-1], number + "A", "", None, "----", "%", number.replace("-", "_") + "X"]:
        assert feedback_tracked(typed) is None, typed


def test_the_tracked_request_does_not_carry_the_contact(service):
    send(service, contact="ali@example.org")
    tracked = feedback_tracked(Feedback.objects.get().tracking_number)
    assert "contact" in tracked.get_deferred_fields()


def test_the_contact_is_kept_to_answer_never_in_the_trail_and_erased_on_closing(service, coordinator_a):
    contact = "+216 20 123 456"
    feedback = send(service, contact=contact)
    assert Feedback.objects.get().contact == contact
    answered = feedback_answer(actor=coordinator_a, feedback=feedback, answer="تم حل المشكل", version=1)
    closed = feedback_close(actor=coordinator_a, feedback=answered, version=answered.version)
    assert (closed.contact, closed.status, Feedback.objects.get().contact) == ("", FeedbackStatus.CLOSED, "")
    trail_text = json.dumps(list(AuditEntry.objects.values("changes", "object_repr")), ensure_ascii=False)
    assert contact not in trail_text and "20 123 456" not in trail_text
    # Positive control: the trail does hold the request's text.
    assert "الموظف غائب عن الشباك" in trail_text


@pytest.mark.parametrize(
    "kind, text, contact, field",
    [
        ("praise", "نص", "", "kind"),
        (FeedbackKind.COMPLAINT, "   ", "", "text"),
        (FeedbackKind.COMPLAINT, "x" * 5001, "", "text"),
        (FeedbackKind.SUGGESTION, "<script>alert(1)</script>", "", "text"),
        (FeedbackKind.SUGGESTION, "اقتراح", "<b>me</b>", "contact"),
        (FeedbackKind.SUGGESTION, "اقتراح", "x" * 201, "contact"),
    ],
)
def test_a_request_breaking_a_rule_is_refused_and_nothing_kept(kind, text, contact, field, service, trail):
    before = trail()
    with pytest.raises(SubmissionInvalid) as refused:
        send(service, text=text, contact=contact, kind=kind)
    assert [f for f, _ in refused.value.errors] == [field]
    assert (Feedback.objects.count(), trail()) == (0, before)


def test_requests_from_one_address_are_throttled_per_hour(service, settings):
    limit = settings.PORTAL_FEEDBACK_PER_HOUR
    for i in range(limit):
        send(service, f"طلب {i}")
    with pytest.raises(Throttled):
        send(service, "طلب زائد")
    assert Feedback.objects.count() == limit
    send(service, "من عنوان آخر", address=OTHER_ADDRESS)
    assert Feedback.objects.count() == limit + 1


def test_the_owner_answers_and_the_citizen_reads_the_answer(service, coordinator_a):
    feedback = send(service)
    answered = feedback_answer(actor=coordinator_a, feedback=feedback, answer="سيتم تعزيز الشباك", version=1)
    assert (answered.status, answered.answered_by, answered.version) == (FeedbackStatus.ANSWERED, coordinator_a, 2)
    tracked = feedback_tracked(feedback.tracking_number.lower())
    assert (tracked.status, tracked.answer) == (FeedbackStatus.ANSWERED, "سيتم تعزيز الشباك")


@pytest.mark.parametrize("who", ["viewer_a", "manager_a", "coordinator_b", "inspector"])
def test_others_may_not_answer_or_close_and_nothing_changes(who, request, service, trail):
    actor = request.getfixturevalue(who)
    feedback = send(service, contact="20123456")
    before = trail()
    with pytest.raises(NotPermitted):
        feedback_answer(actor=actor, feedback=feedback, answer="جواب", version=1)
    with pytest.raises(NotPermitted):
        feedback_close(actor=actor, feedback=feedback, version=1)
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answer, feedback.contact, feedback.version) == (
        FeedbackStatus.RECEIVED,
        "",
        "20123456",
        1,
    )
    assert trail() == before


def test_a_stale_answer_is_refused_and_changes_nothing(service, coordinator_a, national, trail):
    feedback = send(service)
    feedback_answer(actor=national, feedback=feedback, answer="الجواب الأول", version=1)
    before = trail()
    with pytest.raises(StaleEditError):
        feedback_answer(actor=coordinator_a, feedback=feedback, answer="جواب آخر", version=1)
    feedback.refresh_from_db()
    assert (feedback.answer, feedback.version, feedback.answered_by, trail()) == ("الجواب الأول", 2, national, before)


def test_an_empty_or_marked_up_answer_is_refused(service, coordinator_a):
    feedback = send(service)
    for answer in ["", "<b>شكرا</b>"]:
        with pytest.raises(Invalid):
            feedback_answer(actor=coordinator_a, feedback=feedback, answer=answer, version=1)
    feedback.refresh_from_db()
    assert (feedback.status, feedback.version) == (FeedbackStatus.RECEIVED, 1)


@pytest.mark.parametrize(
    "who, reads",
    [
        ("coordinator_a", True),
        ("national", True),
        ("inspector", True),
        ("viewer_a", False),
        ("manager_a", False),
        ("coordinator_b", False),
        (None, False),
    ],
)
def test_requests_are_read_by_those_who_answer_them_and_inspectors_only(who, reads, request, service, ministry_b):
    actor = request.getfixturevalue(who) if who else None
    feedback = make_feedback(service, contact="20123456")
    other = make_feedback(make_service(ministry_b))
    reader = Reader.of(actor)
    assert (feedback in Feedback.objects.visible_to(reader)) is reads
    assert (feedback in feedback_list(actor)) is reads
    if who == "coordinator_a":
        assert other not in feedback_list(actor)  # its own ministry's only


def test_an_api_client_does_not_read_requests(service, registry_a):
    make_feedback(service, contact="20123456")
    assert list(Feedback.objects.visible_to(registry_a)) == []


# Restricted services ---------------------------------------------------------------------------------


def test_a_restricted_service_takes_no_rating_nor_request_from_the_public(ministry_a, trail):
    restricted = make_service(ministry_a, classification=Classification.RESTRICTED)
    before = trail()
    with pytest.raises(SubmissionInvalid):
        rate(restricted, 5)
    with pytest.raises(SubmissionInvalid):
        send(restricted)
    assert (counts(restricted), Rating.objects.count(), Feedback.objects.count(), trail()) == ((0, 0), 0, 0, before)
    public = make_service(ministry_a)  # positive control
    rate(public, 5)
    send(public)
    assert (Rating.objects.count(), Feedback.objects.count()) == (1, 1)


def test_factories_rate_without_being_throttled(service):
    for _ in range(3):
        make_rating(service, 4)
    assert counts(service) == (3, 12)


def test_a_closed_request_is_answered_no_more(service, coordinator_a, trail):
    from masar.core.errors import Conflict

    feedback = send(service)
    closed = feedback_close(actor=coordinator_a, feedback=feedback, version=1)
    before = trail()
    with pytest.raises(Conflict):
        feedback_answer(actor=coordinator_a, feedback=closed, answer="متأخر", version=closed.version)
    with pytest.raises(Conflict):
        feedback_close(actor=coordinator_a, feedback=closed, version=closed.version)
    tracked = feedback_tracked(feedback.tracking_number)
    assert (tracked.status, tracked.answer, trail()) == (FeedbackStatus.CLOSED, "", before)


def test_the_trail_keeps_nothing_from_which_the_contact_could_be_found_back(service, coordinator_a):
    import hashlib

    contact = "20123456"  # eight digits: every number of the plan is tried in seconds
    feedback = send(service, contact=contact)
    feedback_close(actor=coordinator_a, feedback=feedback, version=1)
    trail_text = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert contact not in trail_text  # positive control: the contact itself is not there (this passes)
    fingerprint = hashlib.sha256(contact.encode()).hexdigest()[:12]
    assert fingerprint not in trail_text


@pytest.mark.parametrize(
    "who, queue", [("coordinator_a", 1), ("national", 1), ("inspector", 0), ("viewer_a", 0), ("coordinator_b", 0)]
)
def test_the_moderation_queue_holds_what_the_reader_may_moderate(who, queue, request, service):
    rate(service, 2, "تعليق")
    assert len(comments_to_moderate(request.getfixturevalue(who))) == queue


def test_a_comment_of_the_limit_is_kept_and_one_more_character_refused(service):
    from masar.catalogue.voice import COMMENT_MAX

    with pytest.raises(SubmissionInvalid):
        rate(service, 4, "ب" * (COMMENT_MAX + 1))
    assert len(rate(service, 4, "ب" * COMMENT_MAX).comment) == COMMENT_MAX


def test_a_complaint_is_announced_to_the_services_coordinators_by_its_number_only(
    ministry_a, coordinator_a, coordinator_b, viewer_a
):
    from masar.catalogue.voice import feedback_submit
    from masar.delivery.models import Notification
    from tests.catalogue.factories import make_service

    service = make_service(ministry_a)
    feedback = feedback_submit(
        service=service, kind=FeedbackKind.COMPLAINT, text="نص-الشكوى", contact="20123456", address="10.0.0.9"
    )
    told = Notification.objects.filter(kind=Notification.Kind.CITIZEN_FEEDBACK)
    assert [n.user for n in told] == [coordinator_a]
    assert told.get().params == {"number": feedback.tracking_number}  # neither its text nor its contact
    assert not coordinator_b.notifications.exists() and not viewer_a.notifications.exists()
