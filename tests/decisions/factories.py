"""Meetings and decisions for tests, written through the services like real ones."""

from masar.core.models import Classification
from masar.core.services import model_create
from masar.decisions.models import Decision, Meeting, MeetingKind


def make_meeting(
    *,
    owner,
    kind=MeetingKind.MINISTERIAL_COUNCIL,
    name_ar="مجلس",
    body_ar="مجلس",
    classification=Classification.PUBLIC,
    decisions_published=True,
    **extra,
):
    """Create a meeting of a body the owner holds; its decisions are published unless told otherwise."""
    data = dict(
        kind=kind,
        name_ar=name_ar,
        body_ar=body_ar,
        owner=owner,
        classification=classification,
        decisions_published=decisions_published,
        **extra,
    )
    return model_create(model=Meeting, actor=None, data=data)


def make_decision(*, meeting, responsible, order=1, text_ar="قرار", classification=Classification.PUBLIC, **extra):
    """Create a decision of a meeting, with the organization responsible for it."""
    data = dict(
        meeting=meeting, order=order, text_ar=text_ar, responsible=responsible, classification=classification, **extra
    )
    return model_create(model=Decision, actor=None, data=data)
