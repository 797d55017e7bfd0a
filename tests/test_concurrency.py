"""No edit is ever lost: races of two writers against a live server, on every write path.

Each race: both writers read the same version of a row (the edit page or the API's ETag), then
write at the same moment (a barrier), each a different value. Exactly one may win; the other
must be told (412 from the API, the conflict section on the page), never silently overwritten,
and nobody may get a 5xx. The final row must hold the winner's value.

Slow (some minutes per database): `make test` runs it, `make test-fast` leaves it out. RACES
(default 200 per path, as the issue asks) can be lowered for a quick look.
"""

import os
import re
import threading
from collections import Counter
from html.parser import HTMLParser

import pytest
import requests
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from partnerships.models import Action, Collectivity, Contact, Partnership

from .test_editing import create_groups

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed_after_module"),
]

RACES = int(os.environ.get("RACES", "200"))
PASSWORD = "un-mot-de-passe-de-course"
FICHE = "angers-bamako"


@pytest.fixture
def server(live_server, django_user_model):
    if not Partnership.objects.exists():
        call_command("seed", verbosity=0)
    create_groups()
    for name in ("editrice", "editeur"):
        # Staff status: the API's writers need it as well as the group's permissions.
        user = django_user_model.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="Éditeurs"))
    return live_server


class FormReader(HTMLParser):
    """The fields a browser would send back from each POST form (inputs, textareas, selects)."""

    def __init__(self):
        super().__init__()
        self.forms, self.data, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.data = {}
            self.forms.append(self.data)
        if self.data is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select, self._multiple, self._chosen = name, "multiple" in attrs, False
            self.data[name] = [] if self._multiple else None
        elif tag == "option" and self._select:
            value, selected = attrs.get("value", ""), "selected" in attrs
            # A browser sends the selected options; a single select without one, its first.
            if self._multiple:
                if selected:
                    self.data[self._select].append(value)
            elif selected and not self._chosen:
                self.data[self._select], self._chosen = value, True
            elif self.data[self._select] is None:
                self.data[self._select] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.data = None

    def handle_data(self, data):
        if self._textarea and self.data is not None:
            # A browser drops the line break that follows <textarea>.
            if not self.data[self._textarea]:
                data = data.removeprefix("\r\n").removeprefix("\n")
            self.data[self._textarea] += data


def form_of(html):
    """The edit form of a page: the POST form that carries a version."""
    reader = FormReader()
    reader.feed(html)
    return next(form for form in reader.forms if "version" in form)


class Writer:
    """A signed-in editor: a browser session for the pages, a token for the API."""

    def __init__(self, server, username):
        self.url = server.url
        self.http = requests.Session()
        page = self.http.get(f"{self.url}/compte/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        signed = self.http.post(
            f"{self.url}/compte/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.url}/compte/login/"},
        )
        assert signed.url.endswith("/gestion/"), "sign-in failed"
        user = Group.objects.get(name="Éditeurs").user_set.get(username=username)
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0]}"

    def read_form(self, path):
        return form_of(self.http.get(self.url + path).text)

    def post_form(self, path, data):
        # Each editor sends the CSRF token of their own session, as their browser would.
        data = {**data, "csrfmiddlewaretoken": self.http.cookies["csrftoken"]}
        response = self.http.post(
            self.url + path, data, headers={"Referer": self.url + path}, allow_redirects=False
        )
        if response.status_code == 302:
            return "won"
        if response.status_code == 200 and '<section class="conflict"' in response.text:
            return "refused"
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
        return f"http {response.status_code} {errors[:2]}"

    def read_api(self, path):
        response = self.api.get(self.url + path)
        return response.json(), response.headers["ETag"]

    def patch_api(self, path, body, etag):
        response = self.api.patch(self.url + path, json=body, headers={"If-Match": etag})
        outcome = {200: "won", 412: "refused"}.get(response.status_code)
        return outcome or f"http {response.status_code} {response.text[:150]}"


def race(first, second):
    """Run two writes at the same moment; their outcomes in order."""
    outcomes = [None, None]
    start = threading.Barrier(2)

    def run(i, write):
        start.wait()
        try:
            outcomes[i] = write()
        except Exception as error:  # a dropped connection is an outcome too, never ignored
            outcomes[i] = f"error {type(error).__name__}"

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def with_version(state, version):
    """A state read once, at a later version: the form's hidden field, or the ETag."""
    if isinstance(state, tuple):
        return tuple(with_version(part, version) for part in state)
    if isinstance(state, dict):
        return {**state, "version": str(version)}
    return f'"{version}"'


def run_races(read, writes, final_value, version):
    """RACES races; returns (counts of outcome pairs, lost updates, wrong final values).

    The page or ETag is read once; each race starts from the row's current version (read from
    the database), as if both writers had just reloaded: the races are writes, not reads."""
    tally, lost, wrong = Counter(), 0, 0
    base = read()
    for n in range(RACES):
        state = with_version(base, version())
        values = [f"A{n}", f"B{n}"]
        pairs = zip(writes, values, strict=True)
        outcomes = race(*(lambda w=w, v=v, s=state: w(s, v) for w, v in pairs))
        tally[tuple(sorted(outcomes))] += 1
        winners = [v for v, o in zip(values, outcomes, strict=True) if o == "won"]
        if len(winners) > 1:
            lost += 1
        if len(winners) == 1 and final_value() != winners[0]:
            wrong += 1
    return tally, lost, wrong


