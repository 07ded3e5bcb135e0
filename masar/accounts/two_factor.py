"""The second factor after the password: enrolling an authenticator app, checking its codes, resetting it.

Who needs it is one policy rule (`masar.core.policy.may_sign_in_without_second_factor`); the gate that holds a
session until the code is given is `masar.accounts.middleware.SecondFactorMiddleware`. Devices are django-otp's
(TOTP for the app, static one-time codes for when the phone is lost).
"""

from __future__ import annotations

import base64
import time
from binascii import unhexlify
from typing import TYPE_CHECKING, Any, cast

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core.errors import DomainError
from masar.core.policy import may_reset_second_factor

if TYPE_CHECKING:
    from django.http import HttpRequest

    from masar.accounts.models import User

# The secret being enrolled lives in the session, never in the database, until a code proves the app holds it.
PENDING_KEY = "two_factor_pending_key"
BACKUP_CODE_COUNT = 8
DEVICE_NAME = "authenticator"


class WrongCode(DomainError):
    """The code does not match the authenticator (or the one-time codes)."""


def pending_device(*, request: HttpRequest) -> TOTPDevice:
    """Return the unsaved authenticator being enrolled in this session, drawing its secret the first time."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = default_key()
    return TOTPDevice(user=_account(request), name=DEVICE_NAME, key=key, confirmed=False)


def _account(request: HttpRequest) -> Any:
    """Return the signed-in person's account itself (request.user is a lazy stand-in the audit cannot name)."""
    return get_user_model().objects.get(pk=cast(int, request.user.pk))


def secret_text(device: TOTPDevice) -> str:
    """Return the secret as an authenticator app asks for it when typed: base32 in groups of four."""
    text = base64.b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """Return the enrolment QR code (the otpauth:// address) as an SVG document."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2).encode()


def code_is_locked(*, request: HttpRequest, user: User) -> bool:
    """Whether this person's codes from this address are throttled (they count as failed sign-ins)."""
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def code_failure_count(*, request: HttpRequest, user: User) -> None:
    """Count a wrong code as a failed sign-in of this person from this address (axes throttles both alike)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def _verify_pending(device: TOTPDevice, code: str) -> int | None:
    """Return the time step the code belongs to, if it is the pending secret's current code (one step either way)."""
    try:
        token = int(code.replace(" ", ""))
    except ValueError:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(token, device.tolerance):
        return None
    return totp.t()


@transaction.atomic
def second_factor_enrol(*, request: HttpRequest, code: str) -> list[str]:
    """Confirm the pending authenticator with one of its codes; return the one-time backup codes (shown once).

    Replaces any earlier devices, marks this session as having passed the second factor, and is audited.
    """
    device = pending_device(request=request)
    user = device.user
    step = _verify_pending(device, code)
    if step is None:
        raise WrongCode(_("This code is not the one your app shows now. Check the phone's time and try again."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = step  # the code just used cannot be used again
    device.save()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=token) for token in codes])
    del request.session[PENDING_KEY]
    django_otp.login(request, device)
    audit_record(
        actor=user,
        action=Action.UPDATE,
        instance=user,
        changes={"second_factor": [None, "enrolled"], "backup_codes": [None, BACKUP_CODE_COUNT]},
    )
    return codes


def second_factor_verify(*, request: HttpRequest, code: str) -> None:
    """Mark this session as having passed the second factor with a code from the app or a backup code."""
    user: Any = request.user
    device = django_otp.match_token(user, "".join(code.split()).lower())
    if device is None:
        raise WrongCode(_("This code is not valid. Give the code your app shows now, or one of your backup codes."))
    django_otp.login(request, device)


@transaction.atomic
def second_factor_reset(*, person: User, actor: User | None) -> int:
    """Remove a person's authenticator and backup codes (a lost phone): they enrol again at their next sign-in.

    Their sessions lose the second factor at once (the device they passed is gone). Audited. No actor: the
    operator on the server (`manage.py second_factor_reset`), for when no national administrator can sign in.
    """
    if actor is not None and not may_reset_second_factor(actor, person):
        raise PermissionDenied
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=person)
        removed += devices.count()
        devices.delete()  # with the backup codes of a static device
    audit_record(actor=actor, action=Action.UPDATE, instance=person, changes={"second_factor": ["enrolled", "reset"]})
    return removed
