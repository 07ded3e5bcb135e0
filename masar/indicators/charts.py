"""Vega-Lite specifications for indicator charts, built in Python and drawn in the browser by the bundle Masar serves.

The same specification can be rendered to SVG or PNG by vl-convert for printed packs.
"""

import functools

from babel.dates import get_day_names, get_month_names, get_period_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from masar.core.templatetags.masar import babel_locale
from masar.indicators.periods import next_period, period_label, period_start
from masar.indicators.trajectory import AT_RISK, NOT_JUDGED, OFF_TRACK, ON_TRACK, JudgementStatus, month_x

COLORS = {
    ON_TRACK: "#1f7a3a",
    AT_RISK: "#9a6700",
    OFF_TRACK: "#b42318",
    NOT_JUDGED: "#5b6675",
    "actual": "#0d5c63",
    "target": "#b35c00",
    "trajectory": "#5b6675",
    "forecast": "#6941c6",
}
STATUS_ORDER = [ON_TRACK, AT_RISK, OFF_TRACK, NOT_JUDGED]
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def status_labels():
    """Return {judgement: its label in the active language}, for chart legends."""
    return {status: str(status.label) for status in JudgementStatus}


def embed_options():
    """Return vega-embed options: SVG, no action menu, numbers and dates in the active language.

    Under the Content-Security-Policy: `ast` makes Vega interpret its expressions instead of compiling them
    with `new Function` (eval); `defaultStyle: false` and the tooltip's `disableDefaultStyle` keep vega-embed
    and vega-tooltip from injecting an inline <style> (masar.css carries their rules).
    """
    return _embed_options(babel_locale())


@functools.lru_cache(maxsize=8)
def _embed_options(locale):
    """Return the options for one locale: CLDR's names never change while the process runs."""
    days = get_day_names("wide", locale=locale)
    short_days = get_day_names("abbreviated", locale=locale)
    months = get_month_names("wide", locale=locale)
    short_months = get_month_names("abbreviated", locale=locale)
    periods = get_period_names(locale=locale)
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "renderer": "svg",
        "actions": False,
        "ast": True,
        "defaultStyle": False,
        "tooltip": {"disableDefaultStyle": True},
        "formatLocale": {
            "decimal": get_decimal_symbol(locale),
            "thousands": get_group_symbol(locale).replace("\u202f", "\u00a0"),
            "grouping": [3],
            "currency": ["", ""],
        },
        "timeFormatLocale": {
            "dateTime": "%x %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
            "days": [days[i] for i in sunday_first],
            "shortDays": [short_days[i] for i in sunday_first],
            "months": [months[i] for i in range(1, 13)],
            "shortMonths": [short_months[i] for i in range(1, 13)],
        },
    }


def bar_direction():
    """Return True when bars grow from the right: in a right-to-left language, for every bar chart alike."""
    return get_language_bidi()


def _time_format(frequency):
    return "%Y" if frequency == "yearly" else "%b %Y"


