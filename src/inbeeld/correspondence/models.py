"""A child's contact log and the letters sent about the child (issue 11 §2).

Both are appended, never edited (``audit.append_only``): a wrong entry is corrected by a new entry
that names it (``corrects``); a letter is kept as it was sent, the PDF's bytes and the facts it was
filled from, and enters the log as an entry of kind "brief".

**Who reads them.** Every entry and every letter is read only by the organisation that wrote it,
as a case note "alleen mijn organisatie" (``cases.Note.Visibility.OWN_ORGANISATION``). A case note
may also be shared with the case's team, but a child's log belongs to no case and so has no team to
share it with; the log holds what was said with parents and child, which other parties only need
when the organisation shares it itself (in a case's team, a note; a letter the parents received).
The child must also be in the organisation's sight (``people.selectors``) at the time it reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.audit.append_only import AppendOnlyModel


class ContactKind(models.TextChoices):
    GESPREK = "gesprek", _("gesprek")
    BRIEF = "brief", _("brief")
    HUISBEZOEK = "huisbezoek", _("huisbezoek")
    TELEFOON = "telefoon", _("telefoon")
    EMAIL = "e-mail", _("e-mail")


class ContactWith(models.TextChoices):
    LEERLING = "leerling", _("leerling")
    OUDER = "ouder_verzorger", _("ouder/verzorger")
    SCHOOL = "school", _("school")
    ANDERS = "anders", _("anders")


class LetterKind(models.TextChoices):
    UITNODIGING = "uitnodiging", _("uitnodiging voor een gesprek")
    WAARSCHUWING = "waarschuwing", _("waarschuwing wegens verzuim")
    PROCES_VERBAAL = "proces_verbaal", _("overdracht proces-verbaal")
    HALT = "halt", _("Halt-verwijzing")
    BESCHIKKING_VERLOF = "beschikking_verlof", _("beschikking op een verlofaanvraag")
    BESCHIKKING_VRIJSTELLING = (
        "beschikking_vrijstelling",
        _("beschikking op een aanvraag om vrijstelling"),
    )


class Letter(AppendOnlyModel):
    """One letter as generated: its PDF and the facts and fields it was filled from."""

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=LetterKind.choices)
    subject = models.CharField(max_length=300)
    #: the facts from Inbeeld and the fields the user filled in, as they went into the letter
    data = models.JSONField(default=dict)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    written_on = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["student", "organisation"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.written_on}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.written_on.isoformat()}-{self.pk}.pdf"


class ContactEntry(AppendOnlyModel):
    """One contact about a child: a conversation, letter, home visit, call or e-mail."""

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    contact_with = models.CharField(max_length=16, choices=ContactWith.choices)
    #: who, when ``contact_with`` is "anders" (e.g. "jeugdarts GGD"); may name the person otherwise
    contact_name = models.CharField(max_length=200, blank=True)
    on = models.DateField()
    summary = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    #: the entry this one corrects (the old one stays, marked as corrected)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="corrections"
    )
    #: the letter this entry records (kind "brief")
    letter = models.OneToOneField(
        Letter, null=True, blank=True, on_delete=models.RESTRICT, related_name="entry"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["student", "organisation", "-on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
