"""ApiToken moved to the api app (its 0001 took it into its state, with the
same table, web_apitoken): here it leaves the web app's state and its content
type takes the api app's label. No table is touched."""

from django.db import migrations

MOVED = [("apitoken", "web", "api")]


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
        ("web", "0001_initial"),
        ("api", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ApiToken")],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
