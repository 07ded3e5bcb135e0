"""The pages as a person sees them: Debian's Chromium, headless, over the demo, in Arabic and French.

Screenshots are saved under artifacts/screenshots/ for review (CI keeps that folder).
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.workspace.test_navigation_and_contrast import contrast

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


@pytest.fixture
def demo(transactional_db):
    from masar.demo.services import demo_load

    demo_load()


def horizontal_overflow(driver):
    return driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def hex_of(css_colour):
    """Return #rrggbb of a computed CSS colour ("rgb(r, g, b)" or "rgba(r, g, b, a)"; a transparent one is white)."""
    parts = [float(p) for p in css_colour[css_colour.index("(") + 1 : -1].split(",")]
    if len(parts) == 4 and parts[3] == 0:
        return "#ffffff"
    return "#" + "".join(f"{round(p):02x}" for p in parts[:3])


def visit(driver, url, name, width=1366):
    driver.set_window_size(width, 900)
    driver.get(url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.set_window_size(width, max(height, 600))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    return driver


PAGES = [
    ("home", "/{lang}/"),
    ("dashboard-public", "/{lang}/dashboards/public/"),
    ("organizations", "/{lang}/organizations/"),
    ("projects", "/{lang}/projects/"),
    ("roadmap", "/{lang}/delivery/roadmap/"),
    ("blocked", "/{lang}/delivery/blocked/"),
    ("meetings", "/{lang}/meetings/"),
    ("indicators", "/{lang}/indicators/"),
    ("league", "/{lang}/indicators/scorecards/"),
]


# Where the browser draws the first and the last year of each isolated year range ("2025–2026").
YEAR_RANGES = """
return [...document.querySelectorAll("bdi")].filter((bdi) => /^\\d{4}\u2013\\d{4}$/.test(bdi.textContent))
  .map((bdi) => {
    const text = bdi.firstChild, range = document.createRange();
    range.setStart(text, 0); range.setEnd(text, 4);
    const first = range.getBoundingClientRect().left;
    range.setStart(text, 5); range.setEnd(text, 9);
    return [bdi.textContent, first, range.getBoundingClientRect().left];
  });
"""


def test_pages_render_right_to_left_in_arabic_left_to_right_in_french_without_horizontal_scrolling(
    browser, live_server, demo
):
    from masar.decisions.models import Meeting
    from masar.indicators.models import Indicator
    from masar.portfolio.models import Project
    from masar.strategy.models import Strategy

    program = Strategy.objects.get(code="TN-PTN-2526")
    pages = [
        *PAGES,
        ("program", f"/{{lang}}/strategies/{program.pk}/"),
        ("project", f"/{{lang}}/projects/{Project.objects.filter(health__flagged=True).order_by('code').first().pk}/"),
        ("council", f"/{{lang}}/meetings/{Meeting.objects.get(source__startswith='seed 003').pk}/"),
        ("indicator", f"/{{lang}}/indicators/{Indicator.objects.order_by('code').first().pk}/"),
        ("dashboard-sectoral", f"/{{lang}}/dashboards/organizations/{program.owner_id}/"),
    ]
    for lang, direction in (("ar", "rtl"), ("fr", "ltr")):
        for name, path in pages:
            driver = visit(browser, live_server.url + path.format(lang=lang), f"{lang}-{name}")
            assert driver.execute_script("return document.documentElement.dir") == direction, (lang, name)
            assert driver.execute_script("return document.documentElement.lang") == lang
            assert horizontal_overflow(driver) <= 0, f"{lang} {name} scrolls sideways at 1366 px"
            assert "Server Error" not in driver.title
    # The dashboard's chart is drawn in the browser from the same specification as the council pack's.
    driver = visit(browser, f"{live_server.url}/ar/dashboards/public/", "ar-dashboard-public")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: (
            d.find_element("id", "ratings-chart").get_attribute("data-drawn") == "true"
            or d.find_element("id", "ratings-chart").get_attribute("data-error")
        )
    )
    assert driver.find_element("id", "ratings-chart").get_attribute("data-drawn") == "true"
    assert driver.find_elements("css selector", "#ratings-chart svg")
    visit(driver, f"{live_server.url}/ar/dashboards/public/", "ar-dashboard-public")
    # The program page says what the council announced, to an anonymous visitor too.
    driver = visit(browser, f"{live_server.url}/ar/strategies/{program.pk}/", "ar-program")
    assert driver.find_element("css selector", ".project-count").text == "138"
    # Year ranges keep their order inside Arabic text: the first year is drawn to the left of the last.
    phased = Strategy.objects.filter(phases__isnull=False).distinct().first()
    driver = visit(browser, f"{live_server.url}/ar/strategies/{phased.pk}/", "ar-strategy-phases")
    ranges = driver.execute_script(YEAR_RANGES)
    assert ranges and all(first < last for _text, first, last in ranges), ranges
    # On a phone the pages reflow instead of scrolling sideways.
    for name, path in (
        ("home", "/ar/"),
        ("program", f"/ar/strategies/{program.pk}/"),
        ("dashboard", "/ar/dashboards/public/"),
    ):
        driver = visit(browser, live_server.url + path, f"ar-phone-{name}", width=390)
        assert horizontal_overflow(driver) <= 0, f"{name} scrolls sideways on a phone"


