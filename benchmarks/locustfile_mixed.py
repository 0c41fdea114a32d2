"""The mixed load of `benchmarks/load_bench.py` (issue 14): the working day of a municipality.

* leerplichtambtenaren (demo-leerplicht): "Vandaag", the thuiszitters list, a child's page and a
  case's page;
* beleidsmedewerkers (demo-beleid): the monitor's dashboard;
* a school's or a municipality's own system on the API (a personal token of the demo
  leerplichtambtenaar): reads of students (a search), meldingen and cases, and writes of the
  contact log (one entry about a child of a case).
Case and child ids come in INBEELD_BENCH_CASES and INBEELD_BENCH_STUDENTS, the token in
INBEELD_BENCH_TOKEN. Logging in as in locustfile.py.
"""

from __future__ import annotations

import os
import random

import locustfile as base
from locust import FastHttpUser, between, task

CASES = [int(x) for x in os.environ.get("INBEELD_BENCH_CASES", "").split(",") if x]
STUDENTS = base.STUDENTS
TOKEN = os.environ.get("INBEELD_BENCH_TOKEN", "")
NAMES = ["de", "van", "jan", "bakker", "smit", "jong", "visser", "mulder"]


class Leerplichtambtenaar(base.Leerplichtambtenaar):
    """Vandaag, the thuiszitters list and child pages (locustfile.py), and case pages."""

    weight = 6

    @task(2)
    def case(self) -> None:
        self.client.get(f"/zaken/{random.choice(CASES)}/", name="case page")


#: the monitor's dashboard, as in locustfile.py
Beleidsmedewerker = base.Beleidsmedewerker


class ApiClient(FastHttpUser):
    weight = 3
    wait_time = between(1, 3)
    default_headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}

    @task(3)
    def students(self) -> None:
        self.client.get(
            f"/api/v1/students?search={random.choice(NAMES)}", name="API students search"
        )

    @task(2)
    def meldingen(self) -> None:
        self.client.get("/api/v1/meldingen", name="API meldingen")

    @task(2)
    def cases(self) -> None:
        self.client.get("/api/v1/cases", name="API cases")

    @task(1)
    def contact(self) -> None:
        self.client.post(
            "/api/v1/contact-entries",
            json={
                "student": random.choice(STUDENTS),
                "kind": "telefoon",
                "contact_with": "ouder_verzorger",
                "summary": "Benchmark: gebeld over de terugkeer naar school.",
            },
            name="API contact entry (write)",
        )
