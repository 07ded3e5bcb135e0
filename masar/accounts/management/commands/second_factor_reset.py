"""Remove a person's authenticator from the server's shell: `manage.py second_factor_reset <username>`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from masar.accounts.models import User
from masar.accounts.two_factor import second_factor_reset


class Command(BaseCommand):
    help = "Remove a person's authenticator and backup codes (audited); they enrol a new one at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(_("No account is named %(username)s.") % {"username": username})
        removed = second_factor_reset(person=person, actor=None)
        self.stdout.write(f"second_factor_reset username={username} devices_removed={removed}")