def test_a_project_manager_signs_in_and_sees_their_inbox_link(browser, live_server, demo):
    browser.delete_all_cookies()
    driver = visit(browser, f"{live_server.url}/ar/accounts/login/", "ar-login")
    driver.find_element("name", "username").send_keys("pm.mtc")
    driver.find_element("name", "password").send_keys("masar-demo")
    driver.find_element("css selector", "main form button[type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: d.find_elements("css selector", ".inbox-link"))
    assert "pm.mtc" in driver.find_element("css selector", ".session .who").text
    for lang in ("ar", "fr"):
        visit(driver, f"{live_server.url}/{lang}/dashboards/", f"{lang}-dashboard-national")
        assert horizontal_overflow(driver) <= 0, f"the national dashboard scrolls sideways in {lang}"
    visit(driver, f"{live_server.url}/ar/projects/?flagged=on", "ar-projects-flagged")
    assert int(driver.find_element("css selector", "p.count").get_attribute("data-count")) > 0
    visit(driver, f"{live_server.url}/ar/delivery/inbox/", "ar-inbox")
    sentence = driver.find_element("css selector", "ul.inbox button.link")
    assert sentence.text.strip()  # positive control: a notification's sentence
    colour = driver.execute_script("return getComputedStyle(arguments[0]).color", sentence)
    page = driver.execute_script("return getComputedStyle(document.querySelector('main')).backgroundColor")
    assert contrast(hex_of(colour), hex_of(page)) >= 4.5, (colour, page)  # the sentence was white on white


FIELDS_IN_ANOTHER_LANGUAGE = """
return [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
  .filter((field) => (field.closest("[lang]") || {}).lang !== document.documentElement.lang)
  .map((field) => field.name);
"""


# The axe-core that axe-selenium-python ships (3.1) predates two things the pages use correctly: the
# WAI-ARIA graphics roles and aria-roledescription that Vega gives its charts (the charts are skipped;
# each has a role="img" container with a label), and <div> groups inside <dl> (HTML 5.2).
AXE_CONTEXT = {"exclude": [["[data-vega-spec]"]]}
AXE_OPTIONS = {"rules": {"dlitem": {"enabled": False}}}


def serious_violations(driver):
    """Return the serious and critical accessibility violations axe-core finds (its script ships in the package)."""
    from axe_selenium_python import Axe

    Axe(driver).inject()
    results = driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; axe.run(arguments[0], arguments[1]).then(done);",
        AXE_CONTEXT,
        AXE_OPTIONS,
    )
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_main_pages_have_no_serious_accessibility_violation_in_arabic_and_french(browser, live_server, demo):
    from masar.decisions.models import Meeting
    from masar.indicators.models import Indicator
    from masar.portfolio.models import Project

    browser.delete_all_cookies()
    pages = [
        ("home", "/{lang}/"),
        ("projects", "/{lang}/projects/"),
        ("project", f"/{{lang}}/projects/{Project.objects.filter(health__flagged=True).order_by('code').first().pk}/"),
        ("dashboard-national", "/{lang}/dashboards/"),
        ("indicator", f"/{{lang}}/indicators/{Indicator.objects.order_by('code').first().pk}/"),
        ("meeting", f"/{{lang}}/meetings/{Meeting.objects.get(source__startswith='seed 003').pk}/"),
    ]
    found = {}
    for lang in ("ar", "fr"):
        driver = visit(browser, f"{live_server.url}/{lang}/accounts/login/", f"{lang}-axe-login")
        found[(lang, "login")] = serious_violations(driver)
        # Native validation messages and date pickers speak the language of the element holding the field.
        assert driver.execute_script(FIELDS_IN_ANOTHER_LANGUAGE) == []
    driver.find_element("name", "username").send_keys("pm.mtc")
    driver.find_element("name", "password").send_keys("masar-demo")
    driver.find_element("css selector", "main form button[type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: d.find_elements("css selector", ".inbox-link"))
    for lang in ("ar", "fr"):
        for name, path in pages:
            driver = visit(browser, live_server.url + path.format(lang=lang), f"{lang}-axe-{name}")
            assert driver.execute_script("return document.documentElement.lang") == lang
            found[(lang, name)] = serious_violations(driver)
            assert driver.execute_script(FIELDS_IN_ANOTHER_LANGUAGE) == [], (lang, name)
    failing = {f"{lang} {name}": violations for (lang, name), violations in found.items() if violations}
    (SHOTS.parent / "axe-violations.json").write_text(json.dumps(failing, indent=1, ensure_ascii=False))
    assert failing == {}
    assert len(found) == 14  # positive control: every page was checked


# What sticks out of the page on the inline end (drawings' insides aside), to name what widens it in a failure.
WIDE_ELEMENTS = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll("body *")]
  .filter((e) => !e.closest("svg") && e.getBoundingClientRect().right > width + 1)
  .slice(0, 8)
  .map((e) => `${e.tagName}.${e.getAttribute("class")} ${Math.round(e.getBoundingClientRect().right)}`);
