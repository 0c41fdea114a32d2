"""``inbeeld grant-role USERNAME ORGANISATION_CODE ROLE``: the installation gives a role as the system.

For what no second functioneel beheerder can approve: the first roles of a new organisation, or a
role that sees children at an organisation with one beheerder (docs/authorization.md). Whoever runs
it has the server; the audit trail records the grant without a user, ``via: command line``. A
pending request for the same role is approved by it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from inbeeld.accounts import services
from inbeeld.accounts.models import (
    Organisation,
    OrganisationType,
    RoleGrantRequest,
    RoleGrantState,
    User,
)

VIA = "command line"


class Command(BaseCommand):
    help = "Give a user a role at an organisation, as the system (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("organisation_code", help="CBS code, BRIN or the organisation's code")
        parser.add_argument("role")
        parser.add_argument(
            "--type",
            choices=OrganisationType.values,
            help="the kind of organisation, when the code is used by more than one kind",
        )

    @transaction.atomic
    def handle(self, *args, username: str, organisation_code: str, role: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        organisations = Organisation.objects.filter(code=organisation_code.strip().upper())
        if options.get("type"):
            organisations = organisations.filter(type=options["type"])
        found = list(organisations[:2])
        if len(found) != 1:
            raise CommandError(
                f"{len(found) or 'no'} organisations with code {organisation_code!r}"
                + (" (give --type)" if found else "")
            )
        organisation = found[0]
        pending = RoleGrantRequest.objects.filter(
            user=user, organisation=organisation, role=role, state=RoleGrantState.PENDING
        ).first()
        try:
            if pending is not None:
                services.role_grant_decide(actor=None, grant_request=pending, approve=True, via=VIA)
            else:
                services.membership_grant(
                    actor=None, user=user, organisation=organisation, role=role, via=VIA
                )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(f"{username} has the role {role} at {organisation.name}")
