"""Signing in and the API under attack: lock-out after wrong passwords, throttled password
resets, and throttles keyed on the real client (never on a forged X-Forwarded-For) in a cache
every worker shares (Redis)."""

import os
import random
import socket
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-de-test"
REDIS = "redis://127.0.0.1:6379/2"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editrice", "editrice@example.org", PASSWORD)


def sign_in(client, password, **extra):
    return client.post(reverse("login"), {"username": "editrice", "password": password}, **extra)


# Lock-out ------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_out_for_a_quarter_of_an_hour(client, editor):
    statuses = [sign_in(client, f"faux-{n}").status_code for n in range(6)]
    # The fifth failure locks the pair out (and says so); the sixth attempt is refused.
    assert statuses == [200] * 4 + [429, 429]
    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "bloqué depuis cet appareil pendant 15 minutes" in page
    assert 'name="username"' in page and 'value="editrice"' in page
    assert "_auth_user_id" not in client.session
    # The lock holds one username from one address: the editor can still sign in from another.
    other = sign_in(client.__class__(), PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    # Once the cool-off has passed, the right password works again from the first address.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("staff_home")


def test_a_success_before_the_limit_starts_the_count_again(client, editor):
    for n in range(4):
        sign_in(client, f"faux-{n}")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert [sign_in(client, f"faux-{n}").status_code for n in range(5)] == [200] * 4 + [429]


def test_the_lock_out_message_in_english(client, editor):
    for n in range(6):
        sign_in(client, f"faux-{n}", HTTP_ACCEPT_LANGUAGE="en")
    page = sign_in(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "locked from this device for 15 minutes" in page


# Password reset --------------------------------------------------------------------------------


def test_password_resets_are_throttled_per_email_and_per_address(client, editor):
    url = reverse("password_reset")
    statuses = [client.post(url, {"email": "editrice@example.org"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    refused = client.post(url, {"email": "EDITRICE@example.org "})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Trop de demandes de réinitialisation" in refused.content.decode()
    # Other addresses from the same client: ten requests in all (the five above counted,
    # refused or not), then refused.
    others = [client.post(url, {"email": f"personne{n}@example.org"}).status_code for n in range(6)]
    assert others == [302] * 5 + [429]
    # Another client may still ask for its own reset.
    other = client.__class__(REMOTE_ADDR="10.9.8.7").post(url, {"email": "x@example.org"})
    assert other.status_code == 302
    assert len(mail.outbox) == 3


# API throttles --------------------------------------------------------------------------------


def random_address():
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


CACHES = {
    "memory": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "redis": {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    },
}


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_a_forged_x_forwarded_for_does_not_bypass_the_throttle(monkeypatch, backend):
    if backend == "redis" and not redis_available() and not os.environ.get("CI"):
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "300/minute"})
    api = APIClient()
    with override_settings(CACHES=CACHES[backend]):
        cache.clear()
        assert api_settings.NUM_PROXIES == 0
        statuses = [
            api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=random_address()).status_code
            for _ in range(300)
        ]
        assert statuses == [200] * 300
        # Every one of the 300 counted against the one client: the next is refused.
        response = api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=random_address())
        assert response.status_code == 429
        if backend == "redis":
            keys = cache._cache.get_client().keys("*throttle_anon_*")
            assert [key.decode().rsplit("_", 1)[-1] for key in keys] == ["127.0.0.1"]
        cache.clear()


def test_behind_one_proxy_the_client_is_the_right_most_address(monkeypatch, editor):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    api = APIClient()
    framework = {**api_settings.user_settings, "NUM_PROXIES": 1}
    with override_settings(REST_FRAMEWORK=framework):
        # What the client wrote itself comes first; the proxy appended the address it saw.
        for forged in ("1.1.1.1", "6.6.6.6, 7.7.7.7"):
            response = api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=f"{forged}, 2.2.2.2")
            assert response.status_code == 200
        response = api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR="9.9.9.9, 2.2.2.2")
        assert response.status_code == 429
        other = api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR="2.2.2.2, 3.3.3.3")
        assert other.status_code == 200
        # The sign-in lock-out counts the same client.
        sign_in(APIClient(), "faux", HTTP_X_FORWARDED_FOR="1.1.1.1, 4.4.4.4")
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["4.4.4.4"]
