"""The Django admin is a door like any other: audited, and refusing stale edits."""

import pytest

from masar.accounts.models import Role, User
from masar.audit.models import Action, AuditEntry
from masar.organizations.models import Mission, Organization


@pytest.fixture
def admin_client(client, gov):
    user = User.objects.create_superuser("root", "root@example.org", "pw", role=Role.NATIONAL_ADMIN, organization=gov)
    client.force_login(user)
    return client


def organization_form(organization, **changes):
    data = {
        "name_ar": organization.name_ar,
        "name_fr": organization.name_fr,
        "name_en": organization.name_en,
        "description_ar": "",
        "description_fr": "",
        "description_en": "",
        "kind": organization.kind,
        "code": organization.code,
        "acronym": "",
        "order": 0,
        "parent": organization.parent_id or "",
        "is_sample": "",
        "source": "",
        "expected_version": organization.version,
        "missions-TOTAL_FORMS": 1,
        "missions-INITIAL_FORMS": 0,
        "missions-MIN_NUM_FORMS": 0,
        "missions-MAX_NUM_FORMS": 1000,
        "missions-0-order": 1,
        "missions-0-text_ar": "السهر على متابعة تنفيذ الاستراتيجية",
        "missions-0-text_fr": "",
        "missions-0-text_en": "",
        "missions-0-organization": organization.pk,
    }
    data.update(changes)
    return data


def test_an_admin_edit_and_its_inline_missions_are_audited(admin_client, ministry_a):
    response = admin_client.post(
        f"/en/admin/organizations/organization/{ministry_a.pk}/change/", organization_form(ministry_a, acronym="MTC")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ministry_a.refresh_from_db()
    assert ministry_a.acronym == "MTC" and ministry_a.version == 2
    update = AuditEntry.objects.for_object(ministry_a).filter(action=Action.UPDATE).get()
    assert update.changes == {"acronym": ["", "MTC"]} and update.actor_name == "root"
    mission = Mission.objects.get(organization=ministry_a)
    assert AuditEntry.objects.for_object(mission).filter(action=Action.CREATE).exists()


def test_an_admin_edit_of_a_stale_version_is_refused(admin_client, ministry_a):
    stale = organization_form(ministry_a, acronym="OLD")
    admin_client.post(
        f"/en/admin/organizations/organization/{ministry_a.pk}/change/", organization_form(ministry_a, acronym="NEW")
    )
    response = admin_client.post(f"/en/admin/organizations/organization/{ministry_a.pk}/change/", stale)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    ministry_a.refresh_from_db()
    assert ministry_a.acronym == "NEW"


def test_moving_an_organization_in_the_admin_rewrites_the_paths_below_it(
    admin_client, ministry_a, directorate_a, ministry_b
):
    response = admin_client.post(
        f"/en/admin/organizations/organization/{ministry_a.pk}/change/",
        organization_form(ministry_a, parent=ministry_b.pk, **{"missions-TOTAL_FORMS": 0}),
    )
    assert response.status_code == 302
    directorate_a.refresh_from_db()
    assert directorate_a.path == f"{ministry_b.path}{ministry_a.pk}/{directorate_a.pk}/"
    assert Organization.objects.subtree_of(ministry_b).count() == 3


def test_an_admin_cannot_place_an_organization_under_its_own_unit(admin_client, ministry_a, directorate_a):
    response = admin_client.post(
        f"/en/admin/organizations/organization/{ministry_a.pk}/change/",
        organization_form(ministry_a, parent=directorate_a.pk, **{"missions-TOTAL_FORMS": 0}),
    )
    assert response.status_code == 200
    ministry_a.refresh_from_db()
    assert ministry_a.parent_id != directorate_a.pk


def test_the_audit_trail_cannot_be_changed_in_the_admin(admin_client, ministry_a):
    entry = AuditEntry.objects.first()
    assert admin_client.post(f"/en/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_every_admin_list_and_form_opens(admin_client):
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}/{model._meta.model_name}"
        assert admin_client.get(f"/en/admin/{label}/").status_code == 200, label
        if model_admin.has_add_permission(type("R", (), {"user": User.objects.get(username="root")})()):
            assert admin_client.get(f"/en/admin/{label}/add/").status_code == 200, label
