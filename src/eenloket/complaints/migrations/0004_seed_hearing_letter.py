from django.db import migrations


def seed(apps, schema_editor):
    # The invitation to be heard (Awb 9:10) joins the shared letter templates; the existing ones
    # are left as they are.
    from eenloket.complaints.letters import ensure_templates

    ensure_templates(
        apps.get_model("messaging", "LetterTemplate"),
        apps.get_model("messaging", "LetterTemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_complaintpart_hearing_appointment")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
