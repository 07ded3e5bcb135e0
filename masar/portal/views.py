"""The public portal (to be written)."""

from django.shortcuts import render


def home(request):
    return render(request, "portal/home.html", {})
