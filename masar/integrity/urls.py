"""Pages of integrity and early warning (ar/fr/en), under /<language>/integrity/."""

from django.urls import path

from masar.integrity import views

app_name = "integrity"

urlpatterns = [
    path("alerts/", views.alert_list, name="integrity-alert-list"),
    path("alerts/<int:pk>/", views.alert_detail, name="integrity-alert-detail"),
    path("alerts/<int:pk>/triage/", views.alert_triage, name="integrity-alert-triage"),
    path("tenders/", views.tender_list, name="integrity-tender-list"),
    path("tenders/<int:pk>/", views.tender_detail, name="integrity-tender-detail"),
    path("contracts/<int:pk>/", views.contract_detail, name="integrity-contract-detail"),
    path("suppliers/", views.supplier_list, name="integrity-supplier-list"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="integrity-supplier-detail"),
    path("rules/", views.rule_list, name="integrity-rule-list"),
    path("rules/<str:code>/", views.rule_edit, name="integrity-rule-edit"),
    path("runs/", views.run_list, name="integrity-run-list"),
    path("import/", views.procurement_import, name="integrity-import"),
]
