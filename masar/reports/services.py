"""Council packs: what the council reads, as a PDF in Arabic or French, built in the background."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from masar.core.charts import png_data_uri, ratings_by_axis_spec
from masar.core.models import Classification
from masar.core.policy import Reader, max_clearance, may_request_pack
from masar.dashboards.selectors import indicator_scorecards
from masar.decisions.models import DecisionStatus
from masar.decisions.selectors import decisions_with_status
from masar.delivery.models import Confidence, Obstacle
from masar.portfolio.models import Project
from masar.reports.models import CouncilPack, PackStatus

DECISION_HORIZON_DAYS = 30
CHART_FONTS = "/usr/share/fonts/truetype/noto"
RATING_COLOURS = {
    "green": "#2e8b57",
    "amber_green": "#9acd32",
    "amber": "#e0a800",
    "amber_red": "#e8743b",
    "red": "#c0392b",
}


@transaction.atomic
def pack_request(*, user, organization=None, language="ar", classification=Classification.RESTRICTED):
    """Ask for a council pack; refuse one above the user's clearance or about an organization they may not see."""
    if not Reader.of(user).is_person:
        raise PermissionDenied
    if not may_request_pack(user, classification):
        raise ValidationError(
            {
                "classification": _("You may not ask for a pack above your clearance (%(level)s).")
                % {"level": Classification(max_clearance(user)).label}
            }
        )
    pack = CouncilPack.objects.create(
        requested_by=user, organization=organization, language=language, classification=classification
    )
    from masar.reports.tasks import build_council_pack

    transaction.on_commit(lambda: build_council_pack.enqueue(pack.pk))
    return pack


def _progress(pack, percent, status=PackStatus.RUNNING):
    CouncilPack.objects.filter(pk=pack.pk).update(progress=percent, status=status)


def pack_context(pack, today=None):
    """Gather the pack's contents through the requester's visibility, capped at the pack's classification."""
    today = today or timezone.localdate()
    reader = Reader.of(pack.requested_by).capped(pack.classification)
    projects = Project.objects.visible_to(reader)
    if pack.organization is not None:
        projects = projects.filter(owner__path__startswith=pack.organization.path)
    by_axis = list(
        projects.values("strategy__name_ar", "axis__name_ar", "axis__name_fr", "axis__name_en", "health__computed")
        .annotate(n=Count("pk"))
        .order_by("strategy__name_ar", "axis__name_ar")
    )
    name_key = f"axis__name_{pack.language}"
    rows = [
        {"axis": r[name_key] or r["axis__name_ar"] or "—", "rating": r["health__computed"], "n": r["n"]}
        for r in by_axis
    ]
    totals = dict(projects.values_list("health__computed").annotate(n=Count("pk")).order_by())
    obstacles = Obstacle.objects.visible_to(reader).unresolved().select_related("must_act")
    at_risk = list(
        projects.filter(health__computed__in=[Confidence.RED, Confidence.AMBER_RED])
        .select_related("owner", "health")
        .prefetch_related(Prefetch("obstacles", queryset=obstacles, to_attr="open_obstacles"))
        .order_by("health__computed", "code")
    )
    decisions = (
        decisions_with_status(reader, today)
        .filter(due_date__lte=today + datetime.timedelta(days=DECISION_HORIZON_DAYS))
        .exclude(status=DecisionStatus.DONE)
        .select_related("responsible", "meeting")
        .order_by("due_date")
    )
    if pack.organization is not None:
        decisions = decisions.filter(responsible__path__startswith=pack.organization.path)
    cards = indicator_scorecards(reader, pack.organization)
    return {
        "pack": pack,
        "today": today,
        "scope": pack.organization,
        "project_count": projects.count(),
        "totals": [(Confidence(c).label, c, totals.get(c, 0)) for c in Confidence.values],
        "unrated": totals.get(None, 0),
        "flagged": projects.filter(health__flagged=True).count(),
        "chart": png_data_uri(ratings_by_axis_spec(rows)) if rows else None,
        "at_risk": at_risk,
        "decisions": list(decisions),
        "cards": cards,
        "marking": dict(pack._meta.get_field("classification").choices)[pack.classification],
    }


def pack_build(*, pack_id):
    """Build the PDF of a pack, reporting progress; a failure is recorded on the pack, not lost."""
    from weasyprint import HTML

    pack = CouncilPack.objects.select_related("requested_by", "organization").get(pk=pack_id)
    _progress(pack, 5)
    try:
        with translation.override(pack.language):
            context = pack_context(pack)
            _progress(pack, 50)
            html = render_to_string("reports/council_pack.html", context)
            _progress(pack, 70)
            pdf = HTML(string=html).write_pdf()
        pack.file.save(f"council-pack-{pack.pk}-{pack.language}.pdf", ContentFile(pdf), save=False)
        CouncilPack.objects.filter(pk=pack.pk).update(
            file=pack.file.name, status=PackStatus.DONE, progress=100, finished_at=timezone.now()
        )
    except Exception as error:  # recorded for the person waiting, then re-raised for the worker's log
        CouncilPack.objects.filter(pk=pack.pk).update(status=PackStatus.FAILED, error=str(error)[:2000])
        raise
    return pack.pk
