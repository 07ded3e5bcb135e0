"""Pages of webhooks: a client's subscriptions, their secrets (shown once) and their delivery logs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.core import policy
from masar.core.errors import DomainError, Invalid, StaleEditError
from masar.core.forms import add_field_errors
from masar.core.selectors import paginate
from masar.exchange.services import clients_managed_by
from masar.webhooks import selectors, services
from masar.webhooks.forms import SubscriptionForm


def _error(form, error):
    if isinstance(error, Invalid) and error.errors:
        add_field_errors(form, error.errors)
    else:
        form.add_error(None, str(error.message))


def _secret_page(request, issued, *, created):
    """Show a signing secret once; the page is not kept by the browser."""
    response = render(
        request,
        "webhooks/secret.html",
        {"subscription": issued.subscription, "secret": issued.secret, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


def subscription_list(request):
    """List the subscriptions of the clients this person manages."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not policy.may_manage_systems(request.reader):
        raise PermissionDenied
    subscriptions = selectors.subscription_list(request.reader).order_by("client__name_ar", "pk")
    return render(
        request,
        "webhooks/subscription_list.html",
        {"subscriptions": subscriptions, "may_create": clients_managed_by(request.reader).exists()},
    )


def subscription_create(request):
    """Subscribe a client this person manages to events; the signing secret is shown once."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    clients = clients_managed_by(request.reader).filter(is_active=True)
    if not clients.exists():
        raise PermissionDenied
    form = SubscriptionForm(request.POST or None, clients=clients)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.subscription_create(
                actor=request.user,
                client=data["client"],
                target_url=data["target_url"],
                event_types=data["event_types"],
            )
        except DomainError as error:
            _error(form, error)
        else:
            return _secret_page(request, issued, created=True)
    return render(request, "webhooks/subscription_form.html", {"form": form}, status=400 if form.errors else 200)


def subscription_detail(request, pk):
    """Show a subscription and its delivery log, newest first."""
    subscription = selectors.subscription_for(request.reader, pk)
    page = paginate(selectors.delivery_log(subscription), request.GET.get("page"), settings.PAGE_SIZE)
    return render(
        request,
        "webhooks/subscription_detail.html",
        {"subscription": subscription, "page": page, "rows": selectors.delivery_rows(request.reader, page)},
    )


def subscription_edit(request, pk):
    """Change where a subscription sends and which events it wants."""
    subscription = selectors.subscription_for(request.reader, pk)
    initial = {
        "target_url": subscription.target_url,
        "event_types": subscription.event_types,
        "version": subscription.version,
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscription_update(
                subscription=subscription,
                actor=request.user,
                expected_version=data["version"],
                target_url=data["target_url"],
                event_types=data["event_types"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            _error(form, error)
        else:
            messages.success(request, _("The subscription was saved."))
            return redirect("webhooks-subscription-detail", pk=subscription.pk)
    return render(
        request,
        "webhooks/subscription_form.html",
        {"form": form, "subscription": subscription},
        status=400 if form.errors else 200,
    )


def _act(request, pk, action, done):
    subscription = selectors.subscription_for(request.reader, pk)
    try:
        action(subscription=subscription, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("webhooks-subscription-detail", pk=subscription.pk)


@require_POST
def subscription_pause(request, pk):
    return _act(request, pk, services.subscription_pause, _("The subscription is paused: nothing is sent."))


@require_POST
def subscription_resume(request, pk):
    return _act(request, pk, services.subscription_resume, _("The subscription is active again."))


@require_POST
def subscription_rotate(request, pk):
    """Give a subscription a new signing secret, shown once."""
    subscription = selectors.subscription_for(request.reader, pk)
    issued = services.subscription_rotate_secret(subscription=subscription, actor=request.user)
    return _secret_page(request, issued, created=False)


@require_POST
def delivery_redeliver(request, pk):
    """Send a failed or withheld delivery again, with the same webhook-id."""
    delivery = selectors.delivery_for(request.reader, pk)
    try:
        services.delivery_redeliver(delivery=delivery, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The delivery was queued to be sent again."))
    return redirect("webhooks-subscription-detail", pk=delivery.subscription_id)
