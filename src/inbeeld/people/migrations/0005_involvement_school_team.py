"""The school team as a source of sight (issue 12 §1), beside the MAZL melding (0004)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_alter_involvement_source"),
    ]

    operations = [
        migrations.AlterField(
            model_name="involvement",
            name="source",
            field=models.CharField(
                choices=[
                    ("concern", "zorg gemeld"),
                    ("case_team", "lid van het casusteam"),
                    ("melding", "MAZL-melding doorgestuurd"),
                    ("school_team", "lid van het schoolteam"),
                ],
                max_length=16,
            ),
        ),
    ]
