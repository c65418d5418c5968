from django.db import migrations


def seed(apps, schema_editor):
    # The shared request types, from the law (law.py).
    from eenloket.deadlines.law import ensure_shared_types

    ensure_shared_types(apps.get_model("deadlines", "RequestType"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
