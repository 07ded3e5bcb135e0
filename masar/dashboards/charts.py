"""Vega-Lite specifications shared by the pages (drawn in the browser) and the PDFs (drawn by vl-convert).

One function builds each chart's specification, so the screen and the council pack show the same chart.
"""

import base64

from django.utils.translation import get_language, gettext

from masar.delivery.models import Confidence

CHART_FONTS = "/usr/share/fonts/truetype/noto"
RATING_COLOURS = {
    "green": "#2e8b57",
    "amber_green": "#9acd32",
    "amber": "#e0a800",
    "amber_red": "#e8743b",
    "red": "#c0392b",
    "": "#b0b7c3",
}


def ratings_by_axis_spec(rows, *, width=460):
    """Return the stacked bars of projects by axis and computed rating; rows: {"axis", "rating", "n"}.

    The rating's name is written in the legend and the tooltip: colour is never the only carrier.
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
        }
        for row in rows
    ]
    rtl = (get_language() or "ar")[:2] == "ar"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {
                "field": "axis",
                "type": "nominal",
                "title": None,
                "axis": {"labelLimit": 260, "orient": "right" if rtl else "left"},
            },
            "x": {"field": "n", "type": "quantitative", "title": gettext("Projects"), "scale": {"reverse": rtl}},
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
        },
        "config": {"font": "Noto Sans Arabic" if rtl else "Noto Sans"},
    }


def png_data_uri(spec):
    """Render a specification to a PNG data URI (Arabic shaped by vl-convert), for PDFs."""
    import vl_convert as vlc

    vlc.register_font_directory(CHART_FONTS)
    return "data:image/png;base64," + base64.b64encode(vlc.vegalite_to_png(spec, scale=2)).decode()
