from django.db import migrations

from masar.search.schema import install_migration


def seed_thesaurus(apps, schema_editor):
    from masar.arabic.lexicon import DEFAULT_THESAURUS

    group = apps.get_model("search", "ThesaurusGroup")
    if not group.objects.exists():
        group.objects.bulk_create(group(terms="\n".join(members)) for members in DEFAULT_THESAURUS)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(install_migration, migrations.RunPython.noop),
        migrations.RunPython(seed_thesaurus, migrations.RunPython.noop),
    ]
