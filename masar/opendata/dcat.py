"""The DCAT-AP 3 catalogue (filled by the DCAT work)."""

urlpatterns: list = []
