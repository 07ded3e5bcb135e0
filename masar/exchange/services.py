"""Writes of the data exchange: clients, tokens, sharing agreements and the exchange log."""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from masar.core import policy
from masar.core.errors import Invalid, NotPermitted
from masar.core.roles import Role
from masar.core.services import model_create
from masar.core.workflow import Workflow, transition
from masar.exchange.models import (
    AgreementAction,
    AgreementStatus,
    ApiClient,
    ApiToken,
    ExchangeLogEntry,
    SharingAgreement,
    scope_choices,
    token_digest,
)

if TYPE_CHECKING:
    from masar.accounts.models import User
    from masar.organizations.models import Organization

TOKEN_PREFIX = "msr_"  # every Masar token starts so, which lets secret scanners recognise a leaked one
GENESIS = "0" * 64
_LOG_LOCK = 727_274_002  # the advisory lock that serializes appends to the exchange log on PostgreSQL

AGREEMENT_WORKFLOW = Workflow(
    transitions={
        (AgreementStatus.REQUESTED, AgreementAction.APPROVE): AgreementStatus.APPROVED,
        (AgreementStatus.REQUESTED, AgreementAction.REFUSE): AgreementStatus.REFUSED,
        (AgreementStatus.APPROVED, AgreementAction.REVOKE): AgreementStatus.REVOKED,
    }
)


