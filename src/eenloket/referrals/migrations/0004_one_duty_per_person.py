"""One duty period at a time per person, enforced by the database.

A duty period is the time range [since, until). On PostgreSQL an exclusion constraint refuses two
overlapping periods of the same person (btree_gist for `staff WITH =`, `tstzrange(since, until,
'[)') WITH &&`): concurrent "start duty" requests can no longer leave several active rows.
start_duty ends the running period at the moment the new one starts, so [a, now) and [now, b)
do not overlap. SQLite (the demo) has no exclusion constraints; there start_duty's lock and
SQLite's one-writer-at-a-time transactions keep it to one. Overlaps written before this
migration are ended first: each period stops where the person's next one starts."""

from django.db import migrations, models

NAME = "duty_one_period_at_a_time"


def end_overlapping_periods(apps, schema_editor):
    OnDuty = apps.get_model("referrals", "OnDuty")
    OnDuty.objects.filter(until__lt=models.F("since")).update(until=models.F("since"))
    previous = {}
    rows = OnDuty.objects.order_by("staff_id", "since", "id").only("staff_id", "since", "until")
    for duty in rows.iterator():
        before = previous.get(duty.staff_id)
        if before is not None and before.until > duty.since:
            OnDuty.objects.filter(pk=before.pk).update(until=duty.since)
        previous[duty.staff_id] = duty


def _exclusion_constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators

    class TsTzRange(models.Func):
        function = "TSTZRANGE"
        output_field = DateTimeRangeField()

    return ExclusionConstraint(
        name=NAME,
        expressions=[
            ("staff", RangeOperators.EQUAL),
            (TsTzRange("since", "until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
    )


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.add_constraint(apps.get_model("referrals", "OnDuty"), _exclusion_constraint())


def remove_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(
        apps.get_model("referrals", "OnDuty"), _exclusion_constraint()
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_escalate_unfinished")]

    operations = [
        migrations.RunPython(end_overlapping_periods, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="onduty",
            constraint=models.CheckConstraint(
                condition=models.Q(until__gte=models.F("since")), name="duty_ends_after_start"
            ),
        ),
        migrations.RunPython(add_exclusion, remove_exclusion),
    ]
