"""Writes of the monitor: the pact's targets of an organisation (issue 5 §1)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.monitor.models import Target

FIRST_BASELINE_YEAR = 2000
LAST_BASELINE_YEAR = 2100


def set_target(
    *,
    actor: Actor,
    baseline_year: int,
    yearly_reduction_percent: int = 25,
    zero_over_three_months: bool = True,
) -> Target:
    """Set the targets of the actor's own organisation: a new row, the newest counts."""
    if not actor.can(Permission.SET_TARGETS):
        raise PermissionDenied(_("Uw rol geeft geen toestemming om doelen vast te stellen."))
    errors = {}
    if not FIRST_BASELINE_YEAR <= baseline_year <= LAST_BASELINE_YEAR:
        errors["baseline_year"] = _(
            "Het basisjaar moet een schooljaar tussen %(first)s en %(last)s zijn."
        ) % {"first": FIRST_BASELINE_YEAR, "last": LAST_BASELINE_YEAR}
    if not 0 <= yearly_reduction_percent <= 100:
        errors["yearly_reduction_percent"] = _(
            "De daling per jaar is een percentage van 0 tot en met 100."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = Target.objects.create(
            organisation=actor.organisation,
            baseline_year=baseline_year,
            yearly_reduction_percent=yearly_reduction_percent,
            zero_over_three_months=zero_over_three_months,
            set_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            summary=(
                f"Doelen vastgesteld: basisjaar {baseline_year}/{(baseline_year + 1) % 100:02d}, "
                f"{yearly_reduction_percent} % per jaar"
            ),
            obj=target,
            detail={
                "baseline_year": baseline_year,
                "yearly_reduction_percent": yearly_reduction_percent,
                "zero_over_three_months": zero_over_three_months,
            },
        )
    return target


def figures_exported(*, actor: Actor, school_year: int, fmt: str) -> None:
    """Record the download of a leerplichttelling (aggregated figures, no child)."""
    if not actor.can(Permission.VIEW_FIGURES):
        raise PermissionDenied(_("Uw rol geeft geen toegang tot de cijfers."))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"Leerplichttelling {school_year}/{(school_year + 1) % 100:02d} ({fmt})",
        detail={"school_year": school_year, "format": fmt},
    )
