"""Ids a request names: ASCII digits that fit a 64-bit key, or a 404 or a form error, never a 500."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from masar.core.ids import parse_id
from masar.organizations.models import Organization


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12", 12),
        (" 7 ", 7),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("99999999999999999999", None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("0", None),
        ("1e3", None),
        ("", None),
        ("\x00", None),
        (None, None),
        (True, None),
        (5, 5),
    ],
)
def test_parse_id(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize("value", ["²", "٣٣", "99999999999999999999", "-1", "%00"])
@pytest.mark.parametrize("path", ["/en/delivery/blocked/", "/en/delivery/due/", "/en/reports/packs/new/"])
def test_a_crafted_organization_is_a_404_not_a_500(path, value, ministry_a, client_for, national):
    client = client_for(national)
    assert client.get(path, {"organization": value}).status_code == 404
    assert client.get(path, {"organization": ministry_a.pk}).status_code == 200  # positive control


def test_a_20_digit_id_in_a_multi_select_is_a_form_error(ministry_a):
    field = forms.ModelMultipleChoiceField(queryset=Organization.objects.all())
    with pytest.raises(ValidationError) as caught:
        field.clean([str(ministry_a.pk), "99999999999999999999"])
    assert caught.value.code == "invalid_choice"
    assert list(field.clean([str(ministry_a.pk)])) == [ministry_a]  # positive control


def test_the_in_lookup_leaves_out_ids_no_column_holds(ministry_a):
    assert list(Organization.objects.filter(pk__in=[10**20, ministry_a.pk])) == [ministry_a]
    assert not Organization.objects.filter(pk__in=[10**20, -(10**20)]).exists()
    assert Organization.objects.exclude(pk__in=[10**20]).filter(pk=ministry_a.pk).exists()
