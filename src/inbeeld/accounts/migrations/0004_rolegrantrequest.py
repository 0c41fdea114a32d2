"""Separation of duties (issue 9 §13): a role that lets someone see children is asked for by one
functioneel beheerder and approved or refused by another."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_personal_token_expiry_and_scopes"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleGrantRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("leerplichtambtenaar", "leerplichtambtenaar"),
                            ("school_zorgcoordinator", "zorgcoördinator school"),
                            ("swv_consultant", "consulent samenwerkingsverband"),
                            ("jeugdarts", "jeugdarts"),
                            ("wijkteam_medewerker", "medewerker wijkteam"),
                            ("beleidsmedewerker", "beleidsmedewerker"),
                            ("functioneel_beheerder", "functioneel beheerder"),
                        ],
                        max_length=32,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "wacht op goedkeuring"),
                            ("approved", "goedgekeurd"),
                            ("refused", "geweigerd"),
                        ],
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("requested_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "membership",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.membership",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_requests",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_requests",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state", "pending")),
                        fields=("user", "organisation", "role"),
                        name="role_grant_request_one_pending",
                    )
                ],
            },
        ),
    ]
