"""The inspector's queue: its filters, and a supplier's name found as people type it."""

from masar.integrity.models import AlertStatus
from masar.integrity.selectors import AlertFilters, alert_list
from tests.integrity.factories import make_alert, make_inspector, make_supplier, make_trail


def test_the_queue_finds_a_suppliers_alerts_by_its_name_as_typed_and_narrows_by_status(gov, ministry_a):
    amal = make_supplier("SUP-AMAL", owner=ministry_a, name_ar="شـركة الأَمل للخدمات")
    other = make_supplier("SUP-OTHER", owner=ministry_a, name_ar="مؤسسة النور")
    tender, _contract = make_trail(ministry_a, winner=amal)
    flagged = make_alert(tender, supplier=amal)
    make_alert(tender, supplier=other, rule="R028")
    inspector = make_inspector(gov)
    found = alert_list(inspector, AlertFilters(search="شركه الامل"))
    assert list(found) == [flagged]
    assert alert_list(inspector, AlertFilters(search="النور")).count() == 1  # positive control: the other one
    assert alert_list(inspector, AlertFilters(status=AlertStatus.DISMISSED)).count() == 0
    assert alert_list(inspector, AlertFilters(rule="R028", supplier=other.pk)).count() == 1
