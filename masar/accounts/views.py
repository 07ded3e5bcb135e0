from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from masar.accounts.forms import ProfileForm
from masar.accounts.models import User
from masar.accounts.services import user_profile_update
from masar.core.errors import DomainError, StaleEditError
from masar.core.forms import add_service_errors


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
