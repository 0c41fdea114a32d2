"""A vrijstelling granted against the samenwerkingsverband's advice needs a justification (issue 11
§4): the service's rule, kept in the decision and in its row of the history (appended), shown on the
page, in the API (``POST …/decision``: the body's ``justification``, the answer's
``decision_justification`` and the history's ``justification``); the screen and the API show the
service's refusal at the field. Fuzzed: any body gives 200 or a 400 naming exactly the bad fields,
never a server error, and nothing half-written."""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
import schemathesis
from django.core.exceptions import ValidationError
from hypothesis import strategies as st

from inbeeld.accounts.models import PersonalToken
from inbeeld.api.tests.fuzzing import FUZZ, fuzz, wsgi_application
from inbeeld.audit.models import AuditEvent
from inbeeld.exemptions import services
from inbeeld.exemptions.models import (
    ADVICE_AGAINST_EXEMPTION,
    AdviceKind,
    ExemptionRequest,
    ExemptionRequestStateChange,
    RequestState,
)
from inbeeld.exemptions.services import JUSTIFICATION_MAX_LENGTH
from inbeeld.people.models import Exemption
from inbeeld.people.tests.factories import login

D = dt.date
WHY = "De begeleiding die het samenwerkingsverband noemt, is er pas na de zomer."


def advised(w, advice: str) -> ExemptionRequest:
    """A request for vrijstelling 5a that meets the law, advised on with ``advice``."""
    request = services.exemption_request_register(
        actor=w.leerplicht,
        student=w.child_a,
        article="5a",
        requested_on=D(2025, 5, 1),
        start_date=D(2025, 8, 1),
        end_date=D(2026, 7, 31),
        statement_date=D(2025, 4, 1),
    )
    request = services.exemption_request_ask_advice(actor=w.leerplicht, request=request)
    services.exemption_request_advise(
        actor=w.swv, request=request, advice=advice, education_still_possible="Twee ochtenden."
    )
    request.refresh_from_db()
    assert request.state == RequestState.ADVIES_GEGEVEN
    return request


def decide(w, request, **kw):
    return services.exemption_request_decide(actor=w.leerplicht, request=request, **kw)


def unchanged(request) -> None:
    """Nothing of a refused decision is written."""
    request.refresh_from_db()
    assert request.state == RequestState.ADVIES_GEGEVEN
    assert (request.decision_justification, request.decided_on, request.exemption) == (
        "",
        None,
        None,
    )
    assert not Exemption.objects.filter(student=request.student).exists()
    assert not ExemptionRequestStateChange.objects.filter(
        request=request, to_state__in=(RequestState.TOEGEKEND, RequestState.AFGEWEZEN)
    ).exists()


def test_which_advice_a_grant_goes_against():
    assert set(ADVICE_AGAINST_EXEMPTION) == set(AdviceKind.values) - {AdviceKind.GEEN_ONDERWIJS}


@pytest.mark.parametrize("advice", ADVICE_AGAINST_EXEMPTION)
@pytest.mark.parametrize("empty", ["", "   \n "])
def test_a_grant_against_the_advice_without_justification_is_refused(world, advice, empty):
    request = advised(world, advice)
    assert request.grant_goes_against_advice
    with pytest.raises(ValidationError) as refused:
        decide(world, request, grant=True, note="toch", justification=empty)
    (message,) = refused.value.message_dict["justification"]
    assert message.startswith(f"Het samenwerkingsverband adviseerde: {AdviceKind(advice).label}.")
    assert "vul de motivering in" in message
    unchanged(request)


def test_a_grant_against_the_advice_keeps_the_justification(world):
    request = advised(world, AdviceKind.MET_AANPASSINGEN)
    request = decide(world, request, grant=True, justification=f"  {WHY}  ")
    assert request.state == RequestState.TOEGEKEND
    assert request.decision_justification == WHY
    assert Exemption.objects.filter(student=world.child_a, article="5a").exists()
    change = ExemptionRequestStateChange.objects.filter(request=request).last()
    assert (change.to_state, change.justification) == (RequestState.TOEGEKEND, WHY)
    event = AuditEvent.objects.get(
        object_id=str(request.pk), action="update", summary__endswith=" toegekend"
    )
    assert event.detail == {"state": RequestState.TOEGEKEND, "justified": True}


def test_a_grant_that_follows_the_advice_needs_none_and_takes_none(world):
    request = advised(world, AdviceKind.GEEN_ONDERWIJS)
    assert not request.grant_goes_against_advice
    with pytest.raises(ValidationError) as refused:
        decide(world, request, grant=True, justification=WHY)
    assert "volgt het advies" in refused.value.message_dict["justification"][0]
    unchanged(request)
    request = decide(world, request, grant=True)
    assert (request.state, request.decision_justification) == (RequestState.TOEGEKEND, "")
    assert ExemptionRequestStateChange.objects.filter(request=request).last().justification == ""


def test_a_refusal_takes_no_justification_and_still_needs_its_reason(world):
    request = advised(world, AdviceKind.ONDERWIJS_MOGELIJK)
    with pytest.raises(ValidationError) as refused:
        decide(world, request, grant=False, note="geen grond", justification=WHY)
    assert "hoort bij toekennen" in refused.value.message_dict["justification"][0]
    unchanged(request)
    with pytest.raises(ValidationError, match="reden van de afwijzing"):
        decide(world, request, grant=False)
    request = decide(world, request, grant=False, note="Onderwijs is mogelijk.")
    assert (request.state, request.decision_justification) == (RequestState.AFGEWEZEN, "")


