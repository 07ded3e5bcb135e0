from django.urls import path

from masar.search import views

urlpatterns = [
    path("", views.search_page, name="search-search"),
    path("suggest/", views.search_suggest, name="search-suggest"),
    path("thesaurus/", views.thesaurus_page, name="search-thesaurus"),
    path("thesaurus/<int:pk>/", views.thesaurus_group_edit, name="search-thesaurus-edit"),
    path("thesaurus/<int:pk>/remove/", views.thesaurus_group_remove, name="search-thesaurus-remove"),
]
