from django.urls import path

from masar.indicators import views

urlpatterns = [
    path("", views.indicator_list, name="indicators-indicator-list"),
    path("<int:pk>/", views.indicator_detail, name="indicators-indicator-detail"),
    path("<int:pk>/values/new/", views.measurement_create, name="indicators-measurement-create"),
    path("<int:pk>/upload/", views.measurement_upload, name="indicators-measurement-upload"),
    path("<int:pk>/upload/template.xlsx", views.upload_template, name="indicators-upload-template"),
    path("values/<int:pk>/edit/", views.measurement_edit, name="indicators-measurement-edit"),
    path("values/<int:pk>/submit/", views.measurement_submit_view, name="indicators-measurement-submit"),
    path("values/<int:pk>/approve/", views.measurement_approve_view, name="indicators-measurement-approve"),
    path("values/<int:pk>/reject/", views.measurement_reject_view, name="indicators-measurement-reject"),
    path("review/", views.review, name="indicators-review"),
    path("scorecards/", views.scorecard_league, name="indicators-scorecard-league"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="indicators-scorecard-detail"),
    path("scorecards/<int:pk>/weights/", views.scorecard_weights, name="indicators-scorecard-weights"),
    path("assets/vega-<str:version>.js", views.vega_bundle, name="indicators-vega-bundle"),
]
