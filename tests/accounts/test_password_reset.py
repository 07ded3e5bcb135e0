"""A forgotten password is reset through a link e-mailed in the person's language: throttled, expiring, audited."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from masar.accounts.models import User
from masar.audit.models import AuditEntry

ADDRESS = "192.0.2.44"
NEW_PASSWORD = "a-Long-new-passw0rd"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(manager_a):
    manager_a.email = "pm@example.org"
    manager_a.language = "fr"
    manager_a.save()
    return manager_a


def ask(email, client=None, address=ADDRESS):
    client = client or Client(REMOTE_ADDR=address)
    return client.post("/en/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def link_in(email):
    return re.search(r"https?://[^/]+(/\w\w/accounts/password-reset/\S+)", email.body).group(1)


def test_the_whole_reset_ends_other_sessions_is_audited_and_the_new_password_signs_in(person, mailoutbox):
    elsewhere = Client()
    elsewhere.post("/en/accounts/login/", {"username": "manager_a", "password": "pw-manager_a"})
    assert elsewhere.get("/en/my-work/").status_code == 200

    client = Client(REMOTE_ADDR=ADDRESS)
    assert ask("pm@example.org", client).status_code == 302
    (email,) = mailoutbox
    link = link_in(email)
    assert link.startswith("/fr/accounts/password-reset/")  # the person's language, not the page's
    form_page = client.get(link, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302

    entry = AuditEntry.objects.for_object(person).latest("id")
    assert entry.actor == person and entry.changes == {"password_reset": [None, "by_email"]}
    response = elsewhere.get("/en/my-work/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]  # that session ended
    old = Client().post("/en/accounts/login/", {"username": "manager_a", "password": "pw-manager_a"})
    assert old.status_code == 200  # refused
    new = Client().post("/en/accounts/login/", {"username": "manager_a", "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert client.get(link, follow=True).context["validlink"] is False  # the link is used up


def test_an_unknown_address_gets_the_same_answer_and_no_mail(person, mailoutbox):
    known, unknown = ask("pm@example.org"), ask("nobody@example.org", address="192.0.2.45")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mailoutbox] == [["pm@example.org"]]


def test_a_link_older_than_the_timeout_is_refused(person, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    generator = type(default_token_generator)()
    generator._now = lambda: datetime.now() - timedelta(hours=2)
    token = generator.make_token(person)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    page = Client().get(f"/en/accounts/password-reset/{uid}/{token}/", follow=True)
    assert page.context["validlink"] is False
    fresh = default_token_generator.make_token(person)
    assert Client().get(f"/en/accounts/password-reset/{uid}/{fresh}/", follow=True).context["validlink"]  # control


def test_one_mailbox_receives_a_few_links_an_hour_and_the_answer_never_changes(person, mailoutbox):
    answers = [ask("pm@example.org", address=f"192.0.2.{50 + i}") for i in range(5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/en/accounts/password-reset/sent/")}
    assert len(mailoutbox) == 3


def test_one_address_asking_too_often_is_refused(person, mailoutbox):
    answers = [ask(f"someone-{i}@example.org").status_code for i in range(11)]
    assert answers == [302] * 10 + [429]
    assert ask("pm@example.org").status_code == 429 and mailoutbox == []
    assert ask("pm@example.org", address="192.0.2.99").status_code == 302 and len(mailoutbox) == 1


def test_the_password_is_not_changed_by_a_mismatched_form(person, mailoutbox):
    client = Client(REMOTE_ADDR=ADDRESS)
    ask("pm@example.org", client)
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert User.objects.get(pk=person.pk).check_password("pw-manager_a")
    assert not AuditEntry.objects.for_object(person).filter(changes__has_key="password_reset").exists()