def test_a_justification_too_long_is_refused(world):
    request = advised(world, AdviceKind.DEELS)
    with pytest.raises(ValidationError) as refused:
        decide(world, request, grant=True, justification="x" * (JUSTIFICATION_MAX_LENGTH + 1))
    assert "te lang" in refused.value.message_dict["justification"][0]
    unchanged(request)


# -- the API ------------------------------------------------------------------------------------


def url(request) -> str:
    return f"/api/v1/exemption-requests/{request.pk}/decision"


def post(client, request, data):
    return client.post(url(request), data, content_type="application/json")


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


def test_the_api_asks_the_justification_and_answers_with_it(client, world):
    request = advised(world, AdviceKind.DEELS)
    login(client, world.leerplicht_a)
    refused = post(client, request, {"decision": "toekennen"})
    assert refused.status_code == 400, refused.content
    assert refused["Content-Type"] == "application/problem+json"
    assert names(refused) == {"justification"}
    assert "vul de motivering in" in refused.json()["invalidParams"][0]["reason"]
    unchanged(request)
    done = post(client, request, {"decision": "toekennen", "justification": WHY})
    assert done.status_code == 200, done.content
    data = done.json()
    assert (data["state"], data["decision_justification"]) == ("toegekend", WHY)
    assert data["history"][-1]["justification"] == WHY
    assert data["history"][-1]["to_state"] == "toegekend"
    again = client.get(f"/api/v1/exemption-requests/{request.pk}").json()
    assert again["decision_justification"] == WHY
    assert post(client, request, {"decision": "afwijzen", "note": "x"}).status_code == 400


def test_the_api_decision_is_leerplichts_within_its_scope(client, world):
    request = advised(world, AdviceKind.DEELS)
    login(client, world.consultant_a)
    assert post(client, request, {"decision": "toekennen", "justification": WHY}).status_code == 403
    client.logout()
    login(client, world.leerplicht_b)
    assert post(client, request, {"decision": "toekennen", "justification": WHY}).status_code == 404
    unchanged(request)


_junk = st.one_of(
    st.none(), st.integers(), st.booleans(), st.lists(st.none(), max_size=2), st.text(max_size=8)
)
_text = st.one_of(st.just(""), st.just("   "), st.text(min_size=1, max_size=40), _junk)


def _is_text(value, max_length) -> bool:
    """What DRF's CharField takes: a string (or a number, as its text) without NUL."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    return "\x00" not in str(value) and len(str(value)) <= max_length


def _text_of(data, name) -> str:
    return str(data.get(name) or "").strip() if data.get(name) != 0 else "0"


def test_fuzz_the_decision_body(client, world):
    """Any decision, note and justification: 200 with what was sent, or 400 naming exactly the
    fields that are wrong (the body's, then the service's rule), and nothing written."""
    login(client, world.leerplicht_a)

    @FUZZ
    @hypothesis.given(
        advice=st.sampled_from(AdviceKind.values),
        decision=st.one_of(st.sampled_from(["toekennen", "afwijzen", "TOEKENNEN", ""]), _junk),
        note=st.one_of(_text, st.just("y" * 2001)),
        justification=st.one_of(_text, st.just("z" * (JUSTIFICATION_MAX_LENGTH + 1))),
        omit=st.sets(st.sampled_from(["note", "justification"])),
    )
    def run(advice, decision, note, justification, omit):
        ExemptionRequest.objects.all().delete()
        Exemption.objects.all().delete()
        request = advised(world, advice)
        data = {"decision": decision, "note": note, "justification": justification}
        for name in omit:
            del data[name]
        bad = {
            name
            for name, ok in (
                ("decision", decision in ("toekennen", "afwijzen")),
                ("note", "note" in omit or _is_text(note, 2000)),
                (
                    "justification",
                    "justification" in omit or _is_text(justification, JUSTIFICATION_MAX_LENGTH),
                ),
            )
            if not ok
        }
        if not bad:  # the body is well-formed: the service's rules
            given_note = _text_of(data, "note")
            given_why = _text_of(data, "justification")
            grant = decision == "toekennen"
            against = advice in ADVICE_AGAINST_EXEMPTION
            # a justification exactly when granting against the advice
            if bool(given_why) != (grant and against):
                bad = {"justification"}
            elif not grant and not given_note:
                bad = {"note"}
        response = post(client, request, data)
        assert response.status_code < 500, response.content
        if bad:
            assert response.status_code == 400, (data, response.content)
            assert names(response) == bad, (data, response.json())
            unchanged(request)
        else:
            assert response.status_code == 200, (data, response.content)
            request.refresh_from_db()
            expected = RequestState.TOEGEKEND if decision == "toekennen" else RequestState.AFGEWEZEN
            assert request.state == expected
            assert request.decision_justification == _text_of(data, "justification")

    run()


@pytest.fixture
def wsgi_app():
    with wsgi_application() as app:
        yield app


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzz_from_the_spec_at_an_advised_request_finds_no_server_error(world, mode, wsgi_app):
    """Generated bodies from the spec, aimed at a request that waits for the decision (the general
    fuzz run of api/tests has none to aim at)."""
    request = advised(world, AdviceKind.MET_AANPASSINGEN)
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=world.leerplicht_a, name="f", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = schema["/api/v1/exemption-requests/{id}/decision"]["POST"]

    def aim(case):
        case.path_parameters = {**(case.path_parameters or {}), "id": request.pk}
        return case

    strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)).map(aim)
    failures: list[str] = []
    assert fuzz(strategy, {"Authorization": f"Bearer {key}"}, failures) >= 1
    assert not failures, "\n".join(failures[:10])
