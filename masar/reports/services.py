"""Council packs: what the council reads, as a PDF in Arabic or French, built in the background."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from masar.core.jobs import Claim, job_claim, job_enqueue
from masar.core.models import Classification
from masar.core.policy import Reader, max_clearance, may_request_pack
from masar.dashboards.charts import png_data_uri, ratings_by_axis_spec, svg_png_data_uri
from masar.dashboards.selectors import indicator_scorecards, projects_by_region
from masar.decisions.rows import decision_row
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.delivery.models import Confidence, Obstacle
from masar.delivery.rows import obstacle_row
from masar.delivery.trends import changes_digest, changes_since_last_council
from masar.portfolio.rows import project_row, with_row_data
from masar.portfolio.selectors import ProjectFilters, project_list
from masar.reports.models import CouncilPack, PackStatus

if TYPE_CHECKING:
    from typing import Any

    from masar.accounts.models import User
    from masar.organizations.models import Organization

DECISION_HORIZON_DAYS = 30
AT_RISK_RATINGS = [Confidence.RED, Confidence.AMBER_RED]
# A pack names this many of the red and amber/red projects (worst first), this many open obstacles under each
# (newest first) and this many decisions (soonest due first); it counts the others. WeasyPrint lays out the
# whole document in memory, so what it names is bounded whatever the size of the portfolio.
AT_RISK_SHOWN = 50
OBSTACLES_SHOWN = 5
DECISIONS_SHOWN = 50
CHART_FONTS = "/usr/share/fonts/truetype/noto"


@transaction.atomic
def pack_request(
    *,
    user: Any,
    organization: Organization | None = None,
    language: str = "ar",
    classification: str = "restricted",
) -> CouncilPack:
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
        requested_by=cast("User", user), organization=organization, language=language, classification=classification
    )
    job_enqueue(pack)
    return pack


def pack_context(pack: CouncilPack, today: datetime.date | None = None) -> dict[str, Any]:
    """Gather the pack's contents through the requester's visibility, capped at the pack's classification."""
    today = today or timezone.localdate()
    reader = Reader.of(pack.requested_by).capped(pack.classification)
    projects = project_list(reader, ProjectFilters(organization=pack.organization)).order_by()
    by_axis = list(
        projects.values("strategy__name_ar", "axis__name_ar", "axis__name_fr", "axis__name_en", "health__computed")
        .annotate(n=Count("pk"))
        .order_by("strategy__name_ar", "axis__name_ar")
    )
    name_key = f"axis__name_{pack.language}"
    rows = [
        {"axis": dict(r)[name_key] or r["axis__name_ar"] or "—", "rating": r["health__computed"], "n": r["n"]}
        for r in by_axis
    ]
    totals = dict(projects.values_list("health__computed").annotate(n=Count("pk")).order_by())
    at_risk = at_risk_items(reader, pack.organization)
    at_risk_count = sum(totals.get(rating, 0) for rating in AT_RISK_RATINGS)
    due = DecisionFilters(
        organization=pack.organization,
        due_by=today + datetime.timedelta(days=DECISION_HORIZON_DAYS),
        open_only=True,
    )
    decisions = decision_list(reader, due, today).select_related("responsible", "meeting")
    decision_count = decisions.count()
    shown_decisions = [decision_row(decision, reader) for decision in decisions[:DECISIONS_SHOWN]]
    cards = indicator_scorecards(reader, pack.organization)
    changes = changes_since_last_council(reader, today=today, filters=ProjectFilters(organization=pack.organization))
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
        "at_risk_more": at_risk_count - len(at_risk),
        "decisions": shown_decisions,
        "decisions_more": decision_count - len(shown_decisions),
        "cards": cards,
        "changes": changes,
        "change_groups": changes_digest(changes) if changes is not None else [],
        **region_map_of(projects),
        "marking": dict(cast("list[tuple[str, Any]]", pack._meta.get_field("classification").choices))[
            pack.classification
        ],
    }


def at_risk_items(reader: Reader, organization: Organization | None) -> list[dict[str, Any]]:
    """Return the red and amber/red projects the pack names, worst first, each with its newest open obstacles.

    A pack is rendered whole before it is printed: it names at most AT_RISK_SHOWN projects and
    OBSTACLES_SHOWN obstacles under each, and counts the others, so its size does not grow with the portfolio.
    """
    obstacles = Obstacle.objects.visible_to(reader).unresolved()
    counted = obstacles.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
    projects = (
        with_row_data(project_list(reader, ProjectFilters(organization=organization, sort="-rating")), reader)
        .filter(health__computed__in=AT_RISK_RATINGS)
        .annotate(open_obstacle_count=Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "obstacles",
                queryset=obstacles.select_related("must_act").order_by("-reported_at", "pk")[:OBSTACLES_SHOWN],
                to_attr="open_obstacles",
            )
        )
    )
    return [
        {
            "project": project_row(project, reader),
            "obstacles": [obstacle_row(o, reader) for o in project.open_obstacles],
            "more_obstacles": project.open_obstacle_count - len(project.open_obstacles),
        }
        for project in projects[:AT_RISK_SHOWN]
    ]


def region_map_of(projects: Any) -> dict[str, Any]:
    """Return the tile map of the projects by region, drawn as on the dashboards and rendered to PNG."""
    region_map = projects_by_region(projects)[1]
    if region_map is None:
        return {"region_map": None, "region_map_png": None}
    svg = render_to_string("organizations/_tile_map_svg.html", {"map": region_map, "title": "", "digits": 0})
    return {"region_map": region_map, "region_map_png": svg_png_data_uri(svg)}


def pack_build(*, pack_id: int) -> int:
    """Build the PDF of a pack, reporting progress; a failure is recorded on the pack, not lost.

    A pack already built, failed, or being built by a living worker is left as it is (the task may be
    delivered twice, or retried after its worker died): the claim decides, and only the attempt that still
    holds the pack records its file.
    """
    claim = job_claim(CouncilPack, pack_id)
    if claim is None:
        return pack_id
    pack = CouncilPack.objects.select_related("requested_by", "organization").get(pk=pack_id)
    claim.heartbeat(progress=5)
    try:
        pdf = _pack_pdf(pack, claim)
        # A name of this attempt's own: a file another attempt half wrote is never the one shown.
        name = pack.file.storage.save(
            f"packs/council-pack-{pack.pk}-{pack.language}-a{claim.attempt}.pdf", ContentFile(pdf)
        )
    except Exception as error:  # recorded for the person waiting, then re-raised for the worker's log
        claim.fail(error=str(error))
        raise
    claim.finish(status=PackStatus.DONE, written=name, file=name, progress=100)
    return pack.pk


def _pack_pdf(pack: CouncilPack, claim: Claim) -> bytes:
    from weasyprint import HTML

    with translation.override(pack.language):
        context = pack_context(pack)
        claim.heartbeat(progress=50)
        html = render_to_string("reports/council_pack.html", context)
        claim.heartbeat(progress=70)
        return cast("bytes", HTML(string=html).write_pdf())