"""


def sign_in(driver, live_server, username="pm.mtc"):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()
    visit(driver, f"{live_server.url}/ar/accounts/login/", "ar-login")
    driver.find_element("name", "username").send_keys(username)
    driver.find_element("name", "password").send_keys("masar-demo")
    driver.find_element("css selector", "main form button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements("css selector", ".inbox-link"))


def wait_for_chart(driver, element_id="ratings-chart"):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: (
            d.find_element("id", element_id).get_attribute("data-drawn") == "true"
            or d.find_element("id", element_id).get_attribute("data-error")
        )
    )
    assert driver.find_element("id", element_id).get_attribute("data-drawn") == "true"


def test_the_dashboards_fit_a_phone_and_the_arabic_chart_and_map_read_from_their_start(browser, live_server, demo):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    from masar.strategy.models import Strategy

    program = Strategy.objects.get(code="TN-PTN-2526")
    sign_in(browser, live_server)
    pages = [
        ("dashboard-national", "/{lang}/dashboards/"),
        ("dashboard-sectoral", f"/{{lang}}/dashboards/organizations/{program.owner_id}/"),
        ("dashboard-public", "/{lang}/dashboards/public/"),
    ]
    # French and English names are longer than Arabic ones: the filter controls must shrink, not push the page.
    for lang in ("fr", "en"):
        for name, path in pages:
            driver = visit(browser, live_server.url + path.format(lang=lang), f"{lang}-phone-{name}", width=390)
            assert driver.find_elements("css selector", ".dash-filters select"), (lang, name)
            wide = driver.execute_script(WIDE_ELEMENTS)
            assert horizontal_overflow(driver) <= 0, f"{lang} {name} scrolls sideways on a phone: {wide}"
    # In Arabic the chart's scroll box starts at its inline start (the right), where the axis names are.
    driver = visit(browser, f"{live_server.url}/ar/dashboards/", "ar-phone-dashboard-national", width=390)
    wait_for_chart(driver)
    box = driver.find_element("id", "ratings-chart")
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", box) == "rtl"
    assert driver.execute_script("return arguments[0].scrollWidth - arguments[0].clientWidth", box) > 0
    assert driver.execute_script("return arguments[0].scrollLeft", box) == 0
    right_gap = driver.execute_script(
        "const box = arguments[0].getBoundingClientRect(), svg = arguments[0].querySelector('svg')"
        ".getBoundingClientRect(); return Math.abs(box.right - svg.right);",
        box,
    )
    assert right_gap <= 20, "the Arabic chart opens away from its start"
    # The axis names sit at the right of their axis, clear of the bars (not anchored over them).
    labels, gap = driver.execute_script(
        "const bars = [...arguments[0].querySelectorAll('.mark-rect path')].map((p) => p.getBoundingClientRect());"
        "const labels = [...arguments[0].querySelectorAll('.role-axis-label text')]"
        "  .filter((t) => /[\\u0600-\\u06FF]/.test(t.textContent));"
        "return [labels.length, Math.min(...labels.map((t) => t.getBoundingClientRect().left))"
        "  - Math.max(...bars.map((r) => r.right))];",
        box,
    )
    assert labels and gap >= -1, (labels, gap)
    assert horizontal_overflow(driver) <= 0
    # The map by governorate: tiles in their geographic places, labelled in Arabic, each a link to its list.
    driver = visit(browser, f"{live_server.url}/ar/dashboards/", "ar-dashboard-national")
    tiles = driver.find_elements("css selector", "svg.tile-map-svg a.drill")
    assert len(tiles) == 24
    places = {
        tile.find_element("css selector", "g").get_attribute("data-code"): tile.find_element(
            "css selector", "rect"
        ).rect
        for tile in tiles
    }
    assert places["TN-32"]["x"] < places["TN-11"]["x"] < places["TN-21"]["x"]  # west to east, not mirrored
    assert places["TN-23"]["y"] < places["TN-61"]["y"] < places["TN-83"]["y"]  # north to south
    driver.find_element("css selector", "svg.tile-map-svg").screenshot(str(SHOTS / "ar-region-map.png"))
    tunis = next(tile for tile in tiles if tile.find_element("css selector", "g").get_attribute("data-code") == "TN-11")
    shown = int(tunis.get_attribute("data-figure"))
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", tunis)
    WebDriverWait(driver, 20).until(lambda d: "/projects/" in d.current_url)
    assert "region=" in driver.current_url
    assert int(driver.find_element("css selector", "p.count").get_attribute("data-count")) == shown
    # Each segment of the chart is a link to the list it counts.
    driver = visit(browser, f"{live_server.url}/fr/dashboards/", "fr-dashboard-national")
    wait_for_chart(driver)
    segment = driver.find_elements("css selector", "#ratings-chart .mark-rect path")[0]
    ActionChains(driver).move_to_element(segment).click().perform()
    WebDriverWait(driver, 20).until(lambda d: "/projects/" in d.current_url)
    assert "axis=" in driver.current_url and "rating=" in driver.current_url
    assert int(driver.find_element("css selector", "p.count").get_attribute("data-count")) > 0


def test_the_header_search_suggests_as_one_types_and_finds_the_seeds_with_highlights(browser, live_server, demo):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    for lang, words, wanted in (
        ("ar", "مشاريع الرقمنه", "الاستراتيجية الوطنية للتحول الرقمي للخدمات الحكومية"),
        ("fr", "transformation numérique", "الاستراتيجية الوطنية للتحول الرقمي للخدمات الحكومية"),
    ):
        driver = visit(browser, f"{live_server.url}/{lang}/", f"{lang}-search-home")
        box = driver.find_element(By.ID, "site-search-q")
        box.send_keys(words)
        WebDriverWait(driver, 15).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#site-search-suggestions [role=option]")
        )
        assert box.get_attribute("aria-expanded") == "true"
        driver.save_screenshot(str(SHOTS / f"{lang}-search-suggestions.png"))
        box.send_keys(Keys.ARROW_DOWN)  # the keyboard reaches the suggestions
        assert driver.switch_to.active_element.get_attribute("role") == "option"
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        assert driver.switch_to.active_element == box
        box.send_keys(Keys.ENTER)
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".hit"))
        visit(driver, driver.current_url + "&type=document", f"{lang}-search-results")
        titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".hit-head a")]
        assert wanted in titles, titles
        assert driver.find_elements(By.CSS_SELECTOR, ".snippet mark")  # the matched words are highlighted
        assert serious_violations(driver) == []
        visit(driver, driver.current_url, f"{lang}-search-results-phone", width=390)
        assert horizontal_overflow(driver) <= 0
