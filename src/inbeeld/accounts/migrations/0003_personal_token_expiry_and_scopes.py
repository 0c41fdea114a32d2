"""Personal tokens get a term and scopes (issue 9 §11).

The tokens made before this migration get an expiry of ``INBEELD_API_TOKEN_DAYS`` (90) days
from the moment the migration runs, so the systems using them keep working while their owners
make tokens with scopes, and keep read and write on every family they had (``every_scope``):
what they could do before, and never more than their owner's roles allow.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import inbeeld.accounts.models
import inbeeld.accounts.token_scopes


def give_existing_tokens_a_term(apps, schema_editor):
    PersonalToken = apps.get_model("accounts", "PersonalToken")
    expires_at = timezone.now() + dt.timedelta(days=settings.INBEELD_API_TOKEN_DAYS)
    PersonalToken.objects.filter(expires_at__isnull=True).update(expires_at=expires_at)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_deactivated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="personaltoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(give_existing_tokens_a_term, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personaltoken",
            name="expires_at",
            field=models.DateTimeField(default=inbeeld.accounts.models.default_token_expiry),
        ),
        migrations.AddField(
            model_name="personaltoken",
            name="scopes",
            field=models.JSONField(default=inbeeld.accounts.token_scopes.every_scope),
        ),
    ]
