"""The CKAN Action API: CKAN's envelope and errors, full records, search, and only what the catalogue serves.

The last tests start a real server and read it with `ckanapi.RemoteCKAN`, as a CKAN harvester does.
"""

import datetime
import json
import urllib.request

import ckanapi
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masar.core.models import Classification
from masar.opendata.models import ChangeAction, Licence, Publication, PublicationAction, Resource
from masar.opendata.services import (
    dataset_change_decide,
    dataset_change_request,
    publication_decide,
    publications_refresh,
)
from tests.opendata.factories import make_dataset, make_publication, publish

PREFIXES = ("/api/3/action/", "/api/action/")


def call(client, name, prefix="/api/3/action/", **params):
    response = client.get(f"{prefix}{name}", params)
    return response, json.loads(response.content)


def _publish(name, dataset, national, program, **extra):
    return publish(make_publication(name, dataset, by=national, strategy=program, **extra), by=national)


@pytest.fixture
def catalogue(open_projects, gov, ministry_b, national, program):
    """Return (served publications by name, withdrawn, confidential): six served, two that are not."""
    served, *_ = open_projects
    dataset = served.dataset
    more = [
        _publish("mashari-tech", dataset, national, program, themes=["TECH"], keywords=["تقنية"]),
        _publish("projets-econ", dataset, national, program, themes=["ECON"], licence=Licence.CC0),
        _publish("projects-gov", dataset, national, program, themes=["GOVE"], keywords=["governance"]),
        _publish("projects-regions", dataset, national, program, themes=["REGI"]),
        _publish("projects-society", dataset, national, program, themes=["SOCI"], licence=Licence.ODBL),
    ]
    withdrawn = _publish("withdrawn-one", dataset, national, program, keywords=["كلمة-مسحوبة"])
    other = make_dataset("projects-b", ministry_b, by=national, steward=national)
    confidential = _publish("later-confidential", other, national, program, keywords=["كلمة-سرية"])
    publications_refresh()
    publication_decide(actor=national, publication=withdrawn, action=PublicationAction.WITHDRAW, reason="خطأ")
    change = dataset_change_request(
        actor=national, dataset=other, reason="بيانات حساسة", classification=Classification.CONFIDENTIAL
    )
    dataset_change_decide(actor=national, change=change, action=ChangeAction.APPROVE)
    served_all = {p.name: p for p in [served, *more]}
    return served_all, Publication.objects.get(pk=withdrawn.pk), Publication.objects.get(pk=confidential.pk)


# The envelope and both addresses ---------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_status_show_and_site_read_answer_in_ckans_envelope(client, db, prefix):
    response, body = call(client, "status_show", prefix)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert body["success"] is True
    assert body["help"] == "http://testserver/api/3/action/help_show?name=status_show"
    assert body["result"]["ckan_version"].startswith("2.")
    assert body["result"]["site_url"] == "http://testserver"
    assert call(client, "site_read", prefix)[1]["result"] is True


def test_the_help_link_answers_with_the_actions_documentation(client, db):
    _response, body = call(client, "status_show")
    help_response = client.get(body["help"].removeprefix("http://testserver"))
    assert help_response.status_code == 200
    assert "site" in json.loads(help_response.content)["result"]


@pytest.mark.parametrize("prefix", [*PREFIXES, "/api/2/action/"])
def test_every_address_and_method_gives_the_same_answer(client, catalogue, prefix):
    served, *_ = catalogue
    _response, by_get = call(client, "package_list", prefix)
    by_json = json.loads(client.post(f"{prefix}package_list", "{}", content_type="application/json").content)
    by_form = json.loads(client.post(f"{prefix}package_show", {"id": "mashari-tech"}).content)
    assert by_get["result"] == sorted(served) == by_json["result"]
    assert by_form["result"]["name"] == "mashari-tech"


def test_a_post_needs_no_session_nor_csrf_token(catalogue):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/action/package_search", json.dumps({"rows": 2}), content_type="application/json")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


# Records ---------------------------------------------------------------------------------------


