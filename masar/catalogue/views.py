"""The owners' pages of the services catalogue (to be written)."""

from django.shortcuts import render

from masar.catalogue.selectors import service_for_reader


def service_detail(request, pk):
    service = service_for_reader(request.user, pk)
    return render(request, "catalogue/service_detail.html", {"service": service})