def fiche_version():
    return Partnership.objects.get(slug=FICHE).version


def angers_version():
    return Collectivity.objects.get(slug="angers").version


def check(tally, lost, wrong):
    report = dict(tally)
    assert lost == 0, report
    assert wrong == 0, report
    # Every race: one writer won, the other was told; no 5xx, no dropped connection.
    assert set(tally) == {("refused", "won")}, report


def test_fiche_form_against_fiche_form(server):
    a, b = Writer(server, "editrice"), Writer(server, "editeur")
    path = f"/gestion/partenariats/{FICHE}/modifier/"

    def write(writer):
        def go(state, value):
            return writer.post_form(path, {**state, "perspectives": value})

        return go

    result = run_races(
        lambda: a.read_form(path),
        [write(a), write(b)],
        lambda: Partnership.objects.get(slug=FICHE).perspectives,
        fiche_version,
    )
    check(*result)


def test_contact_in_the_fiche_form_against_another(server):
    a, b = Writer(server, "editrice"), Writer(server, "editeur")
    path = f"/gestion/partenariats/{FICHE}/modifier/"
    contact = Contact.objects.filter(partnership__slug=FICHE).order_by("position").first()

    def write(writer):
        def go(state, value):
            field = next(k for k, v in state.items() if k.endswith("-id") and v == str(contact.pk))
            return writer.post_form(path, {**state, field.replace("-id", "-function"): value})

        return go

    result = run_races(
        lambda: a.read_form(path),
        [write(a), write(b)],
        lambda: Contact.objects.get(pk=contact.pk).function,
        fiche_version,
    )
    check(*result)


def test_collectivity_form_against_collectivity_form(server):
    a, b = Writer(server, "editrice"), Writer(server, "editeur")
    path = "/gestion/collectivites/angers/modifier/"

    def write(writer):
        def go(state, value):
            return writer.post_form(path, {**state, "department": value})

        return go

    result = run_races(
        lambda: a.read_form(path),
        [write(a), write(b)],
        lambda: Collectivity.objects.get(slug="angers").department,
        angers_version,
    )
    check(*result)


@pytest.mark.parametrize(
    ("path", "field", "final", "version"),
    [
        (
            f"/api/v1/partnerships/{FICHE}/",
            "perspectives",
            lambda: Partnership.objects.get(slug=FICHE).perspectives,
            fiche_version,
        ),
        (
            "/api/v1/collectivities/angers/",
            "location_as_printed",
            lambda: Collectivity.objects.get(slug="angers").location_as_printed,
            angers_version,
        ),
    ],
)
def test_api_against_api(server, path, field, final, version):
    a, b = Writer(server, "editrice"), Writer(server, "editeur")

    def write(writer):
        return lambda state, value: writer.patch_api(path, {field: value}, state)

    check(*run_races(lambda: a.read_api(path)[1], [write(a), write(b)], final, version))


def test_action_api_against_action_api(server):
    a, b = Writer(server, "editrice"), Writer(server, "editeur")
    action = Action.objects.filter(partnership__slug=FICHE).order_by("position").first()
    path = f"/api/v1/actions/{action.pk}/"

    def write(writer):
        return lambda state, value: writer.patch_api(path, {"description": value}, state)

    final = lambda: Action.objects.get(pk=action.pk).description  # noqa: E731
    check(*run_races(lambda: a.read_api(path)[1], [write(a), write(b)], final, fiche_version))


def test_fiche_form_against_the_api(server):
    """A page and the API writing the same fiche: one version guards both."""
    a, b = Writer(server, "editrice"), Writer(server, "editeur")
    page, api = f"/gestion/partenariats/{FICHE}/modifier/", f"/api/v1/partnerships/{FICHE}/"

    def read():
        return a.read_form(page), b.read_api(api)[1]

    def by_form(state, value):
        return a.post_form(page, {**state[0], "perspectives": value})

    def by_api(state, value):
        return b.patch_api(api, {"perspectives": value}, state[1])

    final = lambda: Partnership.objects.get(slug=FICHE).perspectives  # noqa: E731
    check(*run_races(read, [by_form, by_api], final, fiche_version))


def test_action_api_against_the_fiche_form(server):
    """An action changed through the API while its fiche's form is open: the form's save is
    refused (the action bumped its fiche's version), or the action write is."""
    a, b = Writer(server, "editrice"), Writer(server, "editeur")
    page = f"/gestion/partenariats/{FICHE}/modifier/"
    action = Action.objects.filter(partnership__slug=FICHE).order_by("position").first()
    api = f"/api/v1/actions/{action.pk}/"

    def read():
        return a.read_form(page), b.read_api(api)[1]

    def by_form(state, value):
        form = state[0]
        field = next(k for k, v in form.items() if k.endswith("-id") and v == str(action.pk))
        return a.post_form(page, {**form, field.replace("-id", "-description"): value})

    def by_api(state, value):
        return b.patch_api(api, {"description": value}, state[1])

    final = lambda: Action.objects.get(pk=action.pk).description  # noqa: E731
    check(*run_races(read, [by_form, by_api], final, fiche_version))