def test_package_show_gives_the_full_record_by_name_or_id(client, catalogue, national):
    served, *_ = catalogue
    publication = served["projets-2025-2026"]
    assert publication.dataset.steward == national
    national.email, national.first_name, national.last_name = "steward.unique@example.gov", "Zubayda", "Qarawi"
    national.save()
    _response, by_name = call(client, "package_show", id=publication.name)
    _response, by_id = call(client, "package_show", id=str(publication.uid))
    record = by_name["result"]
    assert record == by_id["result"]
    assert record["id"] == str(publication.uid) and record["type"] == "dataset" and record["state"] == "active"
    assert record["private"] is False
    assert record["title"] == publication.title_ar
    assert record["title_translated"] == {
        "ar": publication.title_ar,
        "fr": publication.title_fr,
        "en": publication.title_en,
    }
    assert record["notes_translated"]["fr"] == publication.description_fr
    assert record["license_id"] == "CC-BY-4.0" and record["license_url"].startswith("https://creativecommons.org/")
    assert record["organization"]["name"] == "GOV" and record["owner_org"] == record["organization"]["id"]
    assert {tag["name"] for tag in record["tags"]} == set(publication.keywords)
    assert record["num_tags"] == len(publication.keywords)
    assert {group["name"] for group in record["groups"]} == {"GOVE", "TECH", "digital-administration"}
    extras = {extra["key"]: extra["value"] for extra in record["extras"]}
    assert extras["frequency"] == "monthly"
    assert json.loads(extras["theme"])[0].startswith("http://publications.europa.eu/resource/authority/data-theme/")
    assert extras["data_dictionary"] == f"http://testserver/opendata/files/{publication.name}.json"
    schema = json.loads(client.get(f"/opendata/files/{publication.name}.json").content)["schema"]
    assert "code" in {column["name"] for column in schema["fields"]}
    assert extras["strategy"] == "P2526"
    modified = datetime.datetime.fromisoformat(record["metadata_modified"])
    assert modified.tzinfo is None  # CKAN's form: UTC without a suffix
    assert modified.replace(tzinfo=datetime.UTC) == publication.modified_at
    assert record["num_resources"] == 3
    assert [r["format"] for r in record["resources"]] == ["CSV", "JSON", "XLSX"]
    assert [r["position"] for r in record["resources"]] == [0, 1, 2]
    csv = record["resources"][0]
    stored = Resource.objects.get(publication=publication, format="csv")
    assert csv["id"] == str(stored.uid) and csv["package_id"] == record["id"]
    assert csv["url"] == f"http://testserver/opendata/files/{publication.name}.csv"
    assert csv["size"] == stored.size and csv["hash"] == stored.sha256 and csv["datastore_active"] is False
    assert csv["mimetype"] == "text/csv"
    dumped = json.dumps(record, ensure_ascii=False)
    assert not {national.email, national.first_name, national.last_name, "@"} & set(dumped.split('"'))
    assert "Zubayda" not in dumped and "@" not in dumped


def test_resource_show_gives_the_record_package_show_holds(client, catalogue):
    served, *_ = catalogue
    _response, package = call(client, "package_show", id="projets-econ")
    for resource in package["result"]["resources"]:
        _response, shown = call(client, "resource_show", id=resource["id"])
        assert shown["result"] == resource
    downloaded = client.get(package["result"]["resources"][0]["url"].removeprefix("http://testserver"))
    assert downloaded.status_code == 200


def test_organizations_groups_and_tags_list_what_is_published(client, catalogue):
    served, *_ = catalogue
    assert call(client, "organization_list")[1]["result"] == ["GOV"]
    _response, full = call(client, "organization_list", all_fields="true")
    assert full["result"][0]["package_count"] == len(served) and full["result"][0]["is_organization"] is True
    _response, shown = call(client, "organization_show", id="GOV")
    assert shown["result"]["title"] == "الحكومة" and shown["result"]["package_count"] == len(served)
    assert call(client, "organization_show", id=shown["result"]["id"])[1]["result"] == shown["result"]
    _response, groups = call(client, "group_list", all_fields="true")
    counts = {group["name"]: group["package_count"] for group in groups["result"]}
    assert counts["TECH"] == 2 and counts["ECON"] == 1 and counts["AGRI"] == 0
    assert "digital-administration" in call(client, "group_list")[1]["result"]
    tags = call(client, "tag_list")[1]["result"]
    assert {"تقنية", "governance", "رقمنة"} <= set(tags)
    assert call(client, "tag_list", query="gover")[1]["result"] == ["governance"]


