"""AuditEvent moves here from the rounds app, with its table
(rounds_auditevent), its index and its rows: state only, the database is not
touched. rounds 0002 takes it out of the rounds app's state and moves its
content type."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("registry", "0002_measure_indicator_national_code_and_more"),
        ("rounds", "0001_initial"),  # which made the table
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor", models.CharField(help_text="Who made it, as named then: a username or 'command line'.", max_length=150)),
                        ("action", models.CharField(max_length=20)),
                        ("object_type", models.CharField(max_length=20)),
                        ("object_id", models.CharField(blank=True, max_length=40)),
                        ("period", models.CharField(blank=True, max_length=16)),
                        ("before", models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True)),
                        ("after", models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True)),
                        ("reason", models.TextField(blank=True)),
                        ("indicator", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audit_events", to="registry.indicator")),
                        ("reverts", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="reverted_by", to="audit.auditevent")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "rounds_auditevent",
                        "ordering": ["-at", "-pk"],
                        "indexes": [models.Index(fields=["object_type", "object_id"], name="rounds_audi_object__6a1711_idx")],
                    },
                ),
            ],
        ),
    ]
