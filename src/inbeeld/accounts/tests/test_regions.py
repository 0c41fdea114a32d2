"""A GGD's region (issue 12 §2, ``accounts.regions``): its own gemeente and the others set with
``services.ggd_region_set``, each code checked; any text is stored checked or refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.accounts.regions import ggd_by_municipality, parse_codes, region_codes
from inbeeld.accounts.services import ggd_region_set
from inbeeld.accounts.tests.factories import MembershipFactory, OrganisationFactory, actor_for
from inbeeld.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ggd():
    return OrganisationFactory(
        type=OrganisationType.GGD, code="GGD-GN", name="GGD Groningen", municipality_code="GM0014"
    )


def test_parse_codes():
    assert parse_codes(" gm0014,GM0017;  gm0014\tGM0037 ") == ["GM0014", "GM0017", "GM0037"]
    assert parse_codes("") == []


def test_the_region_is_set_checked_and_audited(ggd):
    ggd_region_set(actor=None, organisation=ggd, codes="gm0017, GM0014 GM0037")
    ggd.refresh_from_db()
    assert ggd.region_municipality_codes == "GM0017 GM0037"  # its own gemeente is implied
    assert region_codes(ggd) == ["GM0014", "GM0017", "GM0037"]
    assert ggd_by_municipality() == {"GM0014": ggd.pk, "GM0017": ggd.pk, "GM0037": ggd.pk}
    assert AuditEvent.objects.filter(summary__startswith="Regio van GGD Groningen").exists()
    with pytest.raises(ValidationError) as refused:
        ggd_region_set(actor=None, organisation=ggd, codes="GM0017 Groningen")
    assert "GRONINGEN" in str(refused.value)
    gemeente = OrganisationFactory(code="GM0014")
    with pytest.raises(ValidationError):
        ggd_region_set(actor=None, organisation=gemeente, codes="GM0017")


def test_only_the_ggds_own_beheerder_sets_it(ggd):
    own = actor_for(MembershipFactory(organisation=ggd, role=Role.FUNCTIONEEL_BEHEERDER))
    ggd_region_set(actor=own, organisation=ggd, codes="GM0017")
    other = OrganisationFactory(type=OrganisationType.GGD, code="GGD-X", municipality_code="GM0001")
    with pytest.raises(PermissionDenied):
        ggd_region_set(actor=own, organisation=other, codes="GM0017")
    jeugdarts = actor_for(MembershipFactory(organisation=ggd, role=Role.JEUGDARTS))
    with pytest.raises(PermissionDenied):
        ggd_region_set(actor=jeugdarts, organisation=ggd, codes="GM0017")


def test_any_text_is_stored_checked_or_refused(ggd):
    text = st.one_of(
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=200),
        st.lists(st.from_regex(r"GM\d{4}", fullmatch=True), max_size=120).map(" ".join),
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text)
    def check(codes):
        before = AuditEvent.objects.count()
        refused: dict[str, list[str]] = {}
        try:
            organisation = ggd_region_set(actor=None, organisation=ggd, codes=codes)
        except ValidationError as error:
            refused = error.message_dict
        if refused:
            assert all(refused.values())  # a message
            assert AuditEvent.objects.count() == before  # nothing written
            return
        organisation.refresh_from_db()
        stored = region_codes(organisation)
        assert stored[0] == "GM0014"
        assert all(len(c) == 6 and c.startswith("GM") and c[2:].isdigit() for c in stored)
        assert set(stored[1:]) == set(parse_codes(codes)) - {"GM0014"}
        assert AuditEvent.objects.count() == before + 1

    check()
