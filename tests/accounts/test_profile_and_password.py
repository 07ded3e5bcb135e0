"""People keep their own profile, choose how they are e-mailed, and reset a forgotten password by e-mail."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from masar.accounts.models import EmailFrequency, User
from masar.accounts.services import user_profile_update
from masar.audit.models import AuditEntry
from masar.core.errors import StaleEditError


def profile_post(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "language": user.language,
        "email_frequency": user.email_frequency,
        "version": user.version,
    }
    data.update(changes)
    return data


def test_a_person_edits_their_own_profile_and_it_is_audited(manager_a, client_for):
    client = client_for(manager_a)
    page = client.get("/fr/accounts/profile/")
    assert page.status_code == 200 and 'name="phone"' in page.content.decode()
    response = client.post(
        "/fr/accounts/profile/",
        profile_post(
            manager_a,
            first_name="Salma",
            last_name="Ben Ali",
            email="salma@example.org",
            phone="+216 71 000 000",
            language="en",
            email_frequency=EmailFrequency.DAILY,
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/en/accounts/profile/"
    manager_a.refresh_from_db()
    assert manager_a.get_full_name() == "Salma Ben Ali"
    assert (manager_a.email, manager_a.phone, manager_a.language) == ("salma@example.org", "+216 71 000 000", "en")
    assert manager_a.email_frequency == EmailFrequency.DAILY
    entry = AuditEntry.objects.for_object(manager_a).latest("id")
    assert entry.actor == manager_a and entry.changes["phone"] == ["", "+216 71 000 000"]
    assert "password" not in entry.changes


def test_a_stale_profile_edit_is_refused_and_nothing_changes(manager_a, client_for):
    old_version = manager_a.version
    user_profile_update(user=manager_a, actor=manager_a, expected_version=old_version, phone="1")
    response = client_for(manager_a).post(
        "/en/accounts/profile/", profile_post(manager_a, phone="2", version=old_version)
    )
    assert response.status_code == 200 and "Someone else changed this record" in response.content.decode()
    manager_a.refresh_from_db()
    assert manager_a.phone == "1"


def test_nobody_edits_someone_elses_profile(manager_a, coordinator_a, national):
    for other in (coordinator_a, national):
        with pytest.raises(PermissionDenied):
            user_profile_update(user=manager_a, actor=other, expected_version=manager_a.version, phone="9")
    manager_a.refresh_from_db()
    assert manager_a.phone == ""
    user_profile_update(user=manager_a, actor=manager_a, expected_version=manager_a.version, phone="9")
    manager_a.refresh_from_db()
    assert manager_a.phone == "9"  # positive control


def test_the_profile_page_asks_to_sign_in(client_for, db):
    response = client_for(None).get("/ar/accounts/profile/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_stale_service_edit_raises(manager_a):
    with pytest.raises(StaleEditError):
        user_profile_update(user=manager_a, actor=manager_a, expected_version=manager_a.version + 5, phone="3")


def test_the_sign_in_page_links_to_the_password_reset_in_its_language(client_for, db):
    page = client_for(None).get("/fr/accounts/login/").content.decode()
    assert 'href="/fr/accounts/password-reset/"' in page


def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(manager_a, client_for, mailoutbox):
    manager_a.email = "pm@example.org"
    manager_a.language = "en"  # the e-mail and its link are in the person's language
    manager_a.save()
    client = client_for(None)
    assert client.get("/en/accounts/password-reset/").status_code == 200
    response = client.post("/en/accounts/password-reset/", {"email": "pm@example.org"})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/password-reset/sent/"
    (email,) = mailoutbox
    assert email.to == ["pm@example.org"] and "manager_a" in email.body
    link = re.search(r"https?://[^/]+(/en/accounts/password-reset/[^\s]+)", email.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-Long-new-passw0rd", "new_password2": "a-Long-new-passw0rd"},
    )
    assert done.status_code == 302 and done["Location"] == "/en/accounts/password-reset/done/"
    assert User.objects.get(pk=manager_a.pk).check_password("a-Long-new-passw0rd")


def test_a_reset_for_an_unknown_address_sends_nothing(db, client_for, mailoutbox):
    response = client_for(None).post("/ar/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []
