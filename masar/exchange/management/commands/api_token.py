import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masar.core.roles import Role
from masar.exchange.services import token_issue


class Command(BaseCommand):
    help = (
        "Issue a new personal API token to an active person and print only its secret, "
        "so that TOKEN=$(manage.py api_token USERNAME) works. The secret is not kept: only its digest is."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="where the token is used (default: 'command line')")
        parser.add_argument("--expires-days", type=int, default=None, help="days until the token stops working")

    def handle(self, *args, username, name, expires_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if user.role == Role.API_CLIENT:
            raise CommandError(f"{username!r} is the account of an API client: issue its tokens from the client's page")
        if not user.is_active:
            raise CommandError(f"the user {username!r} is not active")
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be at least 1")
            expires_at = timezone.now() + datetime.timedelta(days=expires_days)
        issued = token_issue(user=user, name=name or "command line", actor=None, expires_at=expires_at)
        self.stdout.write(issued.secret)
