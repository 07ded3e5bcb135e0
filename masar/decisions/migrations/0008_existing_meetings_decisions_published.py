from django.db import migrations
from django.utils import timezone


def publish_existing(apps, schema_editor):
    """Meetings recorded before publication existed had their decisions shown: keep them shown."""
    Meeting = apps.get_model("decisions", "Meeting")
    Meeting.objects.filter(decisions_published=False).update(
        decisions_published=True, decisions_published_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0007_council_minutes_attendance_publication"),
    ]

    operations = [migrations.RunPython(publish_existing, migrations.RunPython.noop)]
