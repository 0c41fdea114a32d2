"""BSN, onderwijsnummer and BRIN checks: known values, and scalar and Polars versions agreeing."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.rules.identifiers import (
    brin_valid_expr,
    bsn_valid_expr,
    check_digit,
    is_valid_brin,
    is_valid_bsn,
    is_valid_onderwijsnummer,
    normalise_bsn,
    normalise_bsn_expr,
    onderwijsnummer_valid_expr,
)

BSN_CASES = [
    ("111222333", True),
    ("123456782", True),
    ("010000008", True),
    ("10000008", True),  # exported without the leading zero
    ("100000009", True),
    ("123456789", False),  # 11-proef fails
    ("111222334", False),
    ("000000000", False),  # passes the sum but is no BSN
    ("00000000", False),
    ("12345678", False),  # 012345678 fails the 11-proef
    ("1234567", False),
    ("1234567820", False),
    ("", False),
    ("12345678a", False),
    (" 123456782", False),
    ("123456782 ", False),
    ("123456782\n", False),
    ("+23456782", False),
    ("１２３４５６７８２", False),  # full-width digits
    ("١٢٣٤٥٦٧٨٢", False),  # Arabic-Indic digits
]

ONDERWIJSNUMMER_CASES = [
    ("100000004", True),
    ("100000016", True),
    ("101234565", False),
    ("100000005", False),
    ("111222333", False),  # a valid BSN: remainder 0, not 5
    ("200000002", False),  # remainder 5, but does not start with 10
    ("10000004", False),
    ("1000000040", False),
    ("", False),
    ("10000000x", False),
    (" 100000004", False),
]

BRIN_CASES = [
    ("12AB", True),
    ("12AB01", True),
    ("00ZZ99", True),
    ("12ab", False),
    ("12Ab", False),
    ("1AB", False),
    ("12AB1", False),
    ("12AB012", False),
    ("12A1", False),
    ("AB12", False),
    ("123B", False),
    ("", False),
    (" 12AB", False),
    ("12AB\n", False),
    ("12ÄB", False),
]


def _expr_answers(expr_fn, values: list[str | None]) -> list[bool]:
    series = pl.Series("v", values, dtype=pl.String())
    return pl.DataFrame({"v": series}).select(expr_fn(pl.col("v"))).to_series().to_list()


@pytest.mark.parametrize(("value", "expected"), BSN_CASES)
def test_bsn(value: str, expected: bool) -> None:
    assert is_valid_bsn(value) is expected
    assert _expr_answers(bsn_valid_expr, [value]) == [expected]


@pytest.mark.parametrize(("value", "expected"), ONDERWIJSNUMMER_CASES)
def test_onderwijsnummer(value: str, expected: bool) -> None:
    assert is_valid_onderwijsnummer(value) is expected
    assert _expr_answers(onderwijsnummer_valid_expr, [value]) == [expected]


@pytest.mark.parametrize(("value", "expected"), BRIN_CASES)
def test_brin(value: str, expected: bool) -> None:
    assert is_valid_brin(value) is expected
    assert _expr_answers(brin_valid_expr, [value]) == [expected]


def test_non_strings_and_null_are_invalid() -> None:
    assert not is_valid_bsn(123456782)  # type: ignore[arg-type]
    assert not is_valid_onderwijsnummer(None)  # type: ignore[arg-type]
    assert not is_valid_brin(None)  # type: ignore[arg-type]
    for fn in (bsn_valid_expr, onderwijsnummer_valid_expr, brin_valid_expr):
        assert _expr_answers(fn, [None]) == [False]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123456782", "123456782"),
        ("10000008", "010000008"),
        (" 10000008 ", "010000008"),
        (10000008, "010000008"),
        (123456782, "123456782"),
        ("12345678", "012345678"),  # the form only: validity is is_valid_bsn's job
    ],
)
def test_normalise_bsn(value: str | int, expected: str) -> None:
    assert normalise_bsn(value) == expected


@pytest.mark.parametrize("value", ["1234567", "1234567890", "abc", "", True, None, 1.5])
def test_normalise_bsn_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        normalise_bsn(value)  # type: ignore[arg-type]


# -- scalar and expression agree (hypothesis) ------------------------------------------------------


def _with_check_digit(first8: str, target: int) -> str:
    """first8 + a last digit giving ``target`` mod 11, or a near miss when none exists."""
    partial = sum(w * int(d) for w, d in zip(range(9, 1, -1), first8, strict=True))
    last = (partial - target) % 11
    return first8 + str(last if last < 10 else 0)


digits = st.text(alphabet="0123456789", min_size=7, max_size=10)
near_bsn = st.builds(
    _with_check_digit, st.text(alphabet="0123456789", min_size=8, max_size=8), st.just(0)
)
near_onderwijsnummer = st.builds(
    _with_check_digit,
    st.text(alphabet="0123456789", min_size=6, max_size=6).map(lambda s: "10" + s),
    st.sampled_from([0, 5, 5, 5]),
)
brin_like = st.from_regex(r"[0-9]{1,3}[A-Za-z]{1,3}[0-9]{0,3}", fullmatch=True)
noise = st.text(alphabet="0123456789ABZabz \n\t+-١", max_size=12)
anything = st.text(max_size=12)
values = st.one_of(
    digits,
    near_bsn,
    near_bsn.map(lambda s: s[1:] if s.startswith("0") else s),
    near_onderwijsnummer,
    brin_like,
    noise,
    anything,
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(values, min_size=1, max_size=60))
def test_scalar_and_expression_agree(batch: list[str | None]) -> None:
    def scalar(fn, v):
        return v is not None and fn(v)

    assert _expr_answers(bsn_valid_expr, batch) == [scalar(is_valid_bsn, v) for v in batch]
    assert _expr_answers(onderwijsnummer_valid_expr, batch) == [
        scalar(is_valid_onderwijsnummer, v) for v in batch
    ]
    assert _expr_answers(brin_valid_expr, batch) == [scalar(is_valid_brin, v) for v in batch]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(near_bsn, digits), min_size=1, max_size=40))
def test_normalise_expression_agrees(batch: list[str]) -> None:
    valid = [v for v in batch if is_valid_bsn(v)]
    got = pl.Series(valid, dtype=pl.String()).to_frame("v").select(normalise_bsn_expr(pl.col("v")))
    assert got.to_series().to_list() == [normalise_bsn(v) for v in valid]


def test_check_digit_helper() -> None:
    """The strategies above build valid values with this helper; it must be right."""
    assert _with_check_digit("12345678", 0) == "123456782"
    assert _with_check_digit("10000000", 5) == "100000004"


@pytest.mark.parametrize(
    "first_eight", ["11122233", "00000001", "12345678", "99999999", "10000000"]
)
@pytest.mark.parametrize("remainder", [0, 5])
def test_check_digit_completes_a_number_that_passes(first_eight: str, remainder: int) -> None:
    digit = check_digit(first_eight, remainder)

    def weighted(number: str) -> int:  # 9*d1 + 8*d2 + ... + 2*d8 - d9, written out
        return sum(w * int(c) for w, c in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), number, strict=True))

    passes = [d for d in range(10) if weighted(first_eight + str(d)) % 11 == remainder]
    assert digit == (passes[0] if passes else None)
    assert check_digit("11122233") == 3
    assert is_valid_bsn("111222333")
