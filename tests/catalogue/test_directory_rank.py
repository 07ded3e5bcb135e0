"""The directory lists the services a typed text finds best first, in search's own ranking, whatever their number."""

import pytest

from masar.catalogue.models import DigitizationLevel
from masar.catalogue.selectors import ServiceFilters, service_list
from masar.core.policy import Reader
from masar.search.models import EntryKind
from masar.search.selectors import SearchFilters, search
from tests.catalogue.factories import make_service

pytestmark = pytest.mark.django_db


def ranked(text):
    found = search(Reader.public(), SearchFilters(q=text, kinds=(EntryKind.SERVICE,), limit=500))
    return [hit.object_id for hit in found.hits]


def test_a_typed_text_lists_services_in_the_search_ranking_with_filters_kept(ministry_a, ministry_b):
    services = []
    for n in range(24):  # ids past 9 and past 19: one id must never be taken for part of another
        if n % 3 == 0:  # the words in the description only: ranked below the names that hold them
            fields = {"name_ar": f"خدمة إدارية {n}", "description_ar": "تسليم جواز السفر للمواطن"}
        else:
            fields = {"name_ar": f"طلب جواز السفر {n}"}
        level = DigitizationLevel.PROCESSING if n % 2 else DigitizationLevel.FORMS
        services.append(make_service(ministry_a if n % 4 else ministry_b, level=level, **fields))
    unrelated = make_service(ministry_a, name_ar="رخصة البناء")
    order = ranked("جواز سفر")
    assert set(order) == {s.pk for s in services}  # positive control: search finds every one, and only them
    assert order != sorted(order)  # the ranking is not the order of creation (or codes) by chance
    listed = [s.pk for s in service_list(Reader.public(), ServiceFilters(q="جواز سفر"))]
    assert listed == order
    online = [
        s.pk for s in service_list(Reader.public(), ServiceFilters(q="جواز سفر", level=DigitizationLevel.PROCESSING))
    ]
    assert online == [pk for pk in order if pk in {s.pk for s in services if s.level == DigitizationLevel.PROCESSING}]
    assert len(online) == 12
    assert unrelated.pk not in listed
