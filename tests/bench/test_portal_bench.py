"""`python -m bench.portal` at a tiny size: the catalogue is generated and indexed, the pages answer from the
page cache when warm, and every figure the benchmark promises is printed. Times are never asserted here."""

import pytest

from bench.portal import parser, run
from masar.catalogue.models import RequiredDocument, Service, ServiceUsage

pytestmark = pytest.mark.django_db

PROMISED = [
    "services",
    "usage_rows",
    "directory_cold_p95_ms",
    "directory_warm_p95_ms",
    "service_page_cold_p95_ms",
    "service_page_warm_p95_ms",
    "directory_cold_queries",
    "directory_warm_queries",
    "service_page_cold_queries",
    "service_page_warm_queries",
    "directory_raw_sql_ms",
    "directory_raw_sql_ratio",
    "service_page_raw_sql_ratio",
    "selector_digitization_by_owner_p95_ms",
]


def figures_of(capsys, *argv):
    run(parser().parse_args(["--services", "40", "--organizations", "40", "--months", "3", "--repeat", "2", *argv]))
    return dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines() if "=" in line)


def test_it_prints_every_figure_of_a_generated_catalogue(capsys, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    figures = figures_of(capsys)
    assert [key for key in PROMISED if key not in figures] == []
    # What was generated is what is counted: every service with 3–6 documents and its channels' months.
    assert figures["services"] == "40" == str(Service.objects.count())
    assert figures["usage_rows"] == str(ServiceUsage.objects.count())
    channels = sum(len(s.channel_list) for s in Service.objects.all())
    assert ServiceUsage.objects.count() == channels * 3
    assert 3 * 40 <= RequiredDocument.objects.count() <= 6 * 40
    # The search index holds the services: texts typed as people type them find some.
    found, asked = map(int, figures["typed_queries_found"].split("/"))
    assert 0 < found <= asked
    # Warm, every page comes from the page cache at the cost of one query (the data version).
    assert figures["directory_warm_queries"] == figures["service_page_warm_queries"] == "1"
    hits, requests = figures["directory_warm_hits"].split("/")
    assert hits == requests == "12"  # six directory requests, two repeats each
    assert int(figures["directory_cold_queries"]) > 1
    assert 1 < int(figures["service_page_cold_queries"]) <= 8


def test_it_reuses_a_catalogue_of_the_same_size_and_refuses_another(capsys, settings):
    figures_of(capsys, "--no-selectors")
    assert figures_of(capsys, "--no-selectors")["data"] == "reused"
    assert Service.objects.count() == 40
    with pytest.raises(SystemExit, match="--fresh"):
        figures_of(capsys, "--services", "41")
