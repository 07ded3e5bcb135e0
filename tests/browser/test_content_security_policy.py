"""The Content-Security-Policy as Chromium applies it: no page, chart, htmx swap or widget breaks a rule.

The policy has no 'unsafe-inline' and no 'unsafe-eval'; a violation is an error in the browser's console,
which this test reads back page by page.
"""

import pytest

REFUSED = "Content Security Policy"


@pytest.fixture
def demo(transactional_db):
    from masar.demo.services import demo_load

    demo_load()


def refusals(driver):
    """Return (and clear) the console messages in which the browser refused something under the policy."""
    return [entry["message"] for entry in driver.get_log("browser") if REFUSED in entry["message"]]


def wait_until(driver, condition, seconds=30):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(condition)


def chart_drawn(element_id):
    def drawn(driver):
        found = driver.find_elements("id", element_id)
        return found and (found[0].get_attribute("data-drawn") == "true" or found[0].get_attribute("data-error"))

    return drawn


def sign_in(driver, base):
    driver.delete_all_cookies()
    driver.get(f"{base}/ar/accounts/login/")
    driver.find_element("name", "username").send_keys("pm.mtc")
    driver.find_element("name", "password").send_keys("masar-demo")
    driver.find_element("css selector", "main form button[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements("css selector", ".inbox-link"))


def test_the_main_pages_draw_under_the_policy_without_a_single_refusal(browser, live_server, demo):
    from selenium.webdriver.common.by import By

    from masar.indicators.models import Indicator
    from masar.portfolio.models import Project

    base = live_server.url
    driver = browser
    driver.delete_all_cookies()
    # Positive control: an inline handler slipped into the page is refused, and the refusal is read back.
    driver.get(f"{base}/ar/")
    refusals(driver)
    driver.execute_script("document.body.insertAdjacentHTML('beforeend', '<img src=\"/nowhere.png\" onerror=\"1\">')")
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    wait_until(driver, lambda d: any(REFUSED in e["message"] for e in d.get_log("browser")), seconds=10)

    found = {}
    for name, path in (
        ("home", "/ar/"),
        ("organizations", "/ar/organizations/"),
        ("roadmap", "/ar/delivery/roadmap/"),
        ("league", "/fr/indicators/scorecards/"),
    ):
        driver.get(base + path)
        found[name] = refusals(driver)
    # The roadmap's bars are placed from their data attributes.
    driver.get(f"{base}/ar/delivery/roadmap/")
    width = driver.execute_script("return getComputedStyle(document.querySelector('.gantt-bar.plan')).inlineSize")
    assert width not in ("", "auto", "0px"), width
    found["roadmap-bars"] = refusals(driver)
    # Charts: the public dashboard's and an indicator's, drawn by Vega without eval and without inline style.
    driver.get(f"{base}/ar/dashboards/public/")
    wait_until(driver, chart_drawn("ratings-chart"))
    assert driver.find_element(By.ID, "ratings-chart").get_attribute("data-drawn") == "true"
    assert driver.find_elements(By.CSS_SELECTOR, "#ratings-chart svg .mark-rect path")
    found["dashboard-public"] = refusals(driver)
    indicator = Indicator.objects.filter(measurements__isnull=False).order_by("code").first()
    driver.get(f"{base}/fr/indicators/{indicator.pk}/")
    wait_until(driver, chart_drawn("indicator-chart"))
    assert driver.find_element(By.ID, "indicator-chart").get_attribute("data-drawn") == "true"
    found["indicator"] = refusals(driver)
    # The search box's suggestions come through htmx.
    driver.get(f"{base}/ar/")
    driver.find_element(By.ID, "site-search-q").send_keys("مشاريع الرقمنه")
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#site-search-suggestions [role=option]"), 15)
    found["search-suggestions"] = refusals(driver)
    # Signed in: the national dashboard with its chart, a project, and a form with the filterable select.
    sign_in(driver, base)
    driver.get(f"{base}/fr/dashboards/")
    wait_until(driver, chart_drawn("ratings-chart"))
    assert driver.find_element(By.ID, "ratings-chart").get_attribute("data-drawn") == "true"
    found["dashboard-national"] = refusals(driver)
    project = Project.objects.filter(manager__username="pm.mtc").order_by("code").first()
    driver.get(f"{base}/ar/projects/{project.pk}/")
    found["project"] = refusals(driver)
    driver.get(f"{base}/ar/delivery/projects/{project.pk}/obstacles/new/")
    box = driver.find_element(By.CSS_SELECTOR, "input[data-filters]")
    assert box.is_displayed()  # its script ran
    box.send_keys("و")
    found["obstacle-form"] = refusals(driver)
    refused = {name: messages for name, messages in found.items() if messages}
    assert refused == {}, "\n".join(f"{name}: {messages}" for name, messages in refused.items())
    assert len(found) == 11  # positive control: every page was visited
