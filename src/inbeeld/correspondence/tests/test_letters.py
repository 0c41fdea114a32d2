"""The letters: each letter's required facts and refusals, the PDF (opens, names the child, holds
the bezwaar clause), storage with the child (immutable), the log entry and the audit rows."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.accounts.tests.factories import actor_for
from inbeeld.audit.models import AppendOnlyError, AuditEvent
from inbeeld.correspondence.letters import SPECS
from inbeeld.correspondence.models import ContactEntry, Letter
from inbeeld.correspondence.services import contact_entry_add, letter_download, letter_generate
from inbeeld.correspondence.tests.conftest import TODAY
from inbeeld.exemptions.models import ExemptionRequest, SwvAdvice
from inbeeld.leave.models import LeaveRequest
from inbeeld.people.selectors import NotInScopeError

ADDRESS = "Fam. de Vries\nDorpsstraat 1\n9999 AA Ergens"
NEXT_WEEK = (TODAY + dt.timedelta(days=7)).isoformat()


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return " ".join(text.split())


def make(actor, student, kind, **fields):
    return letter_generate(
        actor=actor, student=student, kind=kind, fields={"recipient": ADDRESS, **fields}
    )


def refusal(actor, student, kind, **fields) -> dict[str, list[str]]:
    """The problems of a refused letter (nothing written)."""
    before = Letter.objects.count(), ContactEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        make(actor, student, kind, **fields)
    assert (Letter.objects.count(), ContactEntry.objects.count()) == before
    return error.value.message_dict


def step(world, actor=None):
    contact_entry_add(
        actor=actor or world.leerplicht,
        student=world.child if actor is None else world.young,
        kind="gesprek",
        contact_with="ouder_verzorger",
        summary="Eerste gesprek.",
        on=TODAY - dt.timedelta(days=3),
    )


# -- uitnodiging -----------------------------------------------------------------------------------


def test_an_invitation_is_a_pdf_kept_with_the_child_logged_and_audited(world):
    letter = make(
        world.leerplicht,
        world.child,
        "uitnodiging",
        meeting_date=NEXT_WEEK,
        meeting_time="9.30",
        meeting_place="Stadhuis, kamer 2",
    )
    text = pdf_text(bytes(letter.pdf))
    assert "Sanne de Vries" in text
    assert "09:30" in text
    assert "Stadhuis, kamer 2" in text
    assert letter.data["fields"]["meeting_time"] == "09:30"
    assert letter.data["child"]["name"] == "Sanne de Vries"
    entry = ContactEntry.objects.get(letter=letter)
    assert entry.kind == "brief"
    assert entry.summary == letter.subject
    assert entry.contact_name == "Fam. de Vries"
    event = AuditEvent.objects.get(object_type="correspondence.Letter", object_id=letter.pk)
    assert event.student_id == world.child.pk
    assert event.action == "create"


def test_an_invitation_needs_date_time_and_place_and_a_date_to_come(world):
    problems = refusal(world.leerplicht, world.child, "uitnodiging", recipient="")
    assert set(problems) == {"recipient", "meeting_date", "meeting_time", "meeting_place"}
    problems = refusal(
        world.leerplicht,
        world.child,
        "uitnodiging",
        meeting_date=(TODAY - dt.timedelta(days=1)).isoformat(),
        meeting_time="25:00",
        meeting_place="Stadhuis",
    )
    assert set(problems) == {"meeting_time"}
    problems = refusal(
        world.leerplicht,
        world.child,
        "uitnodiging",
        meeting_date=(TODAY - dt.timedelta(days=1)).isoformat(),
        meeting_time="10:00",
        meeting_place="Stadhuis",
    )
    assert problems == {"meeting_date": ["De datum van het gesprek is al voorbij."]}


def test_unknown_fields_are_named(world):
    problems = refusal(
        world.leerplicht,
        world.child,
        "uitnodiging",
        meeting_date=NEXT_WEEK,
        meeting_time="10:00",
        meeting_place="Stadhuis",
        colour="blauw",
    )
    assert set(problems) == {"colour"}


# -- waarschuwing ----------------------------------------------------------------------------------


def test_a_warning_holds_the_facts_of_the_melding(world):
    letter = make(world.school, world.child, "waarschuwing", melding=world.melding_16.pk)
    text = pdf_text(bytes(letter.pdf))
    assert "17,5" in text
    assert "16 uur ongeoorloofd verzuim in 4 lesweken" in text
    assert letter.data["facts"]["melding"]["hours"] == "17.50"


def test_a_warning_without_hours_asks_for_them(world):
    problems = refusal(world.leerplicht, world.child, "waarschuwing", melding=world.melding_lrv.pk)
    assert set(problems) == {"hours"}
    letter = make(
        world.leerplicht, world.child, "waarschuwing", melding=world.melding_lrv.pk, hours="120"
    )
    assert letter.data["facts"]["melding"]["hours"] == "120.00"


def test_a_warning_is_refused_for_sickness_and_for_another_childs_melding(world):
    problems = refusal(world.leerplicht, world.child, "waarschuwing", melding=world.melding_mazl.pk)
    assert "ziekte" in problems["melding"][0]
    problems = refusal(
        world.leerplicht, world.child, "waarschuwing", melding=world.melding_young.pk
    )
    assert set(problems) == {"melding"}


# -- proces-verbaal --------------------------------------------------------------------------------


def pv(world, **fields):
    values = {
        "melding": world.melding_16.pk,
        "against": "ouders",
        "parents": "J. de Vries en M. de Vries, Dorpsstraat 1",
    }
    values.update(fields)
    return values


def test_a_proces_verbaal_needs_an_earlier_step(world):
    problems = refusal(world.leerplicht, world.child, "proces_verbaal", **pv(world))
    assert set(problems) == {"earlier_steps_note"}
    letter = make(
        world.leerplicht,
        world.child,
        "proces_verbaal",
        **pv(world, earlier_steps_note="Gesprek op school in september."),
    )
    assert "Gesprek op school in september." in pdf_text(bytes(letter.pdf))


def test_a_proces_verbaal_hands_over_the_facts_and_the_earlier_steps(world):
    step(world)
    make(
        world.leerplicht,
        world.child,
        "waarschuwing",
        melding=world.melding_16.pk,
    )
    letter = make(world.leerplicht, world.child, "proces_verbaal", **pv(world, against="beide"))
    text = pdf_text(bytes(letter.pdf))
    for fact in (
        "Sanne de Vries",
        world.child.bsn,
        "J. de Vries en M. de Vries",
        "De Linde",
        "17,5",
        "artikel 2, eerste lid",
        "artikel 2, derde lid",
        "artikel 22",
        "Waarschuwing wegens ongeoorloofd verzuim",
    ):
        assert fact in text, fact
    assert [s["kind"] for s in letter.data["facts"]["steps"]] == ["gesprek", "brief"]
    assert "Eerste gesprek" not in text  # the steps, never what was said


def test_a_proces_verbaal_against_a_pupil_under_12_is_refused(world):
    step(world, world.leerplicht)
    problems = refusal(
        world.leerplicht,
        world.young,
        "proces_verbaal",
        **pv(world, melding=world.melding_young.pk, against="leerling"),
    )
    assert set(problems) == {"against"}
    assert "12 jaar" in problems["against"][0]
    make(
        world.leerplicht,
        world.young,
        "proces_verbaal",
        **pv(world, melding=world.melding_young.pk, against="ouders"),
    )


def test_a_proces_verbaal_needs_the_parents_and_the_permission_to_enforce(world):
    problems = refusal(world.leerplicht, world.child, "proces_verbaal", **pv(world, parents=""))
    assert "parents" in problems
    with pytest.raises(PermissionDenied):
        make(world.school, world.child, "proces_verbaal", **pv(world))


# -- Halt ------------------------------------------------------------------------------------------


def test_halt_for_a_child_under_12_is_refused(world):
    step(world, world.leerplicht)
    problems = refusal(
        world.leerplicht,
        world.young,
        "halt",
        melding=world.melding_young.pk,
        parents="Fam. Bakker",
    )
    assert "12 jaar" in problems["melding"][0]


def test_halt_only_for_the_16_uur_melding_and_after_an_earlier_step(world):
    problems = refusal(
        world.leerplicht, world.child, "halt", melding=world.melding_lrv.pk, parents="Fam."
    )
    assert set(problems) == {"melding", "earlier_steps_note"}
    step(world)
    letter = make(
        world.leerplicht, world.child, "halt", melding=world.melding_16.pk, parents="Fam."
    )
    assert letter.data["facts"]["age_at_start"] >= 12
    assert "Halt" in pdf_text(bytes(letter.pdf))


# -- beschikkingen ---------------------------------------------------------------------------------


def leave(world, state="afgewezen", organisation=None, note="", refusals=()):
    return LeaveRequest.objects.create(
        student=world.child,
        school=world.w.school_a,
        kind="vakantieverlof",
        start_date=TODAY + dt.timedelta(days=30),
        end_date=TODAY + dt.timedelta(days=34),
        requested_on=TODAY - dt.timedelta(days=5),
        requested_by_organisation=world.w.school_a.organisation,
        school_days=5,
        decider="school",
        refusals=list(refusals),
        state=state,
        decision_note=note,
        decided_by_organisation=organisation or world.w.school_a.organisation,
        decided_on=TODAY - dt.timedelta(days=1) if state != "ingediend" else None,
    )


def test_a_leave_beschikking_holds_decision_article_and_bezwaar_clause(world):
    request = leave(world, note="Geen werkgeversverklaring.")
    letter = make(world.school, world.child, "beschikking_verlof", leave_request=request.pk)
    text = pdf_text(bytes(letter.pdf))
    for fact in (
        "Sanne de Vries",
        "wordt afgewezen",
        "artikel 13a",
        "Geen werkgeversverklaring.",
        "binnen zes weken",
        "artikel 6:7",
        "de directeur van De Linde",
    ):
        assert fact in text, fact


def test_a_leave_beschikking_waits_for_the_decision_by_the_deciding_organisation(world):
    problems = refusal(
        world.school, world.child, "beschikking_verlof", leave_request=leave(world, "ingediend").pk
    )
    assert "nog niet beslist" in problems["leave_request"][0]
    by_leerplicht = leave(world, "toegekend", organisation=world.w.gemeente_a)
    problems = refusal(
        world.school, world.child, "beschikking_verlof", leave_request=by_leerplicht.pk
    )
    assert "Alleen de organisatie" in problems["leave_request"][0]
    letter = make(
        world.leerplicht, world.child, "beschikking_verlof", leave_request=by_leerplicht.pk
    )
    assert "burgemeester en wethouders van Gemeente A" in pdf_text(bytes(letter.pdf))


def test_a_refusal_needs_its_grounds(world):
    request = leave(world)
    problems = refusal(world.school, world.child, "beschikking_verlof", leave_request=request.pk)
    assert set(problems) == {"grounds"}
    make(
        world.school,
        world.child,
        "beschikking_verlof",
        leave_request=request.pk,
        grounds="Buiten de schoolvakanties zonder verklaring.",
        objection_to="het bestuur van De Linde",
    )


def test_a_leave_beschikking_for_another_child_is_refused(world):
    request = leave(world, note="x")
    problems = refusal(world.school, world.young, "beschikking_verlof", leave_request=request.pk)
    assert set(problems) == {"leave_request"}


def exemption(world, state="toegekend", note=""):
    return ExemptionRequest.objects.create(
        student=world.child,
        article="5a",
        requested_on=TODAY - dt.timedelta(days=20),
        start_date=TODAY + dt.timedelta(days=10),
        state=state,
        municipality=world.w.gemeente_a,
        decision_note=note,
        decided_on=TODAY - dt.timedelta(days=1),
    )


def test_an_exemption_beschikking_cites_the_article_and_the_bezwaar_clause(world):
    request = exemption(world)
    letter = make(
        world.leerplicht, world.child, "beschikking_vrijstelling", exemption_request=request.pk
    )
    text = pdf_text(bytes(letter.pdf))
    for fact in ("krijgt vrijstelling", "artikel 5, onder a", "binnen zes weken", "Gemeente A"):
        assert fact in text, fact
    problems = refusal(
        world.leerplicht,
        world.child,
        "beschikking_vrijstelling",
        exemption_request=exemption(world, "advies_gevraagd").pk,
    )
    assert "nog niet beslist" in problems["exemption_request"][0]
    with pytest.raises(PermissionDenied):
        make(world.school, world.child, "beschikking_vrijstelling", exemption_request=request.pk)


def test_an_exemption_beschikking_against_the_advice_gives_the_justification(world):
    """Issue 11 §4: a grant against the samenwerkingsverband's advice says so, with why."""
    request = exemption(world)
    request.decision_justification = "De behandeling gaat voor; het onderwijs volgt daarna."
    request.save()
    SwvAdvice.objects.create(
        request=request,
        organisation=world.w.gemeente_a,
        advice="met_aanpassingen",
        education_still_possible="Twee ochtenden.",
        given_on=TODAY - dt.timedelta(days=5),
    )
    letter = make(
        world.leerplicht, world.child, "beschikking_vrijstelling", exemption_request=request.pk
    )
    text = pdf_text(bytes(letter.pdf))
    assert "adviseerde: onderwijs mogelijk met aanpassingen" in text
    assert "tegen dit advies in" in text
    assert "De behandeling gaat voor; het onderwijs volgt daarna." in text
    assert letter.data["facts"]["request"]["justification"] == request.decision_justification
    # a grant that follows the advice says nothing of the kind
    plain = make(
        world.leerplicht,
        world.child,
        "beschikking_vrijstelling",
        exemption_request=exemption(world).pk,
    )
    assert "tegen dit advies in" not in pdf_text(bytes(plain.pdf))


