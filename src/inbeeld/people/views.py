"""A school's own free days (issue 3 §2): the list, a form to add some, an import of calendar.csv."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from inbeeld.people.selectors import school_free_period_for, school_free_periods_of, school_of
from inbeeld.people.services import (
    may_manage_free_days,
    school_calendar_import,
    school_free_period_add,
    school_free_period_remove,
)
from inbeeld.rules.exchange import ExchangeError

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
