"""The national reference figures the dashboard compares with (OCW leerplichttelling).

Plain data and one comparison: per 1,000 pupils here beside the latest national figure of each
kind. The figures here come in already suppressed (``monitor.selectors``); the national ones are
public counts.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inbeeld.rules.calendar import school_year_label

#: National figures (OCW leerplichttelling, DOMAIN.md): school year → counts.
NATIONAL_FIGURES: dict[int, dict[str, int]] = {
    2015: {"av": 5101, "lrv": 4287, "5a": 5537, "over_3_months": 4194},
    2016: {"av": 4565, "lrv": 4116, "5a": 5736, "over_3_months": 4214},
    2017: {"av": 4515, "lrv": 4174, "5a": 5576, "over_3_months": 4479},
    2018: {"av": 4958, "lrv": 3917, "5a": 6022, "over_3_months": 4790},
    2019: {"av": 5570, "lrv": 3385, "5a": 6361},
    2021: {"av": 10240, "lrv": 3246, "5a": 7389},
}
#: (choice) the pupils the national figures are counted over, for "per 1,000": about 2.5 million
#: leerplichtige and kwalificatieplichtige children (5–18) in the Netherlands. DOMAIN.md gives no
#: denominator; this round number is ours and shown as such on the dashboard.
NATIONAL_PUPILS = 2_500_000

#: The kinds compared, in the order shown.
LABELS = {
    "av": _("absoluut verzuim"),
    "lrv": _("langdurig relatief verzuim"),
    "5a": _("vrijstelling artikel 5 onder a"),
    "over_3_months": _("thuiszitters langer dan 3 maanden"),
}


def comparison(here_per_1000: dict[str, float | None]) -> list[dict]:
    """Per kind (:data:`LABELS`): the figure per 1,000 pupils here (``here_per_1000``, by kind)
    beside the latest national count of that kind and its rate per 1,000."""
    rows = []
    for key, label in LABELS.items():
        year = max(y for y, figures in NATIONAL_FIGURES.items() if key in figures)
        count = NATIONAL_FIGURES[year][key]
        rows.append(
            {
                "key": key,
                "label": str(label),
                "here_per_1000": here_per_1000[key],
                "national_year": school_year_label(year),
                "national_count": count,
                "national_per_1000": round(count * 1000 / NATIONAL_PUPILS, 2),
            }
        )
    return rows


__all__ = ["LABELS", "NATIONAL_FIGURES", "NATIONAL_PUPILS", "comparison"]
