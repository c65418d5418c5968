from django.db import migrations, models


def seed(apps, schema_editor):
    # The shared "aanvraag" now names a new term in a timely delay notice (law.py).
    from eenloket.deadlines.law import ensure_shared_types

    ensure_shared_types(apps.get_model("deadlines", "RequestType"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_sweep_index")]

    operations = [
        migrations.AddField(
            model_name="requesttype",
            name="notice_sets_term",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Aan: het bericht dat het besluit later komt, moet een nieuwe datum noemen. "
                    "Die datum wordt de nieuwe einddatum."
                ),
                verbose_name="een bericht op tijd noemt een nieuwe termijn (Awb 4:14 lid 3)",
            ),
        ),
        migrations.AddField(
            model_name="suspension",
            name="respond_by",
            field=models.DateField(blank=True, null=True, verbose_name="aanvullen uiterlijk op"),
        ),
        migrations.AlterField(
            model_name="extension",
            name="kind",
            field=models.CharField(
                choices=[
                    ("wettelijk", "Verlenging die de wet toestaat"),
                    ("instemming", "Verder uitstel met instemming van de inwoner"),
                    ("mededeling", "Nieuwe termijn uit het bericht dat het besluit later komt"),
                ],
                max_length=20,
                verbose_name="soort",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
