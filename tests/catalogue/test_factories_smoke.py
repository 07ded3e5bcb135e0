"""The factories make what they say (so a failing test elsewhere is not a broken factory)."""

import datetime

from masar.audit.models import AuditEntry
from masar.catalogue.models import CommentStatus, FeedbackStatus, Service
from tests.catalogue.factories import (
    make_category,
    make_document,
    make_feedback,
    make_life_event,
    make_project_link,
    make_rating,
    make_service,
    make_usage,
)
from tests.portfolio.factories import make_project


def test_factories_make_a_service_with_everything_around_it(ministry_a, ministry_b, axis, coordinator_a):
    event, category = make_life_event(), make_category()
    service = make_service(ministry_a, life_event=event, category=category, channels=["web", "counter"], level=3)
    assert service.channels == ",counter,web," and service.level == 3
    assert AuditEntry.objects.filter(model_label="catalogue.service", object_id=str(service.pk)).count() == 1
    by_coordinator = make_service(ministry_a, actor=coordinator_a)
    assert by_coordinator.owner == ministry_a
    document = make_document(service, held_by=ministry_b)
    assert document.is_once_only_opportunity
    assert make_document(service, "شهادة ميلاد").order == 2
    usage = make_usage(service, "2025-03", "web", 120)
    assert usage.month == datetime.date(2025, 3, 1)
    rating = make_rating(service, 4, "جيدة", status=CommentStatus.APPROVED)
    assert rating.comment_status == CommentStatus.APPROVED
    service.refresh_from_db()
    assert (service.rating_count, service.rating_total) == (1, 4)
    feedback = make_feedback(service, contact="20 000 000")
    assert feedback.status == FeedbackStatus.RECEIVED and len(feedback.tracking_number) == 9
    link = make_project_link(service, make_project("P-1", ministry_a, axis), 4, datetime.date(2026, 6, 30))
    assert link.target_level == 4
    assert Service.objects.count() == 2
