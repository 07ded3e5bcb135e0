"""National administrators, inspectors and staff give a code from an authenticator app after their password.

The codes are the real ones: computed with django-otp's TOTP from the secret the enrolment page shows.
"""

import base64
import io
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from masar.accounts.models import Role, User
from masar.audit.models import AuditEntry
from tests.accounts.factories import make_user
from tests.api.factories import bearer

ADDRESS = "192.0.2.10"


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def inspector(ministry_b):
    return make_user("inspector", Role.INSPECTOR, ministry_b)


def signed_in(username):
    """Return a client that gave username's password on the sign-in page (no second factor yet)."""
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post("/en/accounts/login/", {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302
    return client


def code_for(secret, *, steps_ahead=0):
    """Return the code an authenticator app shows for this base32 secret (optionally a later step's)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrol(client):
    """Enrol an authenticator through the pages; return (its secret, the backup codes shown)."""
    page = client.get("/en/accounts/two-factor/enrol/").content.decode()
    secret = re.search(r"<code dir=\"ltr\" data-secret>([A-Z2-7 ]+)</code>", page).group(1)
    done = client.post("/en/accounts/two-factor/enrol/", {"code": code_for(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    return secret, codes


def test_a_national_admin_without_an_authenticator_is_sent_to_enrol_and_opens_nothing_else(national):
    client = signed_in("national")
    for path in ("/en/my-work/", "/en/dashboards/", "/en/accounts/profile/", "/en/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/en/accounts/two-factor/enrol/")
    page = client.get("/en/accounts/two-factor/enrol/")
    assert page.status_code == 200 and 'src="/en/accounts/two-factor/enrol/qr.svg"' in page.content.decode()
    qr = client.get("/en/accounts/two-factor/enrol/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content and "no-store" in qr["Cache-Control"]
    assert not TOTPDevice.objects.exists()  # nothing stored before a code proves the app holds the secret


def test_enrolling_with_the_apps_code_opens_the_pages_and_shows_backup_codes_once(national):
    client = signed_in("national")
    secret, codes = enrol(client)
    assert len(codes) == 8 and len(set(codes)) == 8
    assert client.get("/en/my-work/").status_code == 200
    assert client.get("/en/dashboards/").status_code == 200
    assert TOTPDevice.objects.get(user=national).confirmed
    assert "data-secret" not in client.get("/en/accounts/two-factor/enrol/", follow=True).content.decode()
    entry = AuditEntry.objects.for_object(national).latest("id")
    assert entry.actor == national and entry.changes["second_factor"] == [None, "enrolled"]


def test_next_time_the_code_is_asked_after_the_password_and_a_backup_code_works_once(national, settings):
    # django-otp also makes a device wait a second after a wrong code; this test retries at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    secret, codes = enrol(signed_in("national"))
    client = signed_in("national")
    response = client.get("/en/dashboards/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/two-factor/?next=%2Fen%2Fdashboards%2F"
    assert client.post("/en/accounts/two-factor/", {"code": "000000", "next": "/en/dashboards/"}).status_code == 200
    assert client.get("/en/dashboards/").status_code == 302  # a wrong code opened nothing
    # The code of the next time step: the one used to enrol cannot be used twice.
    answer = client.post(
        "/en/accounts/two-factor/", {"code": code_for(secret, steps_ahead=1), "next": "/en/dashboards/"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/en/dashboards/"
    assert client.get("/en/dashboards/").status_code == 200

    with_backup = signed_in("national")
    assert with_backup.post("/en/accounts/two-factor/", {"code": codes[0]}).status_code == 302
    assert with_backup.get("/en/my-work/").status_code == 200
    again = signed_in("national")
    assert again.post("/en/accounts/two-factor/", {"code": codes[0]}).status_code == 200  # used up
    assert again.get("/en/my-work/").status_code == 302


def test_wrong_codes_count_as_failed_sign_ins_and_lock_out(national):
    client = signed_in("national")
    client.get("/en/accounts/two-factor/enrol/")
    answers = [client.post("/en/accounts/two-factor/enrol/", {"code": "123456"}).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    assert client.get("/en/accounts/two-factor/enrol/").status_code == 429
    assert not TOTPDevice.objects.exists()
    # The password alone does not help either, from that address: the same lock.
    assert (
        Client(REMOTE_ADDR=ADDRESS)
        .post("/en/accounts/login/", {"username": "national", "password": "pw-national"})
        .status_code
        == 429
    )


def test_a_project_manager_signs_in_with_the_password_alone(manager_a):
    client = signed_in("manager_a")
    assert client.get("/en/my-work/").status_code == 200
    assert client.get("/en/accounts/two-factor/enrol/").status_code == 302  # nothing to enrol


def test_inspectors_and_staff_need_the_second_factor_too(inspector, gov):
    User.objects.create_user("staffer", password="pw-staffer", role=Role.VIEWER, organization=gov, is_staff=True)
    for username in ("inspector", "staffer"):
        response = signed_in(username).get("/en/my-work/")
        assert response.status_code == 302 and "/two-factor/enrol/" in response["Location"]


def test_the_admin_site_refuses_a_staff_session_without_the_second_factor(gov):
    User.objects.create_superuser("root", "root@example.org", "pw-root", role=Role.NATIONAL_ADMIN, organization=gov)
    client = signed_in("root")
    response = client.get("/en/admin/accounts/user/")
    assert response.status_code == 302 and "/two-factor/" in response["Location"]
    enrol(client)
    assert client.get("/en/admin/accounts/user/").status_code == 200


def test_api_tokens_are_unaffected(national, program):
    api = bearer(national)
    assert api.get("/api/v1/strategies/").status_code == 200
    signed_in("national")  # a session owing its code does not change what the token does
    assert api.get("/api/v1/strategies/").status_code == 200


def test_the_rule_can_be_lifted_for_a_demo(national, settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert signed_in("national").get("/en/my-work/").status_code == 200


def test_the_national_unit_resets_a_lost_authenticator_and_the_person_enrols_again(national, inspector, coordinator_a):
    inspector_client = signed_in("inspector")
    enrol(inspector_client)
    assert inspector_client.get("/en/my-work/").status_code == 200
    url = f"/en/accounts/people/{inspector.pk}/two-factor/reset/"

    coordinator = signed_in("coord_a")
    assert coordinator.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=inspector).exists()

    admin = signed_in("national")
    enrol(admin)
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=inspector).exists()
    assert not StaticDevice.objects.filter(user=inspector).exists()
    entry = AuditEntry.objects.for_object(inspector).latest("id")
    assert entry.actor == national and entry.changes["second_factor"] == ["enrolled", "reset"]
    # The inspector's open session lost its second factor with the device: back to enrolment.
    response = inspector_client.get("/en/my-work/")
    assert response.status_code == 302 and "/two-factor/enrol/" in response["Location"]


def test_the_operator_resets_an_authenticator_from_the_shell(national):
    enrol(signed_in("national"))
    out = io.StringIO()
    call_command("second_factor_reset", "national", stdout=out)
    assert "devices_removed=2" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=national).exists()
    entry = AuditEntry.objects.for_object(national).latest("id")
    assert entry.actor is None and entry.changes["second_factor"] == ["enrolled", "reset"]
    with pytest.raises(CommandError):
        call_command("second_factor_reset", "nobody")
