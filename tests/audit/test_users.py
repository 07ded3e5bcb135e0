"""Accounts: what an administrator changes on a person is in the trail, and people are never deleted."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from masar.accounts.models import Role, User
from masar.audit.guards import UserDeletionRefused
from masar.audit.models import Action, AuditEntry
from masar.audit.services import audit_verify
from masar.portfolio.services import project_update
from tests.portfolio.factories import make_project


@pytest.fixture
def root(gov):
    return User.objects.create_superuser("root", "root@example.org", "pw", role=Role.NATIONAL_ADMIN, organization=gov)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def user_form(user, **changes):
    # The admin's form keeps whole seconds: start from a date that round-trips, so only the edits differ.
    joined = timezone.localtime(user.date_joined).replace(microsecond=0)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "role": user.role,
        "organization": user.organization_id or "",
        "phone": user.phone,
        "language": user.language,
        "email_frequency": user.email_frequency,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_admin_change_of_role_organization_activity_staff_and_groups_is_audited(
    admin_client, root, manager_a, ministry_a, ministry_b
):
    group = Group.objects.create(name="inspectors")
    before_version = manager_a.version
    response = admin_client.post(
        f"/en/admin/accounts/user/{manager_a.pk}/change/",
        user_form(
            manager_a,
            role=Role.SECTOR_COORDINATOR,
            organization=ministry_b.pk,
            is_active="",
            is_staff="on",
            groups=[group.pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    manager_a.refresh_from_db()
    assert manager_a.role == Role.SECTOR_COORDINATOR and not manager_a.is_active and manager_a.is_staff
    entry = AuditEntry.objects.for_object(manager_a).get()
    assert entry.action == Action.UPDATE and entry.actor == root
    assert entry.changes == {
        "role": [Role.PROJECT_MANAGER, Role.SECTOR_COORDINATOR],
        "organization": [
            manager_a.organization_id and ministry_b.pk and entry.changes["organization"][0],
            ministry_b.pk,
        ],
        "is_active": [True, False],
        "is_staff": [False, True],
        "groups": [[], [group.pk]],
    }
    assert manager_a.version == entry.version == before_version + 1
    assert audit_verify().intact


def test_an_admin_save_that_changes_nothing_writes_no_entry(admin_client, manager_a):
    response = admin_client.post(f"/en/admin/accounts/user/{manager_a.pk}/change/", user_form(manager_a))
    assert response.status_code == 302
    assert not AuditEntry.objects.for_object(manager_a).exists()


def test_a_new_account_made_in_the_admin_is_audited_without_its_password(admin_client, root):
    response = admin_client.post(
        "/en/admin/accounts/user/add/",
        {
            "username": "newcomer",
            "password1": "Zx9!long-enough-pw",
            "password2": "Zx9!long-enough-pw",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newcomer")
    entry = AuditEntry.objects.for_object(user).get()
    assert entry.action == Action.CREATE and entry.actor == root
    assert entry.changes["password"] == [None, "(set)"]
    assert "pbkdf2" not in str(entry.changes) and "Zx9" not in str(entry.changes)


def test_the_admin_offers_no_way_to_delete_a_person(admin_client, manager_a):
    response = admin_client.post(f"/en/admin/accounts/user/{manager_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=manager_a.pk).exists()
    page = admin_client.get(f"/en/admin/accounts/user/{manager_a.pk}/change/").content.decode()
    assert "deactivated, never deleted" in page


def test_deleting_a_person_who_made_changes_is_refused_on_every_path(coordinator_a, viewer_a, ministry_a, axis):
    project = make_project("P-1", ministry_a, axis)
    project_update(project=project, actor=coordinator_a, expected_version=1, name_ar="جديد")
    with pytest.raises(ProtectedError), transaction.atomic():  # the trail's foreign key protects its actors
        coordinator_a.delete()
    with pytest.raises(UserDeletionRefused), transaction.atomic():
        User.objects.filter(pk=viewer_a.pk).delete()  # a person with no entry is not deleted either
    assert User.objects.filter(pk__in=[coordinator_a.pk, viewer_a.pk]).count() == 2
    assert AuditEntry.objects.for_object(project).latest("seq").actor == coordinator_a
    assert audit_verify().intact
