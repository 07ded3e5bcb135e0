"""Users for tests."""

from masar.accounts.models import User


def make_user(username, role, organization):
    """Create an active user with a role in an organization (password "pw-<username>")."""
    return User.objects.create_user(username=username, password="pw-" + username, role=role, organization=organization)
