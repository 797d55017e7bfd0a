"""The page cache under fire: readers never get a page older than the last committed edit, and
anonymous readers never get a signed-in reader's page, whatever runs at the same moment.

Against a live server with the cache in Redis (as production runs it): anonymous readers and a
signed-in editor read the fiche and its API answer in a loop, filling the cache concurrently,
while another editor commits edits through the staff page and the API. Slow (`make test` runs
it); EDITS (default 60) sets how many edits.
"""

import os
import re
import threading

import pytest
import requests
from django.core.cache import caches
from django.test import override_settings

from partnerships.models import Contact

from .test_concurrency import FICHE, PASSWORD, Writer, form_of, server  # noqa: F401

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed_after_module"),
]

EDITS = int(os.environ.get("EDITS", "60"))
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
MARK = re.compile(r"Perspective n° (\d+)\.")


@pytest.fixture
def redis_page_cache():
    cache_settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "test-pagecache",
        }
    }
    with override_settings(CACHES=cache_settings, PAGE_CACHE_SECONDS=600):
        caches["default"].clear()
        yield
        caches["default"].clear()


def edit_number(text):
    """The number of the edit a page or answer shows (-1: none yet)."""
    found = MARK.findall(text)
    return int(found[-1]) if found else -1


def test_readers_never_get_a_page_older_than_the_last_commit(server, redis_page_cache):  # noqa: F811
    editor, staff_reader = Writer(server, "editrice"), Writer(server, "editeur")
    page = f"{server.url}/fr/partenariats/{FICHE}/"
    api = f"{server.url}/api/v1/partnerships/{FICHE}/"
    email = Contact.objects.filter(partnership__slug=FICHE).exclude(email="").first().email
    committed = [-1]  # the last edit whose write has answered (so committed)
    problems, hits, stop = [], [], threading.Event()

    def anonymous_reader():
        http = requests.Session()
        while not stop.is_set():
            for url in (page, api):
                before = committed[0]
                response = http.get(url)
                hits.append(response.headers.get("X-Page-Cache"))
                shown = edit_number(response.text)
                if response.status_code != 200:
                    problems.append(f"{url}: {response.status_code}")
                elif shown < before:
                    problems.append(f"{url}: edit {shown} shown after edit {before} committed")
                if email in response.text:
                    problems.append(f"{url}: a contact's e-mail shown to an anonymous reader")
                # A fresh visitor each time: no session, no cookie.
                http.cookies.clear()

    def signed_in_reader():
        while not stop.is_set():
            response = staff_reader.http.get(page)
            if email not in response.text or "X-Page-Cache" in response.headers:
                problems.append("the signed-in reader got an anonymous or cached page")

    threads = [threading.Thread(target=anonymous_reader) for _ in range(3)]
    threads.append(threading.Thread(target=signed_in_reader))
    for thread in threads:
        thread.start()
    try:
        edit_path = f"/gestion/partenariats/{FICHE}/modifier/"
        for n in range(EDITS):
            value = f"Perspective n° {n}."
            if n % 2:
                outcome = editor.patch_api(
                    f"/api/v1/partnerships/{FICHE}/",
                    {"perspectives": value},
                    editor.read_api(f"/api/v1/partnerships/{FICHE}/")[1],
                )
            else:
                state = form_of(editor.http.get(server.url + edit_path).text)
                outcome = editor.post_form(edit_path, {**state, "perspectives": value})
            assert outcome == "won", outcome
            committed[0] = n
            # The first anonymous read after the commit shows it, from the page and the API.
            for url in (page, api):
                assert edit_number(requests.get(url).text) == n, url
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert problems == []
    # The readers were served from the cache between edits: the race was on.
    assert hits.count("hit") > EDITS, {h: hits.count(h) for h in set(hits)}
