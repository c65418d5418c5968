from django.db import migrations


def seed(apps, schema_editor):
    # The offer of help after an early signal of payment arrears (cases) joins the shared
    # templates.
    from eenloket.messaging.seed import ensure_shared_templates

    ensure_shared_templates(
        apps.get_model("messaging", "LetterTemplate"),
        apps.get_model("messaging", "LetterTemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("messaging", "0005_seed_delay_notices")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