@dataclass(frozen=True)
class IssuedToken:
    """A token as issued: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def _new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def token_issue(
    *,
    user: User,
    name: str,
    actor: User | None,
    client: ApiClient | None = None,
    expires_at: datetime.datetime | None = None,
) -> IssuedToken:
    """Issue a token that calls the API on behalf of user (a person, or a client's account)."""
    if client is None and not policy.may_edit_profile(actor, user) and actor is not None:
        raise NotPermitted(_("A person creates their own tokens."))
    if client is not None and not policy.may_manage_client(actor, client) and actor is not None:
        raise NotPermitted()
    if not (name or "").strip():
        raise Invalid(message=_("Give the token a name that says where it is used."))
    secret = _new_secret()
    token = ApiToken.objects.create(
        name=name.strip()[:120],
        user=user,
        client=client,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=expires_at,
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke a token at once: it calls nothing any more."""
    if actor is not None and not policy.may_manage_token(actor, token):
        raise NotPermitted()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


@transaction.atomic
def token_rotate(*, token: ApiToken, actor: User | None, overlap: datetime.timedelta) -> IssuedToken:
    """Issue a new token in place of this one, which keeps working for overlap (so a system can switch)."""
    if actor is not None and not policy.may_manage_token(actor, token):
        raise NotPermitted()
    issued = token_issue(
        user=token.user, name=token.name, actor=actor, client=token.client, expires_at=token.expires_at
    )
    ends = timezone.now() + overlap
    if token.expires_at is None or token.expires_at > ends:
        ApiToken.objects.filter(pk=token.pk).update(expires_at=ends)
    return issued


def token_authenticate(secret: str) -> ApiToken | None:
    """Return the usable token with this secret, or None (unknown, revoked or expired)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user__organization", "client__organization", "user__api_client__organization")
        .filter(digest=token_digest(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.client is not None and not token.client.is_active:
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Record that the token was used now (at most once a minute, to spare the database)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# Clients ---------------------------------------------------------------------------------------


def clients_managed_by(who: Any) -> QuerySet[ApiClient]:
    """Return the clients this reader manages (`policy.may_manage_client` for each of them, in one query)."""
    return ApiClient.objects.select_related("organization").filter(policy.managed_q(who, "organization"))


def _check_clearance(actor: User | None, clearance: str) -> None:
    if actor is not None and policy.rank(clearance) > policy.rank(policy.max_clearance(actor)):
        raise NotPermitted(_("A system cannot be cleared above the person who registers it."))


def _check_scopes(scopes: list[str]) -> list[str]:
    known = {value for value, _label in scope_choices()}
    unknown = [scope for scope in scopes if scope not in known]
    if unknown:
        raise Invalid(message=_("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)})
    return sorted(set(scopes))


@transaction.atomic
def client_register(
    *,
    actor: User | None,
    organization: Organization,
    name_ar: str,
    scopes: list[str],
    clearance: str,
    name_fr: str = "",
    name_en: str = "",
    description: str = "",
    contact_email: str = "",
) -> ApiClient:
    """Register another administration's system with its account, scopes and classification ceiling."""
    if actor is not None and not policy.may_manage_for(actor, organization):
        raise NotPermitted()
    _check_clearance(actor, clearance)
    user_model = get_user_model()
    base = slugify(name_en or name_fr or "") or "system"
    username = f"system-{organization.pk}-{base}"[:140]
    while user_model.objects.filter(username=username).exists():
        username = f"system-{organization.pk}-{base}-{secrets.token_hex(3)}"[:150]
    account = user_model(username=username, role=Role.API_CLIENT, organization=organization, first_name=name_ar[:150])
    account.set_unusable_password()
    account.save()
    return model_create(
        model=ApiClient,
        actor=actor,
        data={
            "organization": organization,
            "name_ar": name_ar,
            "name_fr": name_fr,
            "name_en": name_en,
            "description": description,
            "contact_email": contact_email,
            "scopes": _check_scopes(scopes),
            "clearance": clearance,
        },
        prepare=lambda client: _prepare_client(client, account, actor),
    )


def _prepare_client(client: Any, account: Any, actor: User | None) -> None:
    client.account = account
    client.created_by = actor if getattr(actor, "pk", None) else None


def _client_save(*, client: ApiClient, actor: User | None, changes: dict[str, Any]) -> ApiClient:
    from masar.audit.models import Action
    from masar.audit.services import audit_record, diff, snapshot

    before = snapshot(client)
    for field, value in changes.items():
        setattr(client, field, value)
    client.full_clean()
    client.save(update_fields=list(changes))
    audit_record(actor=actor, action=Action.UPDATE, instance=client, changes=diff(before, snapshot(client)))
    return client


@transaction.atomic
def client_update(
    *,
    client: ApiClient,
    actor: User | None,
    name_ar: str,
    scopes: list[str],
    clearance: str,
    name_fr: str = "",
    name_en: str = "",
    description: str = "",
    contact_email: str = "",
) -> ApiClient:
    """Change a client's names, contact, scopes and classification ceiling (never above the person who changes it)."""
    if actor is not None and not policy.may_manage_client(actor, client):
        raise NotPermitted()
    _check_clearance(actor, clearance)
    changes = {
        "name_ar": name_ar,
        "name_fr": name_fr,
        "name_en": name_en,
        "description": description,
        "contact_email": contact_email,
        "scopes": _check_scopes(scopes),
        "clearance": clearance,
    }
    return _client_save(client=client, actor=actor, changes=changes)


@transaction.atomic
def client_set_active(*, client: ApiClient, actor: User | None, active: bool) -> ApiClient:
    """Deactivate a client (its tokens call nothing while it is inactive) or reactivate it."""
    if actor is not None and not policy.may_manage_client(actor, client):
        raise NotPermitted()
    if client.is_active == active:
        return client
    return _client_save(client=client, actor=actor, changes={"is_active": active})


# Sharing agreements ----------------------------------------------------------------------------


@transaction.atomic
def agreement_request(
    *,
    actor: User | None,
    client: ApiClient,
    owner: Organization,
    record_type: str,
    max_classification: str,
    purpose: str,
    legal_basis: str,
    expires_on: datetime.date,
) -> SharingAgreement:
    """Ask the owning organization for a dataset on behalf of a client; its coordinators are told."""
    if actor is not None and not policy.may_manage_client(actor, client):
        raise NotPermitted()
    if expires_on <= timezone.localdate():
        raise Invalid(message=_("An agreement must expire after today."))
    agreement = model_create(
        model=SharingAgreement,
        actor=actor,
        data={
            "client": client,
            "owner": owner,
            "record_type": record_type,
            "max_classification": max_classification,
            "purpose": purpose,
            "legal_basis": legal_basis,
            "expires_on": expires_on,
        },
        prepare=lambda a: setattr(a, "requested_by", actor if getattr(actor, "pk", None) else None),
    )
    _tell(
        users=policy.coordinators_of(owner),
        agreement=agreement,
        kind="agreement_requested",
    )
    return agreement


def agreement_decide(*, agreement: SharingAgreement, actor: User, action: str, note: str = "") -> SharingAgreement:
    """Approve, refuse or revoke an agreement (the owner decides); the requesting client's managers are told."""
    if not policy.may_decide_agreement(actor, agreement):
        raise NotPermitted(_("The coordinator of the organization that owns the data decides."))
    if action == AgreementAction.REFUSE and not note.strip():
        raise Invalid(message=_("Say why the request is refused."))
    with transaction.atomic():
        agreement = transition(
            workflow=AGREEMENT_WORKFLOW,
            instance=agreement,
            action=action,
            actor=actor,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=note.strip(),
        )
        _tell(
            users=list(policy.coordinators_of(agreement.client.organization))
            + ([agreement.requested_by] if agreement.requested_by else []),
            agreement=agreement,
            kind=f"agreement_{agreement.status}",
        )
    return agreement


def _tell(*, users: Any, agreement: SharingAgreement, kind: str) -> None:
    from django.urls import reverse

    from masar.delivery.notifications import notify

    notify(
        users=[u for u in users if u is not None and u.is_active],
        kind=kind,
        params={"agreement_id": agreement.pk},
        url=reverse("exchange-agreement-detail", args=[agreement.pk]),
        key=f"{kind}-{agreement.pk}",
    )


# The exchange log ------------------------------------------------------------------------------


def _log_digest(entry: ExchangeLogEntry, owner_ids: list[int], prev_hash: str) -> str:
    payload = json.dumps(
        [
            prev_hash,
            entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            entry.token_id,
            entry.client_id,
            entry.user_id,
            entry.caller,
            sorted(entry.agreements),
            sorted(owner_ids),
            entry.method,
            entry.path,
            entry.status,
            entry.records,
            entry.duration_ms,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@transaction.atomic
def exchange_log_append(
    *,
    token: ApiToken | None,
    method: str,
    path: str,
    status: int,
    records: int = 0,
    duration_ms: int = 0,
    owner_ids: list[int] | None = None,
    agreement_ids: list[int] | None = None,
) -> ExchangeLogEntry:
    """Append one API call to the hash-chained exchange log."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOG_LOCK])
    prev_hash = ExchangeLogEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    client = token.client if token is not None else None
    user = token.user if token is not None else None
    owners = sorted(set(owner_ids or ()))
    entry = ExchangeLogEntry(
        created_at=timezone.now(),
        token=token,
        client=client,
        user=user if client is None else None,
        caller=str(client) if client is not None else (user.get_username() if user is not None else ""),
        agreements=sorted(set(agreement_ids or ())),
        method=method[:8],
        path=path[:1000],
        status=status,
        records=records,
        duration_ms=duration_ms,
        prev_hash=prev_hash,
    )
    entry.hash = _log_digest(entry, owners, prev_hash)
    entry.save()
    if owners:
        entry.owners.set(owners)
    return entry


def exchange_log_verify() -> tuple[int, ExchangeLogEntry | None]:
    """Walk the exchange log in order; return (entries checked, first entry that does not hold or None)."""
    prev_hash = GENESIS
    checked = 0
    entries = ExchangeLogEntry.objects.order_by("id").prefetch_related("owners")
    for entry in entries.iterator(chunk_size=2000):
        owner_ids = [o.pk for o in entry.owners.all()]
        if entry.prev_hash != prev_hash or entry.hash != _log_digest(entry, owner_ids, prev_hash):
            return checked, entry
        prev_hash = entry.hash
        checked += 1
    return checked, None
