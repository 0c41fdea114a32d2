"""Screens of the leave requests parents send online (issue 11 §8).

For anyone, without an account (``/verlof/aanvragen/<token>/``): the school's form and the receipt.
The form says nothing about any child: what was typed comes back on a refusal, nothing else. A link
that does not work (unknown, renewed or switched off) answers 404, the same for each; every try of
one, and every form sent, counts towards the address's limit per hour (429 above it); a form with
the hidden honeypot field filled in is refused (400) without storing anything.

For the school (``/verlof/online/``): the public link (on, renew, off), what came in, one request
with the pupils who may be the child (the school's own, with that date of birth), linking it to a
pupil (the leave request is registered, then decided as any other) or refusing it, and the employer's
statement as a download.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.accounts.client_ip import client_ip
from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record, audit_record_views, children_shown
from inbeeld.leave import public
from inbeeld.leave.models import LeaveKind
from inbeeld.leave.public_models import OnlineState
from inbeeld.ui.forms import DateInput, ServerCheckedForm, errors_to_form

#: the session key of the receipt shown after sending
RECEIPT = "inbeeld_public_leave_receipt"
HONEYPOT = "website"
TEXT = {"class": "utrecht-textbox"}


class PublicLeaveForm(ServerCheckedForm):
    """What a parent fills in. Every field is text here: ``public.check_submission`` checks them
    all and says per field what is wrong (a date is read by :func:`_date`)."""

    child_given_names = forms.CharField(
        label=gettext_lazy("Voornaam of voornamen van het kind"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    child_family_name = forms.CharField(
        label=gettext_lazy("Achternaam van het kind"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    child_birth_date = forms.CharField(
        label=gettext_lazy("Geboortedatum van het kind"), required=False, widget=DateInput()
    )
    parent_name = forms.CharField(
        label=gettext_lazy("Uw naam"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "name"}),
    )
    parent_email = forms.CharField(
        label=gettext_lazy("Uw e-mailadres"),
        required=False,
        strip=False,
        help_text=gettext_lazy("Hierheen sturen wij de ontvangstbevestiging en het besluit."),
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "email"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort verlof"),
        required=False,
        choices=LeaveKind.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
    )
    start_date = forms.CharField(
        label=gettext_lazy("Eerste dag van het verlof"), required=False, widget=DateInput()
    )
    end_date = forms.CharField(
        label=gettext_lazy("Laatste dag van het verlof"), required=False, widget=DateInput()
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden in het kort"),
        required=False,
        strip=False,
        help_text=gettext_lazy(
            "Verplicht bij gewichtige omstandigheden, bijvoorbeeld: huwelijk van een familielid. "
            "Geen medische gegevens."
        ),
        widget=forms.TextInput(attrs=TEXT),
    )
    statement = forms.FileField(
        label=gettext_lazy("Verklaring van de werkgever"),
        required=False,
        help_text=gettext_lazy(
            "Verplicht bij vakantieverlof: een PDF, JPEG of PNG van ten hoogste %(mb)s MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "utrecht-textbox", "accept": ".pdf,.jpg,.jpeg,.png"}
        ),
    )
    #: the honeypot: hidden from people (and from screen readers), filled in by robots
    website = forms.CharField(
        label=gettext_lazy("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mb = f"{settings.INBEELD_LEAVE_STATEMENT_MAX_BYTES / 1024 / 1024:.0f}"
        self.fields["statement"].help_text = self.fields["statement"].help_text % {"mb": mb}

    def visible(self):
        return [field for field in self if field.name != HONEYPOT]


def _date(value: object) -> dt.date | None:
    """A date as the date picker sends it (2026-03-10) or as typed (10-03-2026); else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            return None
    return None


def _submitted(post) -> dict:
    texts = ("child_given_names", "child_family_name", "parent_name", "parent_email", "reason")
    data: dict = {name: post.get(name, "") for name in texts}
    data["kind"] = post.get("kind", "")
    for name in ("child_birth_date", "start_date", "end_date"):
        data[name] = _date(post.get(name, ""))
    return data


def _link(request: HttpRequest, token: str):
    """The working link, else 404 (counted: nobody tries tokens for long)."""
    link = public.link_for_token(token)
    if link is None:
        if public.rate_limited(client_ip(request)):
            raise _TooManyError
        raise Http404
    return link


class _TooManyError(Exception):
    pass


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "leave/public_too_many.html", status=429)


