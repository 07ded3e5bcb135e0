from masar.core.models import Classification
from masar.organizations.services import mission_create
from tests.portfolio.factories import make_project


def test_the_tree_shows_every_organization_in_its_place(ministry_a, directorate_a, ministry_b, client_for):
    body = client_for(None).get("/ar/organizations/").content.decode()
    assert body.index("الحكومة") < body.index("وزارة تكنولوجيات الاتصال") < body.index("مديرية نظم المعلومات")
    assert 'class="depth-2"' in body


def test_an_organization_page_lists_its_missions_in_order(directorate_a, client_for):
    mission_create(actor=None, organization=directorate_a, order=2, text_ar="تطوير الخدمات الرقمية")
    mission_create(actor=None, organization=directorate_a, order=1, text_ar="إعداد مخطط التحول الرقمي")
    body = client_for(None).get(f"/ar/organizations/{directorate_a.pk}/").content.decode()
    assert body.index("إعداد مخطط التحول الرقمي") < body.index("تطوير الخدمات الرقمية")


def test_an_organization_page_counts_only_the_projects_the_reader_may_see(
    ministry_a, axis, client_for, viewer_a, coordinator_b
):
    make_project("P-PUB", ministry_a, axis)
    make_project("P-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL)
    url = f"/en/organizations/{ministry_a.pk}/"
    assert "1 project owned" in client_for(None).get(url).content.decode()
    assert "2 projects owned" in client_for(viewer_a).get(url).content.decode()
    assert "1 project owned" in client_for(coordinator_b).get(url).content.decode()


def test_the_audit_trail_is_shown_to_civil_servants_not_to_the_public(ministry_a, client_for, viewer_a):
    url = f"/en/organizations/{ministry_a.pk}/"
    assert "Audit trail" in client_for(viewer_a).get(url).content.decode()
    assert "Audit trail" not in client_for(None).get(url).content.decode()


def test_a_malformed_organization_address_is_a_404(client_for, db):
    assert client_for(None).get("/ar/organizations/abc/").status_code == 404
    assert client_for(None).get("/ar/organizations/424242/").status_code == 404


def test_siblings_follow_their_order_not_their_id(gov, client_for):
    from masar.organizations.services import organization_create

    later = organization_create(actor=None, parent=gov, kind="ministry", code="M-2", name_ar="وزارة ثانية", order=2)
    for n in range(3, 12):
        organization_create(
            actor=None, parent=gov, kind="ministry", code=f"M-X{n}", name_ar=f"وزارة رقم {n}", order=20 + n
        )
    first = organization_create(actor=None, parent=gov, kind="ministry", code="M-1", name_ar="وزارة أولى", order=1)
    organization_create(actor=None, parent=later, kind="directorate", code="M-2-D", name_ar="مديرية الوزارة الثانية")
    body = client_for(None).get("/ar/organizations/").content.decode()
    assert first.pk > later.pk
    assert (
        body.index("وزارة أولى")
        < body.index("وزارة ثانية")
        < body.index("مديرية الوزارة الثانية")
        < body.index("وزارة رقم 3")
    )
