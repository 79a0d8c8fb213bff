from django.db import migrations, models


def mark_printed(apps, schema_editor):
    """Figures imported from a published report: those with a printed rating,
    and the others of a period whose figures carry printed ratings, unless a
    round collected them (entered in perfreport, never printed)."""
    Observation = apps.get_model("data", "Observation")
    Entry = apps.get_model("data", "Entry")
    Observation.objects.exclude(stated_rag="").update(rating_printed=True)
    printed_periods = set(
        Observation.objects.exclude(stated_rag="").values_list("frequency", "first_month")
    )
    collected = set(
        Entry.objects.values_list("indicator_id", "round__frequency", "round__first_month")
    )
    for pk, indicator, frequency, first in Observation.objects.filter(stated_rag="").values_list(
        "pk", "indicator_id", "frequency", "first_month"
    ):
        if (frequency, first) in printed_periods and (indicator, frequency, first) not in collected:
            Observation.objects.filter(pk=pk).update(rating_printed=True)


class Migration(migrations.Migration):
    dependencies = [("data", "0009_round_entry")]

    operations = [
        migrations.AddField(
            model_name="observation",
            name="rating_printed",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="The figure came from a published report that prints ratings "
                "(imported with a stated_rag column), so a rating left blank there is worth a "
                "finding; figures entered or computed in perfreport never are.",
                verbose_name="from a published report",
            ),
        ),
        migrations.RunPython(mark_printed, migrations.RunPython.noop),
    ]