def _form_page(request: HttpRequest, link, form: PublicLeaveForm, status: int = 200):
    return render(
        request,
        "leave/public_form.html",
        {"school": link.school, "form": form, "honeypot": form[HONEYPOT]},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = _link(request, token)
    except _TooManyError:
        return _too_many(request)
    if request.method == "GET":
        return _form_page(request, link, PublicLeaveForm())
    ip = client_ip(request)
    if public.rate_limited(ip):
        return _too_many(request)
    form = PublicLeaveForm(request.POST, request.FILES)
    form.is_valid()
    form._errors = ErrorDict()  # the service says what is wrong, per field
    if request.POST.get(HONEYPOT):
        form.add_error(None, _("Uw aanvraag kon niet worden verwerkt. Probeer het opnieuw."))
        return _form_page(request, link, form, status=400)
    try:
        online = public.online_request_submit(
            link=link, data=_submitted(request.POST), upload=request.FILES.get("statement"), ip=ip
        )
    except ValidationError as error:
        errors_to_form(form, error)
        return _form_page(request, link, form, status=400)
    request.session[RECEIPT] = {
        "reference": online.reference,
        "school": link.school.name,
        "email": online.parent_email,
    }
    return redirect("leave:public_receipt", token=token)


@never_cache
@require_GET
def public_receipt(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = _link(request, token)
    except _TooManyError:
        return _too_many(request)
    receipt = request.session.get(RECEIPT)
    if not receipt:
        return redirect("leave:public_form", token=token)
    return render(request, "leave/public_receipt.html", {"receipt": receipt, "school": link.school})


# -- the school ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def online_link(request: HttpRequest) -> HttpResponse:
    """The school's public link: its address, and the buttons to switch it on, renew it or off."""
    actor = request.actor
    link = public.public_link_of(actor=actor)  # 403 for anyone but a school
    if request.method == "POST":
        action = request.POST.get("action")
        change = {
            "aanzetten": (public.public_link_enable, _("De openbare link staat aan.")),
            "vernieuwen": (
                public.public_link_renew,
                _("De link is vernieuwd: de oude link werkt niet meer."),
            ),
            "uitzetten": (public.public_link_disable, _("De openbare link staat uit.")),
        }.get(action)
        if change is None:
            messages.error(request, _("Kies aanzetten, vernieuwen of uitzetten."))
            return redirect("leave:online_link")
        change[0](actor=actor)
        messages.success(request, change[1])
        return redirect("leave:online_link")
    url = None
    if link is not None and link.enabled:
        url = settings.INBEELD_BASE_URL.rstrip("/") + reverse(
            "leave:public_form", kwargs={"token": link.token}
        )
    return render(request, "leave/online_link.html", {"link": link, "url": url})


@require_GET
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def online_index(request: HttpRequest) -> HttpResponse:
    """What came in online, open ones first; the linked ones name their pupil (recorded)."""
    rows = children_shown(
        actor=request.actor,
        rows=public.online_requests_visible_to(actor=request.actor).order_by(
            "-state", "-submitted_at"
        ),
        student=lambda row: row.leave_request.student_id if row.leave_request else None,
        summary="lijst online verlofaanvragen",
    )
    open_rows = [r for r in rows if r.state == OnlineState.ONGEKOPPELD]
    return render(
        request,
        "leave/online_index.html",
        {"open_rows": open_rows, "done_rows": [r for r in rows if r not in open_rows]},
    )


def _online(request: HttpRequest, pk: int):
    online = public.online_request_for(actor=request.actor, pk=pk)
    if online is None:
        raise Http404
    return online


def _online_detail(request: HttpRequest, online, *, status: int = 200, errors=None):
    actor = request.actor
    candidates = (
        public.candidates_for(actor=actor, online=online)
        if online.state == OnlineState.ONGEKOPPELD
        else []
    )
    linked = online.leave_request.student if online.leave_request else None
    # the page names the linked pupil, or the pupils who may be the child: each one recorded
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary=f"online verlofaanvraag {online.reference} bekeken",
        obj=online,
        student=linked,
    )
    audit_record_views(
        actor=actor,
        students=[c.pk for c in candidates],
        summary=f"online verlofaanvraag {online.reference}: mogelijke leerlingen",
        object_type="leave.OnlineLeaveRequest",
    )
    return render(
        request,
        "leave/online_detail.html",
        {
            "online": online,
            "candidates": candidates,
            "linked": linked,
            "leave": online.leave_request,
            "errors": errors or [],
            "may_send": online.leave_request is not None
            and not online.leave_request.is_open
            and actor.can(Permission.DECIDE_LEAVE)
            and actor.can(Permission.WORK_ON_CASES),
        },
        status=status,
    )


@require_GET
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def online_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _online_detail(request, _online(request, pk))


@require_POST
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def online_link_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    """Link to the pupil chosen among the candidates, or given by leerlingnummer."""
    actor = request.actor
    online = _online(request, pk)
    student = None
    chosen = request.POST.get("student", "")
    if chosen.isdigit():
        student = next(
            (c for c in public.candidates_for(actor=actor, online=online) if c.pk == int(chosen)),
            None,
        )
    elif request.POST.get("number"):
        student = public.pupil_by_number(actor=actor, number=request.POST["number"])
    if student is None:
        return _online_detail(
            request,
            online,
            status=400,
            errors=[_("Kies een leerling van uw school, of vul een bestaand leerlingnummer in.")],
        )
    try:
        leave = public.online_request_link(actor=actor, online=online, student=student)
    except ValidationError as error:
        return _online_detail(request, online, status=400, errors=error.messages)
    # niet-ontvankelijk is no success: a warning, the reasons are on the request's page
    (messages.warning if leave.is_niet_ontvankelijk else messages.success)(
        request,
        _("De aanvraag is vastgelegd als verlofaanvraag: %(state)s.")
        % {"state": leave.get_state_display()},
    )
    return redirect("leave:detail", pk=leave.pk)


@require_POST
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def online_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    online = _online(request, pk)
    try:
        public.online_request_refuse(
            actor=request.actor, online=online, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        return _online_detail(request, online, status=400, errors=error.messages)
    messages.success(request, _("De ouder krijgt per e-mail bericht waarom."))
    return redirect("leave:online_detail", pk=online.pk)


@require_GET
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def online_statement(request: HttpRequest, pk: int) -> HttpResponse:
    found = public.statement_download(actor=request.actor, pk=pk)
    if found is None:
        raise Http404
    online, content = found
    extension = online.statement.name.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=online.statement_content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="werkgeversverklaring-{online.reference}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
