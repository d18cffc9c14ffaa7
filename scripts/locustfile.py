"""Load test: committee members and UhC staff browsing the app (see scripts/loadtest.sh).

Each simulated user logs in once with a demo account and then reads the pages people use every
week. Only loopback addresses are targeted.
"""

import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ["DEMO_PASSWORD"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CommitteeMember(HttpUser):
    wait_time = between(0.5, 2)
    username = "ledamot"

    def on_start(self):
        page = self.client.get("/logga-in/", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/logga-in/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/logga-in/"},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"login failed: {response.status_code}")

    @task(4)
    def overview(self):
        self.client.get("/", name="översikt")

    @task(3)
    def goal(self):
        self.client.get("/mal/1/", name="mål 1")
        self.client.get("/mal/4/", name="mål 4")

    @task(2)
    def indicator(self):
        self.client.get("/indikatorer/1.2/", name="indikator 1.2")

    @task(2)
    def procurements(self):
        self.client.get("/register/upphandlingar/?year=2026", name="upphandlingar filtrerade")

    @task(1)
    def api(self):
        self.client.get("/api/v1/data/?year=2026", name="api data")


class StaffMember(CommitteeMember):
    username = "uhc"
    weight = 1

    @task(2)
    def contracts(self):
        self.client.get("/register/avtal/", name="avtal")
