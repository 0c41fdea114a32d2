"""The button that e-mails the decision letter on an online leave request to the parent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.correspondence.parent_mail import decision_send_to_parent
from inbeeld.leave.public import online_request_for
from inbeeld.leave.selectors import leave_request_for


@require_POST
@actor_required(Permission.DECIDE_LEAVE)
def decision_to_parent(request: HttpRequest, pk: int) -> HttpResponse:
    """pk: the leave request. Back to the online request's page (the school) or the leave request
    (leerplicht) with what happened."""
    leave = leave_request_for(actor=request.actor, pk=pk)
    if leave is None:
        raise Http404
    online = getattr(leave, "online_request", None)
    if online is None:
        raise Http404
    try:
        decision_send_to_parent(actor=request.actor, leave=leave)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Het besluit is per e-mail naar de ouder gestuurd, met de brief als bijlage."),
        )
    if online_request_for(actor=request.actor, pk=online.pk) is not None:  # the school
        return redirect("leave:online_detail", pk=online.pk)
    return redirect("leave:detail", pk=leave.pk)  # leerplicht, who decided beyond ten days
