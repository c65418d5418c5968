from django.db import migrations


def seed(apps, schema_editor):
    # The delay notices of a request with a legal term (deadlines) join the shared templates.
    from eenloket.messaging.seed import ensure_shared_templates

    ensure_shared_templates(
        apps.get_model("messaging", "LetterTemplate"),
        apps.get_model("messaging", "LetterTemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("messaging", "0004_message_attachments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
