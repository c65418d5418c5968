from django.db import migrations


def seed(apps, schema_editor):
    # The acknowledgement (Awb 9:6) and the answer with the ombudsman (Awb 9:12) join the
    # shared letter templates.
    from eenloket.complaints.letters import ensure_templates

    ensure_templates(
        apps.get_model("messaging", "LetterTemplate"),
        apps.get_model("messaging", "LetterTemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("messaging", "0006_seed_debt_help_offer"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
