"""ApiToken moves here from the web app, with its table (web_apitoken) and
its rows: state only, the database is not touched. web 0002 takes it out of
the web app's state and moves its content type."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("web", "0001_initial"),  # which made the table
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="What uses it, to recognise it later: “Power BI refresh”.", max_length=100)),
                        ("key_hash", models.CharField(editable=False, max_length=64, unique=True, verbose_name="hash of the token")),
                        ("prefix", models.CharField(editable=False, help_text="The token's first characters, to tell tokens apart.", max_length=8)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, help_text="A revoked token is refused from then on.", null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "web_apitoken",
                        "verbose_name": "API token",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
    ]
