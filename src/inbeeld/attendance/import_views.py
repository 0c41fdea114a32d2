"""The import page (issue 3 §3, §5): upload the exchange files, queue the import (issue 14: the
worker runs it; the job's page shows its progress), read the report."""

from __future__ import annotations

import shutil
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.imports import save_uploaded_files
from inbeeld.attendance.jobs import IMPORT, upload_folder
from inbeeld.attendance.selectors import import_batch_for, import_batches_of
from inbeeld.operations.services import start_job

#: Largest upload the page accepts, all files together (override INBEELD_IMPORT_MAX_UPLOAD_BYTES).
MAX_UPLOAD_BYTES_DEFAULT = 200 * 1024 * 1024
#: Earlier imports listed on the page.
EARLIER_IMPORTS_SHOWN = 50


def max_upload_bytes() -> int:
    return int(getattr(settings, "INBEELD_IMPORT_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES_DEFAULT))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Bestanden"),
        help_text=gettext_lazy(
            "Eén .zip met de bestanden van het uitwisselformaat, of meerdere .csv-bestanden "
            "tegelijk (schools.csv, students.csv, enrolments.csv, absences.csv, exemptions.csv)."
        ),
        widget=MultipleFileInput(attrs={"accept": ".zip,.csv,.parquet"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        total = sum(f.size for f in files)
        if total > max_upload_bytes():
            raise forms.ValidationError(
                _(
                    "De bestanden zijn samen %(size)s; het maximum is %(max)s. Lees grote "
                    "bestanden in met het commando inbeeld import."
                )
                % {"size": filesizeformat(total), "max": filesizeformat(max_upload_bytes())}
            )
        zips = [f for f in files if f.name.lower().endswith(".zip")]
        if zips and len(files) > 1:
            raise forms.ValidationError(
                _("Kies één .zip-bestand, of alleen .csv-bestanden, niet allebei.")
            )
        for upload in files:
            if not upload.name.lower().endswith((".zip", ".csv", ".parquet")):
                raise forms.ValidationError(
                    _("%(name)s is geen .zip-, .csv- of .parquet-bestand.") % {"name": upload.name}
                )
        return files


def _base_name(name: str) -> str:
    return PurePosixPath((name or "").replace("\\", "/")).name


def _guard(request: HttpRequest) -> HttpResponse | None:
    if request.actor is None:
        return redirect("accounts:choose_organisation")
    if not request.actor.can(Permission.IMPORT_DATA):
        raise PermissionDenied
    return None


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload and import; the list of the organisation's earlier imports."""
    if (response := _guard(request)) is not None:
        return response
    form = ImportUploadForm()
    status = 200
    if request.method == "POST":
        try:
            form = ImportUploadForm(request.POST, request.FILES)
            valid = form.is_valid()
        except (RequestDataTooBig, TooManyFilesSent):
            form = ImportUploadForm()
            form.add_error(
                "files",
                _("Het verzoek is te groot of bevat te veel bestanden (maximaal zes)."),
            )
            valid = False
        if valid:
            job = _start_import(request, form)
            if job is not None:
                return redirect("operations:job", pk=job.pk)
        status = 400
    batches = import_batches_of(actor=request.actor)[:EARLIER_IMPORTS_SHOWN]
    return render(
        request,
        "attendance/import.html",
        {"form": form, "batches": batches, "max_upload": max_upload_bytes()},
        status=status,
    )


def _start_import(request: HttpRequest, form: ImportUploadForm):
    """Keep the upload where the worker reads it and queue the import (issue 14: no import runs
    inside the request); None when the files were refused at once."""
    files = form.cleaned_data["files"]
    folder, path = upload_folder()
    if len(files) == 1 and files[0].name.lower().endswith(".zip"):
        upload = files[0]
        source = "upload.zip"
        with (path / source).open("wb") as sink:
            for block in upload.chunks():
                sink.write(block)
        name = _base_name(upload.name)
    else:
        source = "exchange"
        (path / source).mkdir()
        problems = save_uploaded_files(files=files, directory=path / source)
        if problems:
            shutil.rmtree(path, ignore_errors=True)
            for problem in problems:
                form.add_error("files", f"{problem.file}: {problem.message}")
            return None
        name = ", ".join(sorted(_base_name(f.name) for f in files))
    return start_job(
        actor=request.actor,
        kind=IMPORT,
        params={"folder": folder, "source": source, "source_name": name[:255]},
    )


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of one import: rows per file, or the problems that refused it."""
    if (response := _guard(request)) is not None:
        return response
    batch = import_batch_for(actor=request.actor, pk=pk)
    if batch is None:
        raise Http404
    files = [
        {"file": file, **figures}
        for file, figures in batch.counts.items()
        if isinstance(figures, dict)
    ]
    total_problems = batch.counts.get("problems", len(batch.problems))
    return render(
        request,
        "attendance/import_report.html",
        {
            "batch": batch,
            "files": files,
            "problems": batch.problems,
            "total_problems": total_problems,
            "problems_cut": total_problems > len(batch.problems),
        },
    )
