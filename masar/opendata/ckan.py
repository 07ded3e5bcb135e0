"""The CKAN Action API over the open-data catalogue (filled by the CKAN work)."""

urlpatterns: list = []
