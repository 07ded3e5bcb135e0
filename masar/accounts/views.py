from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import user_has_device

from masar.accounts.forms import CodeForm, PasswordResetRequestForm, ProfileForm
from masar.accounts.models import User
from masar.accounts.password_reset import (
    ResetRequestVerdict,
    password_reset_request_verdict,
    user_password_reset,
)
from masar.accounts.services import user_profile_update
from masar.accounts.throttle import client_address, lockout_response
from masar.accounts.two_factor import (
    WrongCode,
    code_failure_count,
    code_is_locked,
    pending_device,
    qr_svg,
    second_factor_enrol,
    second_factor_reset,
    second_factor_verify,
    secret_text,
)
from masar.core.errors import DomainError, StaleEditError
from masar.core.forms import add_service_errors
from masar.core.policy import may_reset_second_factor, may_sign_in_without_second_factor


@login_required
def profile(request):
    """Let a person change their own name, contact details, language and e-mail frequency."""
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            user = user_profile_update(user=user, actor=user, expected_version=form.cleaned_data["version"], **data)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            add_service_errors(form, error, model=User)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            with translation.override(user.language):
                # The next page opens in the language just chosen, and says so in it.
                messages.success(request, _("Your profile was saved."))
                return redirect(reverse("accounts-profile"))
    return render(request, "accounts/profile.html", {"form": form})


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link: the same answer for every address, a few requests an hour."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts-password-reset-done")

    def form_valid(self, form):
        verdict = password_reset_request_verdict(address=client_address(self.request), email=form.cleaned_data["email"])
        if verdict == ResetRequestVerdict.ADDRESS_OVER_LIMIT:
            return render(self.request, "accounts/password_reset_throttled.html", status=429)
        if verdict == ResetRequestVerdict.EMAIL_OVER_LIMIT:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose the new password from the e-mailed link; the change is audited and ends the other sessions."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts-password-reset-complete")

    def form_valid(self, form):
        user_password_reset(form=form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


def _next_url(request):
    """Return the page to go on to after the second factor: the `next` asked for if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor(request):
    """Ask a person who gave their password for the code of their authenticator app (or a backup code)."""
    if request.user.is_verified() or may_sign_in_without_second_factor(request.user):
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect("accounts-two-factor-enrol")
    if code_is_locked(request=request, user=request.user):
        return lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_verify(request=request, code=form.cleaned_data["code"])
        except WrongCode as error:
            code_failure_count(request=request, user=request.user)
            form.add_error("code", str(error.message))
        else:
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_enrol(request):
    """Enrol an authenticator app: its QR code and secret, confirmed by one of its codes; then the backup codes."""
    if may_sign_in_without_second_factor(request.user) or user_has_device(request.user):
        return redirect("accounts-two-factor")
    if code_is_locked(request=request, user=request.user):
        return lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor_enrol(request=request, code=form.cleaned_data["code"])
        except WrongCode as error:
            code_failure_count(request=request, user=request.user)
            form.add_error("code", str(error.message))
        else:
            # Shown on this answer only: the backup codes are never displayed again.
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
    device = pending_device(request=request)
    return render(request, "accounts/two_factor_enrol.html", {"form": form, "secret": secret_text(device)})


@login_required
def two_factor_qr(request):
    """Return the QR code of the secret being enrolled, as an image (no inline markup, for the CSP)."""
    if may_sign_in_without_second_factor(request.user) or user_has_device(request.user):
        raise Http404
    response = HttpResponse(qr_svg(pending_device(request=request)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def two_factor_reset(request, pk):
    """Let the national unit remove another person's authenticator (a lost phone); they enrol again."""
    person = get_object_or_404(User, pk=pk)
    if not may_reset_second_factor(request.user, person):
        raise PermissionDenied
    if request.method == "POST":
        second_factor_reset(person=person, actor=request.user)
        messages.success(request, _("The authenticator was removed: this person enrols a new one at next sign-in."))
        return redirect("accounts-two-factor-reset", pk=person.pk)
    return render(request, "accounts/two_factor_reset.html", {"person": person, "enrolled": user_has_device(person)})
