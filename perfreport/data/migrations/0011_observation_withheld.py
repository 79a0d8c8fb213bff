from django.db import migrations, models

WITHHELD_HELP = (
    'The figure as published instead of a number ("c", "fewer than 10"): shown as printed, '
    "never rated, charted or averaged. Empty: the value is a number."
)


class Migration(migrations.Migration):
    """A value may be withheld as published: no number, and the text printed
    in its place. Every stored value is a number, so nothing is converted."""

    dependencies = [("data", "0010_observation_rating_printed")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="withheld_as",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text='The figure as it will be published instead of a number ("c"); '
                "empty otherwise. Empty with no value: nothing entered yet.",
                max_length=40,
                verbose_name="withheld as",
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="withheld_as",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text=WITHHELD_HELP,
                max_length=40,
                verbose_name="withheld as",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="value",
            field=models.DecimalField(
                blank=True,
                decimal_places=6,
                help_text="Empty when withheld as published.",
                max_digits=20,
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.CheckConstraint(
                condition=models.Q(value__isnull=False, withheld_as="")
                | models.Q(value__isnull=True) & ~models.Q(withheld_as=""),
                name="observation_value_or_withheld",
                violation_error_message="Give a value, or the text it was withheld as "
                '(such as c or "fewer than 10"), not both.',
            ),
        ),
    ]
