"""What the portal's dataset page shows of a published dataset's data: its first rows and a chart.

Both are read from the published JSON file (the rows the public reader gave at the last generation), never
from the records again: the page shows exactly what a visitor downloads.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import TextChoices
from django.utils.translation import get_language, gettext

from masar.decisions.models import DecisionStatus
from masar.indicators.charts import SCHEMA, bar_direction
from masar.opendata.models import EuTheme, NationalTheme, Publication, PublicView, Resource, ResourceFormat
from masar.opendata.tables import table_of
from masar.organizations.models import Region
from masar.portfolio.models import ProjectStatus

PREVIEW_ROWS = 20
PREVIEW_SECONDS = 24 * 3600
CHART_FONT = "Noto Naskh Arabic, Noto Sans Arabic, Noto Sans, Tahoma, DejaVu Sans, sans-serif"
# The enumeration whose labels name a chart's categories, by public view (the files hold the keys).
CATEGORY_CHOICES: dict[str, type[TextChoices]] = {
    PublicView.PROJECTS: ProjectStatus,
    PublicView.DECISIONS: DecisionStatus,
}


@dataclass(frozen=True)
class Preview:
    """The first rows of a published dataset's file, how many it holds, and its chart's specification (or None)."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    total: int = 0
    chart: dict[str, Any] | None = None


def dataset_preview(publication: Publication, limit: int = PREVIEW_ROWS) -> Preview:
    """Return the first rows and the chart of a published dataset, read from its JSON file.

    Reading a national-size file (20,000 projects, some 15 MB) takes a second, so the result is kept per
    version of the file (its SHA-256), of the publication's metadata and per language: a page reads the
    file once per version, and a kept preview costs no query.
    """
    names = [column.name for column in table_of(publication).columns]
    resource = next((r for r in publication.resources.all() if r.format == ResourceFormat.JSON), None)
    if resource is None:  # not generated yet
        return Preview(names)
    key = f"opendata-preview:{resource.sha256}:{publication.pk}:{publication.version}:{get_language()}:{limit}"
    preview = cache.get(key)
    if preview is None:
        preview = _read(publication, resource, names, limit)
        cache.set(key, preview, PREVIEW_SECONDS)
    return preview


def _read(publication: Publication, resource: Resource, names: list[str], limit: int) -> Preview:
    content = Resource.objects.filter(pk=resource.pk).values_list("content", flat=True).first()
    if content is None:
        return Preview(names)
    document = json.loads(bytes(content))
    columns = [str(f["name"]) for f in document.get("schema", {}).get("fields", [])] or names
    data = document.get("data", [])
    rows = [[row.get(name) for name in columns] for row in data[:limit]]
    return Preview(columns, rows, len(data), chart_spec(publication, data))


def chart_spec(publication: Publication, data: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the Vega-Lite chart of a published dataset's rows where its view suits one, else None.

    A view without a number column counts its rows per category (projects per status); one with a
    number draws it over its category (an indicator's value per period, one line per region).
    """
    chart = table_of(publication).chart
    if chart is None or not data:
        return None
    category, number = chart
    if not number:
        return _count_chart(publication, data, category)
    return _series_chart(publication, data, category, number)


def _count_chart(publication: Publication, data: list[dict[str, Any]], category: str) -> dict[str, Any]:
    choices = CATEGORY_CHOICES.get(publication.view)
    labels = dict(choices.choices) if choices is not None else {}
    order = list(labels)
    counts = Counter(str(row.get(category) or "") for row in data)
    values = [
        {"category": str(labels.get(key, key or "—")), "n": n}
        for key, n in sorted(counts.items(), key=lambda item: (order.index(item[0]) if item[0] in order else 99, item))
    ]
    rtl = bar_direction()
    title = gettext("Rows")
    return {
        "$schema": SCHEMA,
        "description": gettext("%(title)s: number of rows by category") % {"title": publication.title},
        "width": "container",
        "height": {"step": 28},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"font": CHART_FONT, "view": {"stroke": None}},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {
                "field": "category",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"orient": "right" if rtl else "left", "labelLimit": 300},
            },
            "x": {
                "field": "n",
                "type": "quantitative",
                "title": title,
                "scale": {"reverse": rtl},
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "tooltip": [{"field": "category", "title": gettext("Category")}, {"field": "n", "title": title}],
        },
    }


def _series_chart(
    publication: Publication, data: list[dict[str, Any]], category: str, number: str
) -> dict[str, Any] | None:
    codes = {str(row.get("region_code")) for row in data if row.get("region_code")}
    names = {region.code: region.name for region in Region.objects.filter(code__in=codes)} if codes else {}
    national = gettext("National")
    values = [
        {
            "x": row.get(category),
            "y": row.get(number),
            "series": names.get(row.get("region_code") or "", row.get("region_code") or national),
        }
        for row in data
        if row.get(number) is not None and row.get(category) is not None
    ]
    if not values:
        return None
    value_title = gettext("Value")
    period_title = gettext("Period")
    place_title = gettext("Place")
    return {
        "$schema": SCHEMA,
        "description": gettext("%(title)s: values by period and place") % {"title": publication.title},
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"font": CHART_FONT, "view": {"stroke": None}},
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "x", "type": "temporal", "title": period_title},
            "y": {"field": "y", "type": "quantitative", "title": value_title},
            "color": {"field": "series", "type": "nominal", "title": place_title, "legend": {"orient": "bottom"}},
            "tooltip": [
                {"field": "series", "title": place_title},
                {"field": "x", "type": "temporal", "title": period_title},
                {"field": "y", "title": value_title, "format": ",.4~f"},
            ],
        },
    }


def theme_labels(publication: Publication) -> list[str]:
    """Return the names of a publication's EU and national themes in the active language."""
    labels = {**dict(EuTheme.choices), **dict(NationalTheme.choices)}
    codes = [*(publication.themes or ()), *(publication.national_themes or ())]
    return [str(labels.get(code, code)) for code in codes]
