from django.db import migrations


def seed(apps, schema_editor):
    from eenloket.residents.authorisations import ensure_default_authorisations

    ensure_default_authorisations(apps.get_model("residents", "RegisterAuthorisation"))


class Migration(migrations.Migration):
    dependencies = [("residents", "0002_register_access")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
