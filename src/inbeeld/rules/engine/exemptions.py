"""Which days each row of exemptions.csv exempts its child, every row at once: the bulk form of
:mod:`inbeeld.rules.exemptions` (RULES.md §5, §7 (v2)), checked against it in the tests."""

from __future__ import annotations

import numpy as np
import polars as pl

from inbeeld.rules.engine.duty import DutyArrays, first_of_august, split_days
from inbeeld.rules.engine.frames import OPEN_END, Frames
from inbeeld.rules.exemptions import YEARLY_ARTICLE
from inbeeld.rules.model import EXEMPTION_ARTICLES, KWALIFICATIEPLICHT_ONLY_ARTICLES


def effective_exemptions(frames: Frames, duty: DutyArrays) -> pl.DataFrame:
    """Per row that exempts some day: ``sx``, ``s`` (its first day in effect) and ``e`` (its last,
    ``OPEN_END`` when open), as :func:`inbeeld.rules.exemptions.effective_span` reads it (RULES.md
    §7 (v2); LPW art. 3a/3b no exemption, art. 5 onder a renewed yearly, art. 15 only under
    kwalificatieplicht)."""
    ex = frames.exemptions
    sx = ex["sx"].to_numpy().astype(np.int64)
    s = ex["s"].to_numpy().astype(np.int64)
    e = ex["e"].to_numpy().astype(np.int64)
    article = ex["article"].to_numpy()
    permanent = ex["permanent"].fill_null(False).to_numpy().astype(bool)
    # a 5a row without end date lapses on 31 July of the school year it starts in
    year, month0, _ = split_days(s)
    yearly = (article == YEARLY_ARTICLE) & (e >= OPEN_END) & ~permanent
    e = np.where(yearly, first_of_august(year + (month0 >= 7)) - 1, e)
    # art. 15: only the days under kwalificatieplicht (kwalificatieplicht_end -1: none at all)
    kp_only = np.isin(article, KWALIFICATIEPLICHT_ONLY_ARTICLES)
    s = np.where(kp_only, np.maximum(s, duty.leerplicht_end[sx] + 1), s)
    e = np.where(kp_only, np.minimum(e, duty.kwalificatieplicht_end[sx]), e)
    keep = np.isin(article, EXEMPTION_ARTICLES) & (s <= e)
    return pl.DataFrame(
        {"sx": sx[keep], "s": s[keep], "e": e[keep]},
        schema={"sx": pl.Int64, "s": pl.Int64, "e": pl.Int64},
    )


def without_effect_on_leerplicht(frames: Frames, duty: DutyArrays, on_day: int) -> int:
    """How many art. 15 rows cover, up to the reference date, a day under leerplicht, where they
    have no effect (RULES.md §7 (v2); the bulk form of
    :func:`inbeeld.rules.exemptions.without_effect_on_leerplicht`)."""
    ex = frames.exemptions
    sx = ex["sx"].to_numpy().astype(np.int64)
    kp_only = np.isin(ex["article"].to_numpy(), KWALIFICATIEPLICHT_ONLY_ARTICLES)
    last = np.minimum(duty.leerplicht_end[sx], on_day)
    hit = kp_only & (ex["s"].to_numpy() <= last) & (ex["e"].to_numpy() >= duty.leerplicht_start[sx])
    return int(hit.sum())
