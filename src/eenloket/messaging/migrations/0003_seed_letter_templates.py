"""Shared (landelijke) letter templates in B1 Dutch and in English (messaging/seed.py)."""

from django.db import migrations

KEYS = ("terugbelverzoek", "doorverwijzing", "bent-u-geholpen")


def seed(apps, schema_editor):
    from eenloket.messaging.seed import ensure_shared_templates

    ensure_shared_templates(
        apps.get_model("messaging", "LetterTemplate"),
        apps.get_model("messaging", "LetterTemplateVersion"),
    )


def unseed(apps, schema_editor):
    LetterTemplate = apps.get_model("messaging", "LetterTemplate")
    LetterTemplate.objects.filter(organisation=None, key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_message_fallback_reason")]

    operations = [migrations.RunPython(seed, unseed)]
