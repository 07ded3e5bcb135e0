from axes.decorators import axes_dispatch
from django.contrib.auth import views as auth_views
from django.urls import path

from masar.accounts import views

urlpatterns = [
    # A locked-out sign-in is answered before the view: no form, no password hashing, one small read.
    path(
        "login/",
        axes_dispatch(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="accounts-login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),
    path("profile/", views.profile, name="accounts-profile"),
    path("two-factor/", views.two_factor, name="accounts-two-factor"),
    path("two-factor/enrol/", views.two_factor_enrol, name="accounts-two-factor-enrol"),
    path("two-factor/enrol/qr.svg", views.two_factor_qr, name="accounts-two-factor-qr"),
    path("people/<int:pk>/two-factor/reset/", views.two_factor_reset, name="accounts-two-factor-reset"),
    path("password-reset/", views.PasswordResetRequestView.as_view(), name="accounts-password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="accounts-password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="accounts-password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="accounts-password-reset-complete",
    ),
]
