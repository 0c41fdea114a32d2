"""Load for `benchmarks/app_bench.py`: leerplichtambtenaren opening the home page and child pages,
and beleidsmedewerkers opening the monitor's dashboard.

Each simulated leerplichtambtenaar logs in as the demo leerplichtambtenaar, then alternates between
the home page ("Vandaag": what they have to do), the thuiszitters list ("Wie zit er thuis?") and
the page of a child from the worklist (ids in INBEELD_BENCH_STUDENTS). One user in five is a beleidsmedewerker (demo-beleid) who opens the
dashboard, for this school year or the one before.
"""

from __future__ import annotations

import os
import random
import re
import time

import gevent
from locust import FastHttpUser, between, task

# FastHttpUser (geventhttpclient): the load generator shares the two cores with the server and the
# database, so it should take as little of them as it can

STUDENTS = [int(x) for x in os.environ.get("INBEELD_BENCH_STUDENTS", "").split(",") if x]
USERNAME = os.environ.get("INBEELD_BENCH_USER", "demo-leerplicht")
PASSWORD = os.environ.get("INBEELD_BENCH_PASSWORD", "inbeeld-demo")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
#: everyone logs in first (password hashing is deliberately slow); the measured pages start when
#: all are in, so the figures are of steady work, not of 20 simultaneous logins
START_AT = time.time() + float(os.environ.get("INBEELD_BENCH_WARMUP", "20"))


def log_in(user: FastHttpUser, username: str) -> None:
    page = user.client.get("/accounts/login/", name="login form")
    token = CSRF.search(page.text)
    response = user.client.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="login",
    )
    # still a form with a password (a wrong one) or a further login step: not logged in
    if response.status_code >= 400 or 'type="password"' in (response.text or ""):
        raise RuntimeError(f"login failed for {username}: {response.status_code}")
    # then start at a random moment of the next few seconds, as people do
    gevent.sleep(max(0.0, START_AT - time.time()) + random.uniform(0, 5))


class Beleidsmedewerker(FastHttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        log_in(self, os.environ.get("INBEELD_BENCH_BELEID_USER", "demo-beleid"))

    @task
    def dashboard(self) -> None:
        year = random.choice(["", "?schooljaar=2023"])
        self.client.get(f"/monitor/{year}", name="monitor dashboard")


class Leerplichtambtenaar(FastHttpUser):
    weight = 4
    #: a person reads a page before the next click; 2–5 s is brisk for this kind of work
    wait_time = between(2, 5)

    def on_start(self) -> None:
        log_in(self, USERNAME)

    @task(1)
    def vandaag(self) -> None:
        self.client.get("/", name="Vandaag")

    @task(1)
    def home(self) -> None:
        self.client.get("/thuiszitters/", name="home")

    @task(2)
    def child(self) -> None:
        if STUDENTS:
            self.client.get(f"/leerling/{random.choice(STUDENTS)}/", name="child page")
