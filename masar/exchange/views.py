"""Pages of the data exchange: one's own tokens, the systems of other administrations, sharing
agreements, the exchange map and who read whose data."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.core import policy
from masar.core.errors import DomainError
from masar.core.pages import tell_refusal
from masar.core.selectors import audit_trail_for, paginate
from masar.exchange import selectors, services
from masar.exchange.forms import AgreementRequestForm, ClientForm, DecideForm, RotateForm, TokenForm
from masar.exchange.models import AgreementAction, AgreementStatus, ApiClient, ApiToken, SharingAgreement, scope_choices
from masar.exchange.services import AGREEMENT_WORKFLOW


def _person(request: HttpRequest) -> None:
    """Refuse these pages to anyone but a signed-in civil servant (an API client's account has none)."""
    if not policy.may_see_exchange_map(request.reader):
        raise PermissionDenied


def _one(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist):
        raise Http404 from None


# One's own tokens ------------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """List a person's own tokens and create one; the secret is shown once, on the page that answers the creation."""
    if not policy.may_edit_profile(request.reader, request.user):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.token_issue(
                user=request.user, name=form.cleaned_data["name"], actor=request.user, expires_at=form.expires_at()
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            form = TokenForm()
    context = {"tokens": selectors.personal_tokens(request.user), "form": form, "issued": issued}
    return render(request, "exchange/token_list.html", context)


def _token_for(request: HttpRequest, pk) -> ApiToken:
    """Return a token the reader may see: their own, or one of a client they see (404 for any other)."""
    tokens = ApiToken.objects.select_related("client__organization", "user")
    token = _one(tokens, pk)
    if token.client is None:
        if token.user_id != request.user.pk:
            raise Http404
    elif not ApiClient.objects.visible_to(request.reader).filter(pk=token.client_id).exists():
        raise Http404
    if not policy.may_manage_token(request.reader, token):
        raise PermissionDenied
    return token


def _after_token(token: ApiToken) -> str:
    if token.client_id is None:
        return reverse("exchange-token-list")
    return reverse("exchange-client-detail", args=[token.client_id])


@login_required
def token_revoke(request: HttpRequest, pk) -> HttpResponse:
    """Ask to confirm, then revoke a token at once (one's own, or a system's one manages)."""
    token = _token_for(request, pk)
    if request.method == "POST":
        try:
            services.token_revoke(token=token, actor=request.user)
        except DomainError as error:
            tell_refusal(request, error)
        else:
            messages.success(request, _("The token was revoked: it calls nothing any more."))
        return redirect(_after_token(token))
    return render(request, "exchange/token_revoke.html", {"token": token, "back": _after_token(token)})


@login_required
@require_POST
def token_rotate(request: HttpRequest, pk) -> HttpResponse:
    """Replace a system's token by a new one; the old one keeps working for the chosen overlap."""
    token = _token_for(request, pk)
    if token.client is None:
        raise Http404
    form = RotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long the old token keeps working."))
        return redirect(_after_token(token))
    try:
        issued = services.token_rotate(token=token, actor=request.user, overlap=form.overlap_delta())
    except DomainError as error:
        tell_refusal(request, error)
        return redirect(_after_token(token))
    return render(request, "exchange/token_issued.html", {"issued": issued, "back": _after_token(token)})


# API clients -----------------------------------------------------------------------------------


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """List the systems the reader manages and their organization's."""
    _person(request)
    clients = list(selectors.client_list(request.reader))
    for client in clients:
        client.can_manage = policy.may_manage_client(request.reader, client)
    can_register = ClientForm(reader=request.reader).fields["organization"].queryset.exists()
    return render(request, "exchange/client_list.html", {"clients": clients, "can_register": can_register})


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    """Register another administration's system for an organization the reader may register for."""
    _person(request)
    form = ClientForm(request.POST or None, reader=request.reader)
    if not form.fields["organization"].queryset.exists():
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                client = services.client_register(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The system was registered. Issue it a token to let it call the API."))
                return redirect("exchange-client-detail", client.pk)
        status = 400
    return render(request, "exchange/client_form.html", {"form": form, "client": None}, status=status)


def _client_for(request: HttpRequest, pk, *, manage: bool = False) -> ApiClient:
    client = _one(ApiClient.objects.visible_to(request.reader).select_related("organization"), pk)
    client.can_manage = policy.may_manage_client(request.reader, client)
    if manage and not client.can_manage:
        raise PermissionDenied
    return client


@login_required
def client_detail(request: HttpRequest, pk) -> HttpResponse:
    """Show a system: scopes, ceiling, and for its managers its tokens, agreements and recent traffic."""
    _person(request)
    client = _client_for(request, pk)
    scope_labels = dict(scope_choices())
    context = {
        "client": client,
        "scopes": [scope_labels.get(scope, scope) for scope in client.scopes],
        "agreements": SharingAgreement.objects.visible_to(request.reader).filter(client=client).select_related("owner"),
        "trail": audit_trail_for(client, request.user),
    }
    if client.can_manage:
        context |= {
            "tokens": selectors.client_tokens(client),
            "traffic": selectors.client_traffic(client),
            "token_form": TokenForm(),
            "rotate_form": RotateForm(),
        }
    return render(request, "exchange/client_detail.html", context)


@login_required
def client_edit(request: HttpRequest, pk) -> HttpResponse:
    """Change a system's names, contact, scopes and ceiling."""
    _person(request)
    client = _client_for(request, pk, manage=True)
    initial = {
        "name_ar": client.name_ar,
        "name_fr": client.name_fr,
        "name_en": client.name_en,
        "description": client.description,
        "contact_email": client.contact_email,
        "scopes": client.scopes,
        "clearance": client.clearance,
    }
    form = ClientForm(request.POST or None, initial=initial, reader=request.reader, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.client_update(client=client, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The system was saved."))
                return redirect("exchange-client-detail", client.pk)
        status = 400
    return render(request, "exchange/client_form.html", {"form": form, "client": client}, status=status)


@login_required
@require_POST
def client_set_active(request: HttpRequest, pk) -> HttpResponse:
    """Deactivate a system (its tokens stop working) or reactivate it."""
    client = _client_for(request, pk, manage=True)
    active = request.POST.get("active") == "1"
    try:
        services.client_set_active(client=client, actor=request.user, active=active)
    except DomainError as error:
        tell_refusal(request, error)
    else:
        if active:
            messages.success(request, _("The system is active again."))
        else:
            messages.success(request, _("The system was deactivated: its tokens call nothing until it is reactivated."))
    return redirect("exchange-client-detail", client.pk)


@login_required
@require_POST
def client_token_create(request: HttpRequest, pk) -> HttpResponse:
    """Issue a system a token; its secret is shown once."""
    client = _client_for(request, pk, manage=True)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("exchange-client-detail", client.pk)
    try:
        issued = services.token_issue(
            user=client.account,
            client=client,
            name=form.cleaned_data["name"],
            actor=request.user,
            expires_at=form.expires_at(),
        )
    except DomainError as error:
        tell_refusal(request, error)
        return redirect("exchange-client-detail", client.pk)
    back = reverse("exchange-client-detail", args=[client.pk])
    return render(request, "exchange/token_issued.html", {"issued": issued, "back": back})


# Sharing agreements ----------------------------------------------------------------------------


@login_required
def agreement_create(request: HttpRequest, pk) -> HttpResponse:
    """Ask an organization for a dataset on behalf of a system the reader manages."""
    _person(request)
    client = _client_for(request, pk, manage=True)
    form = AgreementRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agreement = services.agreement_request(actor=request.user, client=client, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The request was sent to the coordinators of the owner of the data."))
                return redirect("exchange-agreement-detail", agreement.pk)
        status = 400
    return render(request, "exchange/agreement_form.html", {"form": form, "client": client}, status=status)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    """List the requests waiting for the reader's decision and those of the systems they manage."""
    _person(request)
    context = {
        "waiting": selectors.agreements_awaiting_decision(request.reader),
        "ours": selectors.agreements_requested_by(request.reader),
    }
    return render(request, "exchange/agreement_list.html", context)


@login_required
def agreement_detail(request: HttpRequest, pk) -> HttpResponse:
    """Show an agreement: the dataset, purpose, legal basis, expiry, status and history; the owner decides here."""
    _person(request)
    agreements = SharingAgreement.objects.visible_to(request.reader).select_related(
        "client__organization", "owner", "requested_by", "decided_by"
    )
    agreement = _one(agreements, pk)
    in_force = agreement.in_force_on(timezone.localdate())
    actions = []
    if policy.may_decide_agreement(request.reader, agreement):
        actions = AGREEMENT_WORKFLOW.actions(agreement.status)
    context = {
        "agreement": agreement,
        "actions": [(AgreementAction(action).label, DecideForm(initial={"action": action})) for action in actions],
        "in_force": in_force,
        "expired": agreement.status == AgreementStatus.APPROVED and not in_force,
        "trail": audit_trail_for(agreement, request.user),
    }
    return render(request, "exchange/agreement_detail.html", context)


@login_required
@require_POST
def agreement_decide(request: HttpRequest, pk) -> HttpResponse:
    """Approve, refuse (with a reason) or revoke an agreement."""
    agreement = _one(SharingAgreement.objects.visible_to(request.reader).select_related("client", "owner"), pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    try:
        services.agreement_decide(
            agreement=agreement, actor=request.user, action=form.cleaned_data["action"], note=form.cleaned_data["note"]
        )
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The decision was recorded and the requesting administration told."))
    return redirect("exchange-agreement-detail", agreement.pk)


# The exchange map and who read whose data ------------------------------------------------------


@login_required
def exchange_map(request: HttpRequest) -> HttpResponse:
    """Show which administration receives what from whom, under which agreement, with its traffic."""
    _person(request)
    context = {
        "flows": selectors.exchange_flows(request.reader),
        "days": selectors.TRAFFIC_DAYS,
        "can_see_readers": policy.may_see_data_readers(request.reader),
    }
    return render(request, "exchange/map.html", context)


@login_required
def data_readers(request: HttpRequest) -> HttpResponse:
    """List the calls that read the reader's subtree's data: who read it, under which agreement, and when."""
    if not policy.may_see_data_readers(request.reader):
        raise PermissionDenied
    page = paginate(selectors.data_readers(request.reader), request.GET.get("page"), settings.PAGE_SIZE)
    return render(request, "exchange/data_readers.html", {"page": page})
