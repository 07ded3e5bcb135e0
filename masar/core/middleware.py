"""Give every request its reader, built once from the signed-in user."""

from django.utils.functional import SimpleLazyObject

from masar.core.policy import Reader


class ReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reader = SimpleLazyObject(lambda: Reader.of(request.user))
        return self.get_response(request)
