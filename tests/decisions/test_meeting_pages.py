from masar.core.models import Classification
from tests.decisions.factories import make_decision, make_meeting


def test_a_meeting_shows_the_decisions_the_reader_may_see(gov, ministry_a, client_for, viewer_a):
    meeting = make_meeting(name_ar="مجلس وزاري", body_ar="مجلس وزاري برئاسة رئيسة الحكومة", owner=gov)
    make_decision(meeting=meeting, text_ar="إنشاء لوحات قيادة وطنية", responsible=ministry_a)
    make_decision(
        meeting=meeting, order=2, text_ar="قرار داخلي", responsible=ministry_a, classification=Classification.RESTRICTED
    )
    public = client_for(None).get(f"/ar/meetings/{meeting.pk}/").content.decode()
    assert "إنشاء لوحات قيادة وطنية" in public and "قرار داخلي" not in public
    assert "قرار داخلي" in client_for(viewer_a).get(f"/ar/meetings/{meeting.pk}/").content.decode()
