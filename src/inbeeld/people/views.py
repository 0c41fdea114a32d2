"""A school's own free days (issue 3 §2): the list, a form to add some, an import of calendar.csv;
and a pupil's own timetable on an enrolment (RULES.md §7), kept by the school's zorgcoördinator."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.audit.services import audit_record_views
from inbeeld.people.selectors import (
    editable_enrolment_for,
    may_edit_enrolments,
    school_free_period_for,
    school_free_periods_of,
    school_of,
)
from inbeeld.people.services import (
    may_manage_free_days,
    school_calendar_import,
    school_free_period_add,
    school_free_period_remove,
    student_enrol,
)
from inbeeld.rules.exchange import MAX_HOURS_PER_DAY, ExchangeError
from inbeeld.ui.forms import ServerCheckedForm, errors_to_form

#: Largest calendar.csv accepted (a school's calendar is a few hundred bytes).
MAX_CALENDAR_BYTES = 1024 * 1024


class FreePeriodForm(forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("Eerste vrije dag"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_date = forms.DateField(
        label=gettext_lazy("Laatste vrije dag"),
        help_text=gettext_lazy("Voor één dag: dezelfde datum als de eerste."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Omschrijving"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Bijvoorbeeld: studiedag, Goede Vrijdag."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De laatste vrije dag ligt voor de eerste."))
        return data


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand calendar.csv"),
        help_text=gettext_lazy(
            "Kolommen start_date, end_date en eventueel name (datums als JJJJ-MM-DD); de kolom "
            "region mag ontbreken."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CALENDAR_BYTES:
            raise ValidationError(_("Het bestand is groter dan 1 MB; is dit wel calendar.csv?"))
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Kies een .csv-bestand."))
        return upload


def _school_or_redirect(request: HttpRequest):
    """The acting school, if the actor may keep its free days."""
    if request.actor is None:
        return None, redirect("accounts:choose_organisation")
    school = school_of(actor=request.actor)
    if school is None or not may_manage_free_days(actor=request.actor, school=school):
        raise PermissionDenied
    return school, None


@login_required
@require_http_methods(["GET", "POST"])
def free_days(request: HttpRequest) -> HttpResponse:
    school, response = _school_or_redirect(request)
    if response is not None:
        return response
    form = FreePeriodForm()
    upload_form = CalendarUploadForm()
    status = 200
    if request.method == "POST":
        form = FreePeriodForm(request.POST)
        if form.is_valid():
            try:
                school_free_period_add(
                    actor=request.actor,
                    school=school,
                    start_date=form.cleaned_data["start_date"],
                    end_date=form.cleaned_data["end_date"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("De vrije dagen zijn toegevoegd."))
                return redirect("people:free_days")
        status = 400
    return _render(request, school, form, upload_form, status=status)


def _render(request, school, form, upload_form, *, status=200, problems=None):
    return render(
        request,
        "people/free_days.html",
        {
            "school": school,
            "periods": school_free_periods_of(actor=request.actor),
            "form": form,
            "upload_form": upload_form,
            "problems": problems or [],
        },
        status=status,
    )


@login_required
@require_POST
def free_days_import(request: HttpRequest) -> HttpResponse:
    school, response = _school_or_redirect(request)
    if response is not None:
        return response
    upload_form = CalendarUploadForm(request.POST, request.FILES)
    problems = []
    if upload_form.is_valid():
        with tempfile.TemporaryDirectory(prefix="inbeeld-calendar-") as scratch:
            path = Path(scratch) / "calendar.csv"
            with path.open("wb") as sink:
                for block in upload_form.cleaned_data["file"].chunks():
                    sink.write(block)
            try:
                counts = school_calendar_import(actor=request.actor, school=school, path=path)
            except ExchangeError as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("calendar.csv ingelezen: %(created)s nieuw, %(unchanged)s al bekend.")
                    % counts,
                )
                return redirect("people:free_days")
    return _render(request, school, FreePeriodForm(), upload_form, status=400, problems=problems)


@login_required
@require_POST
def free_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _school, response = _school_or_redirect(request)
    if response is not None:
        return response
    period = school_free_period_for(actor=request.actor, pk=pk)
    if period is None:
        raise Http404
    school_free_period_remove(actor=request.actor, period=period)
    messages.success(request, _("De vrije dagen zijn verwijderd."))
    return redirect("people:free_days")


# -- the child's own timetable on an enrolment (RULES.md §7) -------------------------------------


class EnrolmentHoursForm(ServerCheckedForm):
    """The pupil's own hours per school day; the service checks the number (``check_enrolment_hours``)."""

    hours_per_day = forms.CharField(
        label=gettext_lazy("Uren per schooldag volgens het eigen rooster"),
        required=False,
        max_length=20,
        help_text=format_lazy(
            gettext_lazy(
                "Bijvoorbeeld 2 of 2,5 bij een gedeeltelijke terugkeer naar school (meer dan 0, "
                "ten hoogste {max}). Leeg: het rooster van de school."
            ),
            max=f"{MAX_HOURS_PER_DAY:g}",
        ),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "inputmode": "decimal"}),
    )


@require_http_methods(["GET", "POST"])
@actor_required()
def enrolment_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or clear the pupil's own hours per school day on one enrolment at the actor's school.
    A child out of scope, or an enrolment at another school, is 404; the page is a read of the
    child (audited)."""
    actor = request.actor
    if not may_edit_enrolments(actor):
        raise PermissionDenied
    enrolment = editable_enrolment_for(actor=actor, pk=pk)
    if enrolment is None:
        raise Http404
    student = enrolment.student
    audit_record_views(
        actor=actor,
        students=[student.pk],
        summary=f"rooster van inschrijving {enrolment.pk} bekeken",
        object_type="people.Enrolment",
    )
    status = 200
    if request.method == "POST":
        form = EnrolmentHoursForm(request.POST)
        if form.is_valid():
            try:
                student_enrol(
                    actor=actor,
                    student=student,
                    school=enrolment.school,
                    start_date=enrolment.start_date,
                    end_date=enrolment.end_date,
                    hours_per_day=form.cleaned_data["hours_per_day"].strip() or None,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Het rooster van de inschrijving is opgeslagen."))
                return redirect("attendance:student", pk=student.pk)
        status = 400
    else:
        form = EnrolmentHoursForm(initial={"hours_per_day": enrolment.hours_per_day_text})
    return render(
        request,
        "people/enrolment_hours.html",
        {"form": form, "enrolment": enrolment, "student": student},
        status=status,
    )
