from masar.core.models import Classification
from masar.core.services import model_create
from masar.decisions.models import Decision, Meeting, MeetingKind


def test_a_meeting_shows_the_decisions_the_reader_may_see(gov, ministry_a, client_for, viewer_a):
    meeting = model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.MINISTERIAL_COUNCIL,
            name_ar="مجلس وزاري",
            body_ar="مجلس وزاري برئاسة رئيسة الحكومة",
            owner=gov,
            classification=Classification.PUBLIC,
        ),
    )
    model_create(
        model=Decision,
        actor=None,
        data=dict(
            meeting=meeting,
            order=1,
            text_ar="إنشاء لوحات قيادة وطنية",
            responsible=ministry_a,
            classification=Classification.PUBLIC,
        ),
    )
    model_create(
        model=Decision,
        actor=None,
        data=dict(
            meeting=meeting,
            order=2,
            text_ar="قرار داخلي",
            responsible=ministry_a,
            classification=Classification.RESTRICTED,
        ),
    )
    public = client_for(None).get(f"/ar/meetings/{meeting.pk}/").content.decode()
    assert "إنشاء لوحات قيادة وطنية" in public and "قرار داخلي" not in public
    assert "قرار داخلي" in client_for(viewer_a).get(f"/ar/meetings/{meeting.pk}/").content.decode()
