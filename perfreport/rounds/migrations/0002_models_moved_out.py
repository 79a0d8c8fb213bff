"""The rounds app keeps only ReminderSent. RoleGrant moved to accounts,
AuditEvent to audit, Round and Entry to data (their own 0001 and 0009 took
them into their state, with the same tables): here they leave the rounds
app's state, ReminderSent's foreign key points at data.Entry (the database's
constraint already points at the same table), and their content types take
their new app labels. No table is touched."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = [
    ("rolegrant", "rounds", "accounts"),
    ("auditevent", "rounds", "audit"),
    ("round", "rounds", "data"),
    ("entry", "rounds", "data"),
]


def move_content_types(apps, schema_editor, moves):
    """Give each moved model's content type its new app label, keeping its id,
    so that the admin's history (LogEntry) and the permissions that point at
    it keep working. If a content type for the new label was already made (a
    ``migrate`` of part of the apps ran post_migrate in between), the admin
    history written under it is pointed at the old row and it is dropped."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    for model, old_label, new_label in moves:
        old = types.filter(app_label=old_label, model=model).first()
        if old is None:
            continue  # a new database: post_migrate makes the new one
        made = types.filter(app_label=new_label, model=model).first()
        if made is not None:
            LogEntry.objects.using(db).filter(content_type=made).update(content_type=old)
            made.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    move_content_types(apps, schema_editor, MOVED)


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor, [(m, new, old) for m, old, new in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0001_initial"),
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("data", "0009_round_entry"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="remindersent",
                    name="entry",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to="data.entry"),
                ),
                migrations.DeleteModel(name="Entry"),
                migrations.DeleteModel(name="Round"),
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="RoleGrant"),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
