from django.core.management.base import BaseCommand

from masar.demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: the organizations, missions, council decisions and strategies of the source documents, "
        "Tunisia's and Morocco's regions, a labelled sample portfolio and the demo sign-ins. Running it again "
        "creates only what is missing."
    )

    def handle(self, *args, **options):
        result = demo_load(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {result.password})")
        self.stdout.write(f"  {'username':<15} {'role':<20} organization")
        for username, role, code, organization in result.users:
            self.stdout.write(f"  {username:<15} {role:<20} {code} {organization}")
