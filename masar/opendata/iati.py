"""The IATI 2.03 activity file (filled by the IATI work)."""

urlpatterns: list = []
