"""Commentary gets a draft flag, as values have, so that the public read
path can leave draft commentary out by construction.

Commentary written before this migration was all treated as published. The
round wrote its drafts straight into it, so commentary of a period that an
open round collects, and whose value was never published, is a round's draft:
it is marked as one. Commentary beside a published value stays published."""

from django.db import migrations, models


def mark_round_drafts(apps, schema_editor):
    Commentary = apps.get_model("data", "Commentary")
    Observation = apps.get_model("data", "Observation")
    Entry = apps.get_model("rounds", "Entry")
    open_entries = Entry.objects.filter(round__state="open").exclude(state="published")
    for indicator_id, frequency, first_month in open_entries.values_list(
        "indicator_id", "frequency", "first_month"
    ):
        key = {"indicator_id": indicator_id, "frequency": frequency, "first_month": first_month}
        published = Observation.objects.filter(
            **key, organisation__is_home=True, is_draft=False
        ).exists()
        if not published:
            Commentary.objects.filter(**key).update(is_draft=True)


class Migration(migrations.Migration):
    dependencies = [
        ("data", "0007_data_version_token"),
        ("rounds", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentary",
            name="is_draft",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Draft commentary is not published: the public pages, open data, "
                "the API without a token and public reports leave it out.",
                verbose_name="draft",
            ),
        ),
        migrations.RunPython(mark_round_drafts, migrations.RunPython.noop),
    ]
