"""RoleGrant moves here from the rounds app, with its table (rounds_rolegrant)
and its rows: state only, the database is not touched. rounds 0002 takes it
out of the rounds app's state and moves its content type."""

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
                    name="RoleGrant",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("admin", "BI administrator"), ("owner", "Indicator owner or service lead"), ("approver", "Approver"), ("viewer", "Viewer")], max_length=10)),
                        ("directorate", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="grants", to="registry.directorate")),
                        ("indicator", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="grants", to="registry.indicator")),
                        ("service", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="grants", to="registry.service")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="role_grants", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "rounds_rolegrant",
                        "ordering": ["user", "role"],
                    },
                ),
            ],
        ),
    ]
