"""``inbeeld analyse``: read an exchange directory, apply the rules, write status.csv and
meldingen.csv (RULES.md §6) and summarise the result for a leerplichtambtenaar."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from inbeeld.rules.absence import (
    RULE_16_UUR,
    RULE_LRV,
    RULE_LUXE_VERZUIM,
    RULE_MAZL_4_IN_12,
    RULE_MAZL_7_DAGEN,
)
from inbeeld.rules.calendar import school_year_label, school_year_start
from inbeeld.rules.engine import MELDING_COLUMNS, STATUS_COLUMNS, Analysis, analyse, calendar_for
from inbeeld.rules.exchange import read_exchange
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM, VRIJGESTELD


def _iso(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%Y-%m-%d").fill_null("")


def format_hours(column: str) -> pl.Expr:
    """Hours as written in meldingen.csv: ``16`` for whole hours, ``16.5`` otherwise, empty when
    the rule has no hours."""
    value = pl.col(column).round(6)
    whole = value == value.floor()
    return (
        pl.when(value.is_null())
        .then(pl.lit(""))
        .when(whole)
        .then(value.cast(pl.Int64).cast(pl.String))
        .otherwise(value.cast(pl.String))
    )


def status_csv_frame(status: pl.DataFrame) -> pl.DataFrame:
    return status.select(
        "student_id",
        "duty",
        _iso("leerplicht_start").alias("leerplicht_start"),
        _iso("leerplicht_end").alias("leerplicht_end"),
        _iso("kwalificatieplicht_end").alias("kwalificatieplicht_end"),
        pl.col("category").fill_null(""),
        _iso("since").alias("since"),
        pl.when(pl.col("over_3_months"))
        .then(pl.lit("true"))
        .otherwise(pl.lit("false"))
        .alias("over_3_months"),
    ).select(STATUS_COLUMNS)


def meldingen_csv_frame(meldingen: pl.DataFrame) -> pl.DataFrame:
    return meldingen.select(
        "student_id",
        "rule",
        _iso("start_date").alias("start_date"),
        _iso("end_date").alias("end_date"),
        format_hours("hours").alias("hours"),
        pl.col("brin").fill_null(""),
    ).select(MELDING_COLUMNS)


def write_outputs(result: Analysis, out: Path) -> None:
    """Write both files, each first to a temporary name, so a failed run leaves no half file."""
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (
        ("status.csv", status_csv_frame(result.status)),
        ("meldingen.csv", meldingen_csv_frame(result.meldingen)),
    ):
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
        os.close(fd)
        try:
            frame.write_csv(tmp)
            os.replace(tmp, out / name)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


@dataclass(frozen=True)
class Summary:
    on: dt.date
    students: int
    duty: dict[str, int]
    categories: dict[str, int]
    over_3_months: dict[str, int]
    meldingen_total: dict[str, int]
    meldingen_this_year: dict[str, int]
    #: RULES.md §7 (v2): art. 15 rows covering days under leerplicht, where they have no effect
    kwalificatieplicht_only_on_leerplicht: int = 0

    def text(self) -> str:
        year = school_year_label(self.on)
        thuis = self.categories.get(ABSOLUUT_VERZUIM, 0) + self.categories.get(
            LANGDURIG_RELATIEF_VERZUIM, 0
        )
        long = self.over_3_months.get(ABSOLUUT_VERZUIM, 0) + self.over_3_months.get(
            LANGDURIG_RELATIEF_VERZUIM, 0
        )
        under = self.duty.get("leerplicht", 0) + self.duty.get("kwalificatieplicht", 0)
        lines = [
            f"Inbeeld-analyse op {self.on:%d-%m-%Y} (schooljaar {year})",
            "",
            f"Leerlingen in het bestand:             {self.students:>9,}",
            f"  leerplichtig                         {self.duty.get('leerplicht', 0):>9,}",
            f"  kwalificatieplichtig                 {self.duty.get('kwalificatieplicht', 0):>9,}",
            f"  samen onder de plicht                {under:>9,}",
            "",
            "Stand op de peildatum (onder de plicht):",
            f"  vrijgesteld                          {self.categories.get(VRIJGESTELD, 0):>9,}",
            f"  absoluut verzuim                     {self.categories.get(ABSOLUUT_VERZUIM, 0):>9,}"
            f"   waarvan langer dan 3 maanden {self.over_3_months.get(ABSOLUUT_VERZUIM, 0):,}",
            f"  langdurig relatief verzuim           {self.categories.get(LANGDURIG_RELATIEF_VERZUIM, 0):>9,}"
            f"   waarvan langer dan 3 maanden {self.over_3_months.get(LANGDURIG_RELATIEF_VERZUIM, 0):,}",
            f"  thuiszitters (absoluut + LRV)        {thuis:>9,}"
            f"   waarvan langer dan 3 maanden {long:,}",
            f"  {'art. 15 op leerplichtige dagen':<36} "
            f"{self.kwalificatieplicht_only_on_leerplicht:>9,}"
            "   rijen zonder effect (art. 15 geldt alleen de kwalificatieplicht)",
            "",
            f"Meldingen tot en met de peildatum      {'totaal':>9}   {'dit schooljaar':>14}",
        ]
        labels = {
            RULE_16_UUR: "16 uur in 4 lesweken (16_uur)",
            RULE_LRV: "langdurig relatief verzuim (lrv)",
            RULE_MAZL_7_DAGEN: "MAZL 7 dagen ziek (mazl_7_dagen)",
            RULE_MAZL_4_IN_12: "MAZL 4x ziek in 12 weken",
            # RULES.md §7 (v2): luxe verzuim (LPW art. 11 onder f / 13a)
            RULE_LUXE_VERZUIM: "luxe verzuim (luxe_verzuim)",
        }
        for rule, label in labels.items():
            lines.append(
                f"  {label:<36} {self.meldingen_total.get(rule, 0):>9,}"
                f"   {self.meldingen_this_year.get(rule, 0):>14,}"
            )
        return "\n".join(lines).replace(",", ".")  # Dutch thousands separator


def summarise(result: Analysis, on: dt.date) -> Summary:
    status = result.status
    duty = dict(status.group_by("duty").len().iter_rows())
    under = status.filter(pl.col("category").is_not_null())
    categories = dict(under.group_by("category").len().iter_rows())
    over = dict(under.filter(pl.col("over_3_months")).group_by("category").len().iter_rows())
    meldingen = result.meldingen
    total = dict(meldingen.group_by("rule").len().iter_rows())
    this_year = dict(
        meldingen.filter(pl.col("end_date") >= school_year_start(on))
        .group_by("rule")
        .len()
        .iter_rows()
    )
    return Summary(
        on,
        status.height,
        duty,
        categories,
        over,
        total,
        this_year,
        result.kwalificatieplicht_only_on_leerplicht,
    )


def run_analysis(
    directory: Path, on: dt.date, out: Path, progress: Callable[[str], None] | None = None
) -> Summary:
    """Read and validate (raises ``ExchangeError``, writing nothing), analyse, write, summarise."""
    say = progress or (lambda _m: None)
    dataset = read_exchange(directory, progress=progress)
    say(
        f"read {dataset.students.height:,} students, {dataset.enrolments.height:,} enrolments, "
        f"{dataset.absences.height:,} absence rows"
    )
    result = analyse(dataset, on, calendar_for(dataset), progress=say)
    say("writing status.csv and meldingen.csv")
    write_outputs(result, out)
    return summarise(result, on)
