"""Finding 8: the validators accepted ``groningen1``; a first password set by a beheerder was
never changed; there was no password change screen."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.accounts import login_services, services
from inbeeld.accounts.models import Role
from inbeeld.accounts.password_validation import (
    DutchCommonWordValidator,
    common_word_in,
    common_words,
)
from inbeeld.accounts.tests.factories import PASSWORD, MembershipFactory, actor_for
from inbeeld.audit.models import AuditEvent

NEW_PASSWORD = "paars-fietsrek-onder-water"


@pytest.mark.parametrize(
    "password",
    [
        "groningen1",
        "Groningen2024!",
        "!!AJAX!!",
        "welkom123456",
        "wachtwoord12",
        "januari2026!",
        "Den Haag 1234",
        "Feyenoord1908",
        "zaterdag-2026",
        "Lotte1990!!!!",
    ],
)
def test_a_common_dutch_word_with_digits_or_symbols_around_it_is_refused(password):
    with pytest.raises(ValidationError) as excinfo:
        DutchCommonWordValidator().validate(password)
    assert excinfo.value.error_list[0].code == "password_common_dutch_word"


@pytest.mark.parametrize(
    "password",
    ["paars-fietsrek-onder-water", "groningen-is-mooi", "geheim-wachtwoord-42", "xq7!plmz9vrt"],
)
def test_a_password_that_is_more_than_one_word_passes(password):
    DutchCommonWordValidator().validate(password)


@pytest.mark.django_db
def test_groningen1_and_short_passwords_are_refused_in_plain_dutch():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("groningen1")
    messages = services.password_messages(excinfo.value)
    assert "Het wachtwoord is te kort: gebruik minstens 12 tekens." in messages
    assert any("bekend woord (groningen)" in m for m in messages)
    with pytest.raises(ValidationError):
        validate_password("groningen123")  # long enough, still the word with digits
    validate_password(NEW_PASSWORD)


@given(st.text(max_size=40))
def test_the_word_check_never_fails_on_any_text(text):
    word = common_word_in(text)
    assert word is None or word in re.sub(r"[\s.\-']+", "", text).lower()


@given(
    st.sampled_from(sorted(common_words())),
    st.text("0123456789!@#$%&*?. ", max_size=6),
    st.text("0123456789!@#$%&*?. ", max_size=6),
)
def test_every_listed_word_is_refused_with_any_digits_or_symbols_around_it(word, before, after):
    assert common_word_in(before + word.upper() + after) == word


@pytest.mark.django_db
def test_a_person_added_by_a_beheerder_must_change_the_password_before_anything_else(client):
    beheerder = actor_for(MembershipFactory(role=Role.FUNCTIONEEL_BEHEERDER))
    membership = services.person_add(
        actor=beheerder,
        username="nieuw",
        password="eerste-wachtwoord-9",
        role=Role.BELEIDSMEDEWERKER,
    )
    assert membership.user.must_change_password
    response = client.post(
        reverse("accounts:login"), {"username": "nieuw", "password": "eerste-wachtwoord-9"}
    )
    assert response.status_code == 302
    home = client.get(reverse("attendance:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:password_change") + "?next=")
    assert client.get(reverse("monitor:dashboard")).status_code == 302
    page = client.get(home["Location"])
    assert 'data-testid="forced-change"' in page.content.decode()

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "eerste-wachtwoord-9",
            "new_password": NEW_PASSWORD,
            "repeated": NEW_PASSWORD,
            "next": reverse("monitor:dashboard"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("monitor:dashboard")
    membership.user.refresh_from_db()
    assert not membership.user.must_change_password
    assert membership.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("monitor:dashboard")).status_code == 200  # still logged in
    event = AuditEvent.objects.get(action="update", detail__password_changed=True)
    assert event.user == membership.user
    assert event.detail["first_password"] is True


@pytest.mark.django_db
def test_demo_users_and_the_system_do_not_have_to_change_their_password():
    user = services.user_create(actor=None, username="systeem", password="paars-fietsrek-42")
    assert not user.must_change_password


@pytest.mark.django_db
def test_every_logged_in_user_can_change_the_password_with_clear_messages(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "fout", "new_password": "groningen1", "repeated": "groningen2"},
    )
    assert response.status_code == 400
    assert "Uw huidige wachtwoord klopt niet." in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "groningen1", "repeated": "groningen1"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "gebruik minstens 12 tekens" in page
    assert "bekend woord (groningen)" in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "repeated": "iets-anders-dan-dat"},
    )
    assert "De twee nieuwe wachtwoorden zijn niet gelijk." in response.content.decode()
    membership.user.refresh_from_db()
    assert membership.user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(detail__password_changed=True).exists()


def test_password_change_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_service_refuses_the_same_password():
    user = MembershipFactory().user
    with pytest.raises(ValidationError) as excinfo:
        login_services.password_change(
            user=user, old_password=PASSWORD, new_password=PASSWORD, repeated=PASSWORD, ip=None
        )
    assert "new_password" in excinfo.value.message_dict
