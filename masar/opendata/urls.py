"""The open-data portal and the inventory's pages (ar/fr/en), filled by the portal work."""

urlpatterns: list = []
