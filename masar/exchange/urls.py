from django.urls import path

from masar.exchange import views

urlpatterns = [
    path("", views.exchange_map, name="exchange-map"),
    path("readers/", views.data_readers, name="exchange-data-readers"),
    path("tokens/", views.token_list, name="exchange-token-list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="exchange-token-revoke"),
    path("tokens/<int:pk>/rotate/", views.token_rotate, name="exchange-token-rotate"),
    path("clients/", views.client_list, name="exchange-client-list"),
    path("clients/new/", views.client_create, name="exchange-client-create"),
    path("clients/<int:pk>/", views.client_detail, name="exchange-client-detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="exchange-client-edit"),
    path("clients/<int:pk>/active/", views.client_set_active, name="exchange-client-active"),
    path("clients/<int:pk>/tokens/", views.client_token_create, name="exchange-client-token-create"),
    path("clients/<int:pk>/agreements/new/", views.agreement_create, name="exchange-agreement-create"),
    path("agreements/", views.agreement_list, name="exchange-agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="exchange-agreement-detail"),
    path("agreements/<int:pk>/decide/", views.agreement_decide, name="exchange-agreement-decide"),
]