def indicator_chart(indicator, points, trajectory, outlook, targets):
    """Return the chart of an indicator: trajectory with its tolerance bands, baseline, targets, values and forecast."""
    labels = status_labels()
    unit = indicator.unit
    period_title = _("Period")
    value_title = _("Value")
    x_axis = {
        "field": "date",
        "type": "temporal",
        "title": period_title,
        "axis": {
            "format": _time_format(indicator.frequency),
            "labelOverlap": True,
            "grid": False,
            **({"tickCount": {"interval": "year", "step": 1}} if indicator.frequency == "yearly" else {}),
        },
    }
    y_scale = {"zero": False, "nice": True}
    layers = []
    datasets = {}  # each series once, named, whatever the number of layers drawing it

    if trajectory.is_defined:
        band_rows = []
        baseline_x, _baseline_value = trajectory.baseline
        end_day = _x_day(trajectory.end[0])
        day = period_start(_x_day(baseline_x), indicator.frequency)
        samples = []
        while day <= end_day:
            samples.append(day)
            day = next_period(day, indicator.frequency)
        datasets["band"] = band_rows
        for day in samples:
            band = trajectory.band(month_x(day))
            if band is None:
                continue
            expected, on_edge, risk_edge = band
            band_rows.append(
                {
                    "date": day.isoformat(),
                    "expected": round(expected, 4),
                    "on_low": round(min(on_edge, 2 * expected - on_edge), 4),
                    "on_high": round(max(on_edge, 2 * expected - on_edge), 4),
                    "risk_a": round(risk_edge, 4),
                    "risk_b": round(on_edge, 4),
                    "label": period_label(day, indicator.frequency),
                }
            )
        layers += [
            {
                "data": {"name": "band"},
                "mark": {"type": "area", "opacity": 0.12, "color": COLORS[AT_RISK]},
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "risk_a", "type": "quantitative", "title": unit, "scale": y_scale},
                    "y2": {"field": "risk_b"},
                },
            },
            {
                "data": {"name": "band"},
                "mark": {"type": "area", "opacity": 0.18, "color": COLORS[ON_TRACK]},
                "encoding": {"x": x_axis, "y": {"field": "on_low", "type": "quantitative"}, "y2": {"field": "on_high"}},
            },
            {
                "data": {"name": "band"},
                "mark": {"type": "line", "strokeDash": [6, 4], "color": COLORS["trajectory"], "strokeWidth": 1.5},
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "expected", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "title": period_title},
                        {"field": "expected", "title": _("Expected"), "format": ",.4~f"},
                    ],
                },
            },
            {
                "data": {
                    "values": [
                        {
                            "date": _x_day(baseline_x).isoformat(),
                            "value": trajectory.baseline[1],
                            "label": _("Baseline"),
                        }
                    ]
                },
                "mark": {"type": "point", "shape": "square", "filled": True, "size": 90, "color": COLORS["trajectory"]},
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "title": " "},
                        {"field": "value", "title": value_title, "format": ",.4~f"},
                    ],
                },
            },
        ]
    if targets:
        layers.append(
            {
                "data": {
                    "values": [
                        {
                            "date": t.period.isoformat(),
                            "value": float(t.value),
                            "label": _("Target"),
                            "period": period_label(t.period, indicator.frequency),
                        }
                        for t in targets
                    ]
                },
                "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 160, "color": COLORS["target"]},
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "title": " "},
                        {"field": "period", "title": period_title},
                        {"field": "value", "title": value_title, "format": ",.4~f"},
                    ],
                },
            }
        )
    if outlook is not None and points:
        last = points[-1]
        forecast_rows = datasets["forecast"] = [
            {"date": last.period.isoformat(), "value": last.value, "low": last.value, "high": last.value},
            {
                "date": _x_day(outlook.x).isoformat(),
                "value": round(outlook.value, 4),
                "low": round(outlook.low, 4),
                "high": round(outlook.high, 4),
            },
        ]
        layers += [
            {
                "data": {"name": "forecast"},
                "mark": {"type": "area", "opacity": 0.15, "color": COLORS["forecast"]},
                "encoding": {"x": x_axis, "y": {"field": "low", "type": "quantitative"}, "y2": {"field": "high"}},
            },
            {
                "data": {"name": "forecast"},
                "mark": {"type": "line", "strokeDash": [2, 3], "color": COLORS["forecast"], "strokeWidth": 2},
                "encoding": {"x": x_axis, "y": {"field": "value", "type": "quantitative"}},
            },
            {
                "data": {"values": forecast_rows[1:]},
                "mark": {
                    "type": "point",
                    "shape": "circle",
                    "filled": False,
                    "size": 110,
                    "color": COLORS["forecast"],
                    "strokeWidth": 2,
                },
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "value", "title": _("Forecast"), "format": ",.4~f"},
                        {"field": "low", "title": _("Low"), "format": ",.4~f"},
                        {"field": "high", "title": _("High"), "format": ",.4~f"},
                    ],
                },
            },
        ]
    if points:
        datasets["actual"] = [
            {
                "date": p.period.isoformat(),
                "value": p.value,
                "label": p.label,
                "status": p.status,
                "status_label": labels[p.status],
                "expected": None if p.expected is None else round(p.expected, 4),
            }
            for p in points
        ]
        layers += [
            {
                "data": {"name": "actual"},
                "mark": {"type": "line", "color": COLORS["actual"], "strokeWidth": 2.5},
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "value", "type": "quantitative", "title": unit, "scale": y_scale},
                },
            },
            {
                "data": {"name": "actual"},
                "mark": {"type": "point", "filled": True, "size": 70, "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": {
                    "x": x_axis,
                    "y": {"field": "value", "type": "quantitative"},
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": STATUS_ORDER, "range": [COLORS[s] for s in STATUS_ORDER]},
                    },
                    "tooltip": [
                        {"field": "label", "title": period_title},
                        {"field": "value", "title": value_title, "format": ",.4~f"},
                        {"field": "expected", "title": _("Expected"), "format": ",.4~f"},
                        {"field": "status_label", "title": _("Status")},
                    ],
                },
            },
        ]
    if not layers:
        return None
    return {
        "$schema": SCHEMA,
        "description": _("Values of %(indicator)s with its trajectory, targets and forecast")
        % {"indicator": indicator.name},
        "width": "container",
        "height": 320,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": "Noto Naskh Arabic, Noto Sans Arabic, Noto Sans, Tahoma, DejaVu Sans, sans-serif",
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
        },
        "datasets": datasets,
        "layer": layers,
    }


def breakdown_chart(indicator, rows):
    """Return a bar chart of the latest values by region or organization, coloured by status."""
    labels = status_labels()
    data = [
        {"place": row.place.name, "value": row.value, "status": row.status, "status_label": labels[row.status]}
        for row in rows
        if row.value is not None
    ]
    if not data:
        return None
    rtl = bar_direction()
    return {
        "$schema": SCHEMA,
        "description": _("Latest values of %(indicator)s by place") % {"indicator": indicator.name},
        "width": "container",
        "height": {"step": 18},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": "Noto Naskh Arabic, Noto Sans Arabic, Noto Sans, Tahoma, DejaVu Sans, sans-serif",
            "view": {"stroke": None},
        },
        "data": {"values": data},
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": "place",
                "type": "nominal",
                "sort": "-x",
                "title": None,
                "axis": {"orient": "right" if rtl else "left"},
            },
            "x": {"field": "value", "type": "quantitative", "title": indicator.unit, "scale": {"reverse": rtl}},
            "color": {
                "field": "status",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": STATUS_ORDER, "range": [COLORS[s] for s in STATUS_ORDER]},
            },
            "tooltip": [
                {"field": "place", "title": _("Place")},
                {"field": "value", "title": _("Value"), "format": ",.4~f"},
                {"field": "status_label", "title": _("Status")},
            ],
        },
    }


def _x_day(x):
    from masar.indicators.trajectory import x_to_date

    return x_to_date(x)