# package_search ----------------------------------------------------------------------------------


def test_package_search_results_are_the_records_package_show_gives(client, catalogue):
    served, *_ = catalogue
    _response, body = call(client, "package_search", rows=100)
    result = body["result"]
    assert result["count"] == len(served) == len(result["results"])
    assert result["sort"] == "score desc, metadata_modified desc"
    for record in result["results"]:
        assert record == call(client, "package_show", id=record["name"])[1]["result"]


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("organization:GOV", None),
        ("organization:MIN-B", set()),
        ("groups:ECON", {"projets-econ"}),
        ("tags:governance", {"projects-gov"}),
        ("license_id:ODbL-1.0", {"projects-society"}),
        ("res_format:CSV", None),
        ("name:projects-regions", {"projects-regions"}),
        ("+groups:TECH AND license_id:CC-BY-4.0", {"projets-2025-2026", "mashari-tech"}),
        ("capacity:public", None),
        ("capacity:private", set()),
        ("*:*", None),
    ],
)
def test_package_search_narrows_by_fq(client, catalogue, fq, expected):
    served, *_ = catalogue
    _response, body = call(client, "package_search", fq=fq, rows=100)
    names = {record["name"] for record in body["result"]["results"]}
    assert names == (set(served) if expected is None else expected)
    assert body["result"]["count"] == len(names)


def test_package_search_finds_free_text_and_fielded_q(client, catalogue):
    assert {r["name"] for r in call(client, "package_search", q="تقنية")[1]["result"]["results"]} == {"mashari-tech"}
    by_field = call(client, "package_search", q="groups:REGI")[1]["result"]["results"]
    assert [r["name"] for r in by_field] == ["projects-regions"]
    assert call(client, "package_search", q="nothing-like-this")[1]["result"]["count"] == 0


def test_package_search_takes_what_was_modified_since_a_moment(client, catalogue):
    served, *_ = catalogue
    base = timezone.now() - datetime.timedelta(days=30)
    for offset, name in enumerate(sorted(served)):
        Publication.objects.filter(name=name).update(modified_at=base + datetime.timedelta(days=offset))
    since = (base + datetime.timedelta(days=3)).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    _response, body = call(client, "package_search", fq=f"metadata_modified:[{since} TO *]", rows=100)
    assert {r["name"] for r in body["result"]["results"]} == set(sorted(served)[3:])
    until = (base + datetime.timedelta(days=4)).astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    _response, body = call(client, "package_search", fq=f"metadata_modified:[{since} TO {until}]")
    assert {r["name"] for r in body["result"]["results"]} == set(sorted(served)[3:5])
    _response, body = call(client, "package_search", sort="metadata_modified desc", rows=2)
    assert [r["name"] for r in body["result"]["results"]] == sorted(served)[::-1][:2]
    newest = body["result"]["results"][0]["metadata_modified"]
    _response, later = call(client, "package_search", fq=f"metadata_modified:[{newest}Z TO *]")
    assert [r["name"] for r in later["result"]["results"]] == [sorted(served)[-1]]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("name asc", "name", False), ("name desc", "name", True), ("title_string asc", "title", False)],
)
def test_package_search_sorts(client, catalogue, sort, key, reverse):
    _response, body = call(client, "package_search", sort=sort, rows=100)
    values = [record[key] for record in body["result"]["results"]]
    assert len(values) > 1 and values == sorted(values, reverse=reverse)


def test_package_search_pages_with_rows_and_start(client, catalogue):
    served, *_ = catalogue
    seen = []
    for start in range(0, len(served) + 2, 2):
        _response, body = call(client, "package_search", sort="id asc", rows=2, start=start)
        seen += [record["name"] for record in body["result"]["results"]]
    assert sorted(seen) == sorted(served) and len(seen) == len(set(seen))
    assert call(client, "package_search", rows=0)[1]["result"]["results"] == []


