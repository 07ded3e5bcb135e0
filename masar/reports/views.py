from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from masar.core.ids import parse_id
from masar.core.jobs import job_state
from masar.core.models import Classification
from masar.core.policy import levels_up_to, max_clearance
from masar.organizations.models import Organization
from masar.reports.models import CouncilPack, PackStatus
from masar.reports.services import pack_request


class PackForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("ar", _("Arabic")), ("fr", _("French"))])
    classification = forms.ChoiceField(label=_("Highest classification in the pack"), choices=())

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the levels this reader may ask a pack for are offered.
        self.fields["classification"].choices = [
            (level, Classification(level).label) for level in levels_up_to(max_clearance(reader))
        ]


@login_required
def pack_create(request):
    """Ask for the national pack, or with ?organization=<pk> a sectoral one."""
    organization = None
    if request.GET.get("organization"):
        organization = get_object_or_404(Organization, pk=parse_id(request.GET["organization"]))
    form = PackForm(
        request.POST or None,
        reader=request.reader,
        initial={
            "language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("ar", "fr") else "ar",
            "classification": Classification.RESTRICTED,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            pack = pack_request(user=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("reports-pack-detail", pk=pack.pk)
    context = {
        "form": form,
        "organization": organization,
        "clearance": max_clearance(request.user),
        "allowed": levels_up_to(max_clearance(request.user)),
    }
    return render(request, "reports/pack_form.html", context, status=400 if form.errors else 200)


def _own_pack(request, pk):
    return get_object_or_404(CouncilPack.objects.select_related("organization"), pk=pk, requested_by=request.user)


@login_required
def pack_detail(request, pk):
    """Show a pack's progress, its link once ready, and say so plainly when no worker has picked it up."""
    pack = _own_pack(request, pk)
    state = job_state(pack)
    return render(
        request,
        "reports/pack_detail.html",
        {
            "pack": pack,
            "waiting": state.waiting,
            "unclaimed": state.unclaimed,
            "notice": state.notice,
            "retention_days": settings.PACK_RETENTION_DAYS,
        },
    )


@login_required
def pack_download(request, pk):
    pack = _own_pack(request, pk)
    if pack.is_expired:  # its page says so
        return redirect("reports-pack-detail", pk=pack.pk)
    if pack.status != PackStatus.DONE or not pack.file:
        raise Http404
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=False,
        filename=pack.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
