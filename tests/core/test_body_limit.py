"""A body over the limit is refused before it is read, with a translated message, and changes nothing."""

from axes.models import AccessAttempt
from django.test import Client


def test_a_body_over_the_limit_is_refused_in_the_page_language(settings, db):
    settings.REQUEST_MAX_BODY_BYTES = 4096
    response = Client().post("/fr/accounts/login/", {"username": "someone", "password": "x" * 10_000})
    assert response.status_code == 413
    assert "refusé" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # the sign-in never ran: no failure counted
    arabic = Client().post("/ar/accounts/login/", {"username": "someone", "password": "x" * 10_000})
    assert arabic.status_code == 413 and "رُفض" in arabic.content.decode()


def test_a_body_under_the_limit_reaches_the_page(settings, db):
    settings.REQUEST_MAX_BODY_BYTES = 4096
    response = Client().post("/fr/accounts/login/", {"username": "someone", "password": "x" * 100})
    assert response.status_code == 200  # positive control: the sign-in form answers (a wrong password)
    assert AccessAttempt.objects.exists()
