from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_indicator_year_start")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="unit_label",
            field=models.CharField(
                blank=True,
                help_text="How the unit is printed around the number: a scale (k, m, bn) and "
                "words, such as £m, days or per 10,000. Empty: the unit alone.",
                max_length=40,
            ),
        ),
    ]
