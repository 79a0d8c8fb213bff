"""Round and Entry move here from the rounds app, with their tables
(rounds_round, rounds_entry), constraints and rows: state only, the database
is not touched. rounds 0002 points ReminderSent at data.Entry, takes the two
out of the rounds app's state and moves their content types."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FREQUENCIES = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("annual", "Annual")]


def period_fields():
    return [
        ("frequency", models.CharField(choices=FREQUENCIES, max_length=10)),
        ("first_month", models.IntegerField(help_text="Months since year 0 of the period's first month.")),
        ("last_month", models.IntegerField(help_text="Months since year 0 of the period's last month.")),
        ("period", models.CharField(help_text="The period as written: 2020-09, 2020/21 Q2, 2020/21.", max_length=16)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("data", "0008_commentary_is_draft"),
        ("registry", "0002_measure_indicator_national_code_and_more"),
        ("rounds", "0001_initial"),  # which made the tables
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Round",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        *period_fields(),
                        ("deadline", models.DateField(help_text="When entries are due from their owners.")),
                        ("state", models.CharField(choices=[("open", "Open"), ("published", "Published")], default="open", max_length=10)),
                        ("opened_at", models.DateTimeField(auto_now_add=True)),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                        ("snapshot", models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text="Every entry as published, frozen: the report and public pages for this period show these figures.", null=True)),
                        ("opened_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("published_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "rounds_round",
                        "ordering": ["-last_month"],
                        "constraints": [models.UniqueConstraint(fields=("frequency", "first_month"), name="unique_round")],
                    },
                ),
                migrations.CreateModel(
                    name="Entry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        *period_fields(),
                        ("state", models.CharField(choices=[("not_started", "Not started"), ("draft", "Draft"), ("submitted", "Submitted"), ("returned", "Returned"), ("approved", "Approved"), ("published", "Published")], db_index=True, default="not_started", max_length=12)),
                        ("value", models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                        ("numerator", models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                        ("denominator", models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True)),
                        ("commentary", models.TextField(blank=True)),
                        ("actions", models.TextField(blank=True)),
                        ("return_reason", models.TextField(blank=True)),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("submitted_at", models.DateTimeField(blank=True, null=True)),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                        ("restated_at", models.DateTimeField(blank=True, null=True)),
                        ("approved_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("indicator", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="registry.indicator")),
                        ("submitted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("updated_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("round", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="data.round")),
                    ],
                    options={
                        "db_table": "rounds_entry",
                        "verbose_name_plural": "entries",
                        "ordering": ["round", "indicator__position", "indicator__ref"],
                        "constraints": [models.UniqueConstraint(fields=("round", "indicator"), name="unique_entry")],
                    },
                ),
            ],
        ),
    ]
