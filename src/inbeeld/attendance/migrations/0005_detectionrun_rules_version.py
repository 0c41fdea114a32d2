# RULES.md §7: the rules version a detection run followed; runs from before are v1 (None).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0004_rules_v2_absence_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="detectionrun",
            name="rules_version",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
