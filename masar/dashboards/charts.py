"""Vega-Lite specifications shared by the pages (drawn in the browser) and the PDFs (drawn by vl-convert).

One function builds each chart's specification, so the screen and the council pack show the same chart.
"""

import base64

from django.utils.translation import gettext

from masar.delivery.models import Confidence
from masar.indicators.charts import bar_direction

CHART_FONTS = "/usr/share/fonts/truetype/noto"
RATING_COLOURS = {
    "green": "#2e8b57",
    "amber_green": "#9acd32",
    "amber": "#e0a800",
    "amber_red": "#e8743b",
    "red": "#c0392b",
    "": "#b0b7c3",
}


AXIS_STEP = 34  # the height of each axis's bar, so long axis names are never squeezed
AXIS_LABEL_LIMIT = 300


def ratings_by_axis_spec(rows, *, width=460):
    """Return the stacked bars of projects by axis and computed rating; rows: {"axis", "rating", "n", "url"?}.

    The rating's name is written in the legend and the tooltip: colour is never the only carrier.
    A row's "url" (the project list of that axis and rating) makes its bar segment a link.
    In Arabic the bars grow from the right, as every bar chart of Masar does (see bar_direction).
    """
    labels = dict(Confidence.choices)
    unrated = gettext("not rated yet")
    order = [*Confidence.values, ""]
    values = [
        {
            "axis": row["axis"],
            "rating": str(labels.get(row["rating"], unrated)),
            "n": row["n"],
            "order": order.index(row["rating"] or ""),
            "url": row.get("url"),
        }
        for row in rows
    ]
    rtl = bar_direction()
    encoding = {
        "y": {
            "field": "axis",
            "type": "nominal",
            "title": None,
            "axis": {"labelLimit": AXIS_LABEL_LIMIT, "orient": "right" if rtl else "left"},
        },
        "x": {
            "field": "n",
            "type": "quantitative",
            "title": gettext("Projects"),
            "scale": {"reverse": rtl},
            # Projects are whole: no tick at a fraction of a project.
            "axis": {"tickMinStep": 1, "format": "d"},
        },
        "color": {
            "field": "rating",
            "type": "nominal",
            "title": gettext("Computed rating"),
            "scale": {
                "domain": [str(labels[c]) for c in Confidence.values] + [str(unrated)],
                "range": [RATING_COLOURS[c] for c in order],
            },
            "legend": {"orient": "bottom"},
        },
        "order": {"field": "order"},
        "tooltip": [{"field": "axis"}, {"field": "rating"}, {"field": "n", "title": gettext("Projects")}],
    }
    mark = {"type": "bar", "tooltip": True}
    if any(value["url"] for value in values):
        encoding["href"] = {"field": "url"}
        mark["cursor"] = "pointer"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": {"step": AXIS_STEP},
        "data": {"values": values},
        "mark": mark,
        "encoding": encoding,
        "config": {"font": "Noto Sans Arabic" if rtl else "Noto Sans"},
    }


def png_data_uri(spec):
    """Render a specification to a PNG data URI (Arabic shaped by vl-convert), for PDFs."""
    import vl_convert as vlc

    vlc.register_font_directory(CHART_FONTS)
    return "data:image/png;base64," + base64.b64encode(vlc.vegalite_to_png(spec, scale=2)).decode()


def svg_png_data_uri(svg):
    """Render an SVG drawing to a PNG data URI with the Noto fonts, for PDFs.

    WeasyPrint lays SVG text out letter by letter and can lose the right-to-left order of Arabic names;
    resvg (inside vl-convert) shapes and orders them as a browser does.
    """
    import vl_convert as vlc

    vlc.register_font_directory(CHART_FONTS)
    return "data:image/png;base64," + base64.b64encode(vlc.svg_to_png(svg, scale=2)).decode()
