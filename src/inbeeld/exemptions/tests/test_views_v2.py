"""RULES.md §7 in the exemption screens: 5a_trekkend offered, 3a/3b labelled as vervangende
leerplicht, the permanent choice (5 onder a only, refused at the field otherwise), art. 15 refused
for a child not kwalificatieplichtig, and the lapse on 31 July said in the form and on the page."""

from __future__ import annotations

from django.urls import reverse

from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.exemptions.tests.test_views import form_data
from inbeeld.people.tests.factories import login


def test_the_form_offers_the_articles_in_dutch(client, world):
    login(client, world.leerplicht_a)
    page = client.get(reverse("exemptions:new")).content.decode()
    assert 'value="5a_trekkend"' in page
    assert "artikel 5a – trekkend bestaan" in page
    assert "artikel 3a – vervangende leerplicht" in page
    assert "artikel 3b – vervangende leerplicht" in page
    assert "artikel 5, onder a – lichamelijk of psychisch" in page
    assert 'name="permanent"' in page
    assert "vervalt op 31 juli van het schooljaar" in page  # the help text of the end date


def test_the_check_says_when_a_5a_lapses_and_what_3a_is(client, world):
    login(client, world.leerplicht_a)
    url = reverse("exemptions:check")
    text = client.get(url, form_data(world, end_date=None)).content.decode()
    assert 'data-testid="exemption-lapse"' in text
    assert "vervalt deze vrijstelling op 31 juli 2026" in text
    text = client.get(url, form_data(world, end_date=None, permanent="on")).content.decode()
    assert "exemption-lapse" not in text
    text = client.get(url, form_data(world)).content.decode()  # with an end date
    assert "exemption-lapse" not in text
    text = client.get(
        url, form_data(world, article="3a", start_date="2025-03-02", end_date=None)
    ).content.decode()
    assert "Dit is vervangende leerplicht, geen vrijstelling" in text
    # refusals of the service show in the check too
    text = client.get(url, form_data(world, article="15")).content.decode()
    assert "alleen voor een kwalificatieplichtige leerling" in text


def test_refusals_land_at_their_field(client, world):
    login(client, world.leerplicht_a)
    response = client.post(
        reverse("exemptions:new"), form_data(world, article="5b", permanent="on")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alleen een vrijstelling op grond van artikel 5, onder a kan blijvend zijn" in page
    # named in the error summary, linked to the checkbox, which is marked invalid
    assert 'href="#id_permanent"' in page
    assert "utrecht-form-field--checkbox utrecht-form-field--invalid" in page
    response = client.post(reverse("exemptions:new"), form_data(world, article="15"))
    assert "alleen voor een kwalificatieplichtige leerling" in response.content.decode()
    assert not ExemptionRequest.objects.exists()


def test_a_permanent_request_and_a_lapsing_one_on_their_page(client, world):
    login(client, world.leerplicht_a)
    made = client.post(reverse("exemptions:new"), form_data(world, end_date=None, permanent="on"))
    assert made.status_code == 302
    request = ExemptionRequest.objects.get()
    assert request.permanent
    page = client.get(reverse("exemptions:detail", args=[request.pk])).content.decode()
    assert "nooit geschikt om naar school te gaan" in page
    assert "<dd>artikel 5, onder a</dd>" in page
    request.delete()
    client.post(reverse("exemptions:new"), form_data(world, end_date=None))
    request = ExemptionRequest.objects.get()
    assert not request.permanent
    page = client.get(reverse("exemptions:detail", args=[request.pk])).content.decode()
    assert "geen einddatum: vervalt op 31 juli 2026" in page