def test_package_search_counts_facets_like_ckan(client, catalogue):
    served, *_ = catalogue
    fields = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
    _response, body = call(client, "package_search", **{"facet.field": fields, "rows": 0})
    result = body["result"]
    assert result["facets"]["organization"] == {"GOV": len(served)}
    assert result["facets"]["res_format"] == {"CSV": len(served), "JSON": len(served), "XLSX": len(served)}
    assert result["facets"]["license_id"] == {"CC-BY-4.0": 4, "CC0-1.0": 1, "ODbL-1.0": 1}
    assert result["facets"]["groups"]["TECH"] == 2
    assert result["facets"]["tags"]["تقنية"] == 1
    organization = result["search_facets"]["organization"]
    assert organization["title"] == "organization"
    assert organization["items"] == [{"name": "GOV", "display_name": "الحكومة", "count": len(served)}]
    names = [item["display_name"] for item in result["search_facets"]["groups"]["items"]]
    assert names == sorted(names, reverse=True)
    repeated = client.get("/api/action/package_search", {"facet.field": ["organization", "license_id"]})
    assert set(json.loads(repeated.content)["result"]["facets"]) == {"organization", "license_id"}


def test_package_search_runs_the_same_queries_whatever_rows(client, catalogue, django_assert_max_num_queries):
    fields = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
    counts = []
    for rows in (1, 3, 100):
        with CaptureQueriesContext(connection) as captured:
            call(client, "package_search", rows=rows, **{"facet.field": fields})
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2]
    # 9 of the door (count, the page's ids, their records, resources, 4 facets, keywords) and the exchange
    # log's entry (up to 5).
    with django_assert_max_num_queries(14):
        call(client, "package_search", rows=1000, q="projects", **{"facet.field": fields})


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fq": "organization:(GOV OR MIN-A)"}, "fq"),
        ({"fq": "metadata_modified:[yesterday TO *]"}, "fq"),
        ({"fq": "unknown_field:x"}, "fq"),
        ({"fq": "organization:"}, "fq"),
        ({"fq": "-organization:GOV"}, "fq"),
        ({"fq": "organization:GOV organization:MIN-A"}, "fq"),
        ({"rows": "many"}, "rows"),
        ({"rows": "-1"}, "rows"),
        ({"start": "-5"}, "start"),
        ({"sort": "popularity desc"}, "sort"),
        ({"sort": "name sideways"}, "sort"),
        ({"facet.field": '["secret_field"]'}, "facet.field"),
        ({"facet.field": "[not json"}, "facet.field"),
    ],
)
def test_bad_search_parameters_give_ckans_validation_error(client, db, params, field):
    response, body = call(client, "package_search", **params)
    assert response.status_code == 409
    assert body["success"] is False and body["error"]["__type"] == "Validation Error"
    assert isinstance(body["error"][field], list) and body["error"][field][0]
    assert "help" in body


def test_rows_over_the_limit_are_lowered_to_a_thousand_as_ckan_does(client, catalogue):
    served, *_ = catalogue
    response, body = call(client, "package_search", rows=100000)
    assert response.status_code == 200 and len(body["result"]["results"]) == len(served)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("package_show", "no-such-dataset"),
        ("package_show", "7d9a3c34-1d3b-4b6c-9f0e-7f3d2a1b0c9e"),
        ("resource_show", "7d9a3c34-1d3b-4b6c-9f0e-7f3d2a1b0c9e"),
        ("resource_show", "not-a-uuid"),
        ("organization_show", "NO-SUCH-ORG"),
    ],
)
def test_an_unknown_record_is_ckans_not_found(client, catalogue, name, key):
    response, body = call(client, name, id=key)
    assert response.status_code == 404
    assert body["success"] is False
    assert body["error"] == {"message": "Not found", "__type": "Not Found Error"}


def test_a_missing_id_and_an_unknown_action_are_refused_like_ckan(client, db):
    response, body = call(client, "package_show")
    assert response.status_code == 409 and body["error"]["__type"] == "Validation Error" and "id" in body["error"]
    response, body = call(client, "package_create")
    assert response.status_code == 400 and body == "Bad request - Action name not known: package_create"
    response = client.post("/api/action/package_show", "[1, 2]", content_type="application/json")
    assert response.status_code == 400 and json.loads(response.content).startswith("Bad request - JSON Error")


# Only what the catalogue serves ------------------------------------------------------------------