# -- storage, sight, download ----------------------------------------------------------------------


def test_a_letter_is_immutable(world):
    letter = make(world.school, world.child, "waarschuwing", melding=world.melding_16.pk)
    letter.subject = "anders"
    with pytest.raises(AppendOnlyError):
        letter.save()
    with pytest.raises(AppendOnlyError):
        Letter.objects.filter(pk=letter.pk).update(subject="anders")


def test_a_download_is_audited_and_only_for_the_writing_organisation(world):
    letter = make(world.school, world.child, "waarschuwing", melding=world.melding_16.pk)
    got = letter_download(actor=world.school, pk=letter.pk)
    assert bytes(got.pdf).startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="export").get()
    assert event.student_id == world.child.pk
    assert event.object_id == str(letter.pk)
    assert letter_download(actor=world.leerplicht, pk=letter.pk) is None
    assert letter_download(actor=actor_for(world.w.beleid_a), pk=letter.pk) is None


def test_a_letter_for_a_child_out_of_sight_or_of_an_unknown_kind_is_refused(world):
    with pytest.raises(NotInScopeError):
        make(world.leerplicht, world.child_b, "waarschuwing", melding=world.melding_16.pk)
    with pytest.raises(ValidationError):
        make(world.leerplicht, world.child, "kerstkaart")


def test_every_letter_kind_has_a_module_and_a_permission(world):
    assert set(SPECS) == {
        "uitnodiging",
        "waarschuwing",
        "proces_verbaal",
        "halt",
        "beschikking_verlof",
        "beschikking_vrijstelling",
    }
