"""The navigation offers only what the reader may do; badges are legible (WCAG AA, 4.5:1)."""

import re
from pathlib import Path

import pytest

from masar.core import policy

ROOT = Path(__file__).resolve().parents[2] / "masar"
STYLESHEETS = sorted([*ROOT.glob("core/static/masar/*.css"), *ROOT.glob("*/static/**/*.css")])


def nav_of(client):
    body = client.get("/en/indicators/").content.decode()
    return re.search(r'<nav class="main-nav".*?</nav>', body, re.S).group(0)


def test_values_to_review_is_offered_to_a_coordinator_and_not_to_a_viewer(client_for, coordinator_a, viewer_a):
    assert "Values to review" in nav_of(client_for(coordinator_a))
    assert "Updates due" in nav_of(client_for(coordinator_a))
    viewer = nav_of(client_for(viewer_a))
    assert "Values to review" not in viewer and "Updates due" not in viewer
    assert "My work" in viewer  # every signed-in person has a My work page, first in the navigation
    assert viewer.index("My work") < viewer.index("Dashboards")


def test_a_project_manager_is_offered_updates_due_but_no_values_to_review(client_for, manager_a):
    nav = nav_of(client_for(manager_a))
    assert "Updates due" in nav and "Values to review" not in nav


def test_an_anonymous_visitor_is_offered_no_work(db, client_for):
    nav = nav_of(client_for(None))
    assert "My work" not in nav and "Updates due" not in nav and "Values to review" not in nav


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("national", (True, True, True)),
        ("coordinator_a", (True, True, True)),
        ("manager_a", (True, True, False)),
        ("viewer_a", (True, False, False)),
    ],
)
def test_the_navigation_follows_the_policy(request, who, expected):
    nav = policy.navigation(request.getfixturevalue(who))
    assert (nav.my_work, nav.updates_due, nav.values_to_review) == expected


# Contrast -----------------------------------------------------------------------------------------


def relative_luminance(colour):
    """Return the WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules():
    """Return (selector, declarations) of every rule of the stylesheets, var() resolved from :root."""
    text = "\n".join(re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S) for path in STYLESHEETS)
    variables = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", re.search(r":root\s*{(.*?)}", text, re.S).group(1)))
    found = []
    for selector, body in re.findall(r"([^{}]+){([^{}]*)}", text):
        declarations = {}
        for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
            value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)].strip(), value.strip())
            declarations[name] = value.lower()
        found.append((" ".join(selector.split()), declarations))
    return found


def colours_of(selector):
    """Return the text and background colours a rule of exactly this selector declares."""
    declared = [d for s, d in rules() if selector in [part.strip() for part in s.split(",")]]
    assert declared, f"no rule {selector}"
    merged = {k: v for d in declared for k, v in d.items()}
    background = re.search(r"#[0-9a-f]{6}", merged.get("background", merged.get("background-color", "")))
    return merged["color"], background.group(0)


@pytest.mark.parametrize(
    "selector", [".site-header .badge.unread-count", ".sample", ".judgement-at_risk", ".judgement-on_track"]
)
def test_badges_reach_wcag_aa(selector):
    colour, background = colours_of(selector)
    assert contrast(colour, background) >= 4.5, (selector, colour, background)


def test_every_rule_that_sets_both_colours_reaches_wcag_aa():
    checked = 0
    for selector, declarations in rules():
        colour = re.fullmatch(r"#[0-9a-f]{6}", declarations.get("color", ""))
        background = re.fullmatch(r"#[0-9a-f]{6}", declarations.get("background", ""))
        if colour and background:
            checked += 1
            assert contrast(colour.group(0), background.group(0)) >= 4.5, selector
    assert checked >= 5  # positive control: the header, buttons and badges are among them


def test_the_formula_catches_the_old_unread_badge():
    assert round(contrast("#ffffff", "#f4f6f8"), 2) == 1.08  # white on near-white: the colours replaced
