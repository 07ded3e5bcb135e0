"""One label filter for every enumeration a template shows: each value its label, an unknown value itself."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from masar.core.models import Classification
from masar.core.templatetags.masar import CHOICES, choices_named
from masar.decisions.models import DecisionStatus
from masar.delivery.models import Confidence
from masar.indicators.models import MeasurementStatus
from masar.indicators.trajectory import JudgementStatus
from masar.portfolio.models import ProjectStatus

PARTIALS = [
    ("{% status_badge value %}", ProjectStatus, "status-"),
    ("{% classification_badge value %}", Classification, "classification-"),
    ("decisions/_decision_status.html", DecisionStatus, "decision-"),
    ("indicators/_judgement.html", JudgementStatus, "judgement-"),
    ("indicators/_workflow.html", MeasurementStatus, "workflow-"),
]


def render_partial(template, context):
    """Render a partial template by name, or a badge tag written inline."""
    if template.startswith("{%"):
        return Template(template).render(Context(context))
    return render_to_string(template, context)


def render_label(value, name):
    return Template("{{ value|choice_label:name }}").render(Context({"value": value, "name": name}))


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize("name", sorted(CHOICES))
def test_every_value_of_every_enumeration_renders_its_label(name, language):
    choices = choices_named(name)
    with translation.override("en"):
        english = {member: str(member.label) for member in choices}
    with translation.override(language):
        for member in choices:
            expected = str(member.label)
            assert render_label(member.value, name) == expected
            if language == "ar":
                assert expected != english[member]  # translated, not the English source


def test_the_labels_of_different_values_differ_so_a_swap_would_show():
    with translation.override("fr"):
        for name in CHOICES:
            labels = [render_label(value, name) for value in choices_named(name).values]
            assert len(set(labels)) == len(labels)


def test_a_value_the_enumeration_does_not_know_shows_as_itself():
    with translation.override("fr"):
        assert render_label("paused", "ProjectStatus") == "paused"
        assert render_label("secret", "Classification") == "secret"
        assert render_label("", "ProjectStatus") == ""
        assert render_label(None, "ProjectStatus") == ""


@pytest.mark.parametrize("template, choices, css", PARTIALS)
def test_each_partial_shows_the_label_and_keeps_its_css_hook(template, choices, css):
    with translation.override("fr"):
        for member in choices:
            html = render_partial(template, {"value": member.value})
            assert f"{css}{member.value}" in html
            assert str(member.label) in html
        unknown = render_partial(template, {"value": "brand_new"})
        assert "brand_new" in unknown
        assert not any(str(member.label) in unknown for member in choices)


def test_the_rating_reason_shows_the_level_label():
    with translation.override("fr"):
        for level in Confidence:
            html = render_to_string("delivery/_reason.html", {"reason": {"level": level.value, "rule": "schedule"}})
            assert f"rating-{level.value}" in html and str(level.label) in html


def test_done_and_overdue_decisions_keep_their_marks():
    with translation.override("ar"):
        assert "✔" in render_to_string("decisions/_decision_status.html", {"value": DecisionStatus.DONE})
        assert "⚠" in render_to_string("decisions/_decision_status.html", {"value": DecisionStatus.OVERDUE})
        plain = render_to_string("decisions/_decision_status.html", {"value": DecisionStatus.IN_PROGRESS})
        assert "✔" not in plain and "⚠" not in plain
