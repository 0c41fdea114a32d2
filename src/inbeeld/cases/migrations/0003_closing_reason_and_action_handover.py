# Closing with care: the closing reason (case and its state change) and actions handed over.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_escalation_named_decider"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="handed_over_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="handed_over_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="action",
            name="handed_over_to",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="case",
            name="closing_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("terug_op_school", "terug op school"),
                    ("verhuisd_uitgeschreven", "verhuisd of uitgeschreven"),
                    ("vrijstelling", "vrijstelling van de leerplicht"),
                    ("overgedragen_gemeente", "overgedragen aan een andere gemeente"),
                    ("leerplicht_geeindigd", "18 jaar of leerplicht geëindigd"),
                    ("anders", "anders (met toelichting)"),
                ],
                max_length=24,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="closing_reason_text",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="statechange",
            name="reason",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
