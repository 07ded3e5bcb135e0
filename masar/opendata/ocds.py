"""The OCDS 1.1 release package (filled by the OCDS work)."""

urlpatterns: list = []