def test_no_withdrawn_or_confidential_dataset_is_ever_listed(client, catalogue):
    served, withdrawn, confidential = catalogue
    hidden = [withdrawn, confidential]
    for publication in hidden:  # positive control: they were published, with their files
        assert publication.published_at is not None and publication.resources.count() == 3
    assert call(client, "package_list")[1]["result"] == sorted(served)
    fields = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
    _response, search = call(client, "package_search", rows=1000, **{"facet.field": fields})
    everything = json.dumps(
        [
            search,
            call(client, "tag_list")[1],
            call(client, "organization_list", all_fields="true")[1],
            call(client, "group_list", all_fields="true")[1],
        ],
        ensure_ascii=False,
    )
    assert search["result"]["count"] == len(served)
    for publication in hidden:
        assert publication.name not in everything and str(publication.uid) not in everything
        assert publication.keywords[-1] not in everything
        assert call(client, "package_show", id=publication.name)[0].status_code == 404
        assert call(client, "package_show", id=str(publication.uid))[0].status_code == 404
        for resource in publication.resources.all():
            assert call(client, "resource_show", id=str(resource.uid))[0].status_code == 404
    assert "MIN-B" not in everything  # its only dataset is no longer public
    assert call(client, "organization_show", id="MIN-B")[0].status_code == 404
    _response, search = call(client, "package_search", fq="name:withdrawn-one")
    assert search["result"]["count"] == 0


# A real server read with the real client ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_harvester_reads_every_package_and_resource_with_ckanapi(catalogue, live_server):
    served, withdrawn, confidential = catalogue
    assert len(served) >= 5
    remote = ckanapi.RemoteCKAN(live_server.url)  # posts JSON to <address>/api/action/<name>
    versioned = ckanapi.RemoteCKAN(live_server.url)
    versioned.base_url = "api/3/action/"  # the documented address, as a harvester configured with it calls
    by_get = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    with remote, versioned, by_get:  # their connections closed before the server's database goes
        _harvest(remote, versioned, by_get, served, withdrawn, confidential)


def _harvest(remote, versioned, by_get, served, withdrawn, confidential):
    assert remote.action.status_show()["ckan_version"].startswith("2.")
    names, start = [], 0
    while True:
        page = remote.action.package_search(rows=2, start=start, sort="metadata_modified desc")
        if not page["results"]:
            break
        assert page["count"] == len(served)
        names += [record["name"] for record in page["results"]]
        start += 2
    assert sorted(names) == sorted(served) == remote.action.package_list() == by_get.action.package_list()
    for name in names:
        package = remote.action.package_show(id=name)
        assert package == versioned.action.package_show(id=package["id"])
        assert package == by_get.action.package_show(id=name)
        for resource in package["resources"]:
            assert remote.action.resource_show(id=resource["id"]) == resource
            with urllib.request.urlopen(resource["url"]) as answer:  # noqa: S310 - the live test server
                content = answer.read()
            stored = Resource.objects.get(uid=resource["id"])
            assert content == bytes(stored.content) and len(content) == resource["size"]
    facets = remote.action.package_search(rows=0, **{"facet.field": ["organization", "res_format"]})
    assert facets["facets"]["res_format"]["CSV"] == len(served)
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id=withdrawn.name)
    with pytest.raises(ckanapi.NotFound):
        versioned.action.resource_show(id=str(confidential.resources.first().uid))
    with pytest.raises(ckanapi.ValidationError) as refused:
        remote.action.package_search(sort="popularity desc")
    assert "sort" in refused.value.error_dict


def test_package_search_keeps_records_but_shows_a_change_at_once(client, catalogue, national):
    from masar.opendata.services import publication_update

    first = call(client, "package_search", rows=100)[1]["result"]["results"]
    assert call(client, "package_search", rows=100)[1]["result"]["results"] == first  # served from the kept records
    publication = Publication.objects.get(name=first[0]["name"])
    publication_update(
        actor=national, publication=publication, data={"title_ar": "عنوان جديد"}, expected_version=publication.version
    )
    again = {package["name"]: package for package in call(client, "package_search", rows=100)[1]["result"]["results"]}
    assert again[publication.name]["title"] == "عنوان جديد"
    assert again[publication.name] == call(client, "package_show", id=publication.name)[1]["result"]
