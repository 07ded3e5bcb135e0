"""Masar's red flags give exactly the documented output of every worked example of the OCP's Cardinal.

For each `cardinal/examples/R/<name>.jsonl`: its lines are imported through the OCDS door
(`release_package_import`), its settings (`<name>.ini` when present, else `examples/settings.ini`)
become the rule's `RuleSetting`, `masar.integrity.rules.evaluate([code])` runs the rule, and its
findings are compared with the JSON printed after `$ ocdscardinal indicators` at the end of
`docs/R/<name>.md`: group "OCID" with the tender findings by ocid, "Tenderer" with the supplier
findings by supplier identifier, "Buyer" with the buyer findings by buyer_ref; the same ids flagged
in each group, with the same values.

The examples are compiled releases that lack what OCDS requires of a release: each line is wrapped
into a release by adding `id`, `date`, `tag` ["compiled"] and `initiationType` "tender" (nothing the
rules read). Cardinal compares amounts in its "main currency" (the first one it sees, USD in every
example): the national currency of these tests is set to USD likewise, so no amount is left
unconverted. The official schema is not applied to the examples (`OCDS_SCHEMA_DIR` stays unset): they
are fragments (items without ids, awards without ids) checked by Masar's profile only.
"""

import configparser
import json
import os
import re
from pathlib import Path

import pytest

from masar.integrity.models import AlertSubject, RuleSetting, Supplier, Tender
from masar.integrity.ocds import release_package_import

# Read at collection to name each example's test (the `standards` fixture says where, and fails when absent).
STANDARDS = Path(os.environ.get("MASAR_STANDARDS_DIR") or Path(__file__).resolve().parents[3] / "shared" / "standards")
EXAMPLES = sorted((STANDARDS / "cardinal" / "examples" / "R").glob("*.jsonl"))
GROUPS = {"OCID": AlertSubject.TENDER, "Tenderer": AlertSubject.SUPPLIER, "Buyer": AlertSubject.BUYER}


def names(standards):
    return sorted(path.stem for path in (standards / "cardinal" / "examples" / "R").glob("*.jsonl"))


def code_of(name: str) -> str:
    """Return the indicator's code of an example's name ("044-branch-r044" -> "R044")."""
    return "R" + name.split("-")[0]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PROCUREMENT_CURRENCY = "USD"


def releases(standards, name):
    lines = (standards / "cardinal" / "examples" / "R" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    wrapped = []
    for number, line in enumerate(filter(str.strip, lines)):
        compiled = json.loads(line)
        extra = {"id": f"{compiled['ocid']}-{number}", "date": "2020-01-01T00:00:00Z", "tag": ["compiled"]}
        wrapped.append({**extra, "initiationType": "tender", **compiled})
    return wrapped


def parameter(value: str):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def settings_of(standards, name, code):
    """Return the parameters the example's ini file gives the indicator ({} when it names none)."""
    folder = standards / "cardinal" / "examples"
    path = folder / "R" / f"{name}.ini"
    path = path if path.exists() else folder / "settings.ini"
    parser = configparser.ConfigParser()
    parser.read_string("[top]\n" + path.read_text(encoding="utf-8"))
    if not parser.has_section(code):
        return {}
    return {key: parameter(value) for key, value in parser.items(code) if key not in parser.defaults()}


def documented(standards, name):
    """Return the output the documentation shows for the example: the JSON after `$ ocdscardinal indicators`."""
    text = (standards / "cardinal" / "docs" / "R" / f"{name}.md").read_text(encoding="utf-8")
    demonstration = text[text.rindex("## Demonstration") :]
    match = re.search(r"^\$ ocdscardinal indicators[^\n]*\n(\{.*?\})\s*$", demonstration, re.M | re.S)
    assert match, f"no documented output in docs/R/{name}.md"
    return json.loads(match.group(1))


def flagged(result, code):
    """Return the findings of a rule grouped as Cardinal groups them: {group: {identifier: value}}."""
    ocids = dict(Tender.objects.values_list("pk", "ocid"))
    identifiers = dict(Supplier.objects.values_list("pk", "identifier"))
    found: dict[str, dict[str, float]] = {}
    for finding in result.findings:
        assert finding.rule == code
        if finding.subject == AlertSubject.TENDER:
            found.setdefault("OCID", {})[ocids[finding.tender_id]] = finding.value
        elif finding.subject == AlertSubject.SUPPLIER:
            found.setdefault("Tenderer", {})[identifiers[finding.supplier_id]] = finding.value
        elif finding.subject == AlertSubject.BUYER:
            found.setdefault("Buyer", {})[finding.buyer_ref] = finding.value
    return found


def test_every_example_has_its_documented_output(standards):
    """The positive control of the parametrized tests: every example is there, with a readable expected output."""
    found = names(standards)
    assert len(found) >= 12 and "018" in found
    for name in found:
        expected = documented(standards, name)
        assert expected and set(expected) <= set(GROUPS), name


@pytest.mark.parametrize("name", [path.stem for path in EXAMPLES] or ["missing"])
def test_an_example_imports_through_the_ocds_door(standards, name, national, gov):
    given = releases(standards, name)
    report = release_package_import(actor=national, data={"releases": given}, owner=gov)
    assert report.created == len(given) and report.unconverted == 0
    assert sorted(Tender.objects.values_list("ocid", flat=True)) == sorted(r["ocid"] for r in given)


@pytest.mark.parametrize("name", [path.stem for path in EXAMPLES] or ["missing"])
def test_a_rule_gives_the_documented_output_of_its_example(standards, name, national, gov):
    from masar.integrity.rules import evaluate

    code = code_of(name)
    release_package_import(actor=national, data={"releases": releases(standards, name)}, owner=gov)
    params = settings_of(standards, name, code)
    if params:
        RuleSetting.objects.create(code=code, params=params)
    result = evaluate([code])[code]
    expected = documented(standards, name)
    got = flagged(result, code)
    assert set(got) == set(expected), (name, expected, got)
    for group, values in expected.items():
        assert set(got[group]) == set(values), (name, group, values, got[group])
        for identifier, value in values.items():
            assert got[group][identifier] == pytest.approx(value[code]), (name, group, identifier, value, got[group])
