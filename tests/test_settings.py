"""repertoire/settings.py in production: `check --deploy` clean, each HTTPS switch can be turned
off for a plain-HTTP intranet, the shared cache from REDIS_URL, and a 500 logged on stderr.

Each case runs in a subprocess: settings are read once, from the environment, at start-up."""

import os
import secrets
import string
import subprocess
import sys
import tempfile

from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "".join(
        secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50)
    ),
    "DJANGO_ALLOWED_HOSTS": "example.org",
}


def run(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))
    }
    # None of these runs needs the database: an empty one (check --deploy must pass before
    # the first migrate, as on a new server).
    environment["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/repertoire-unused.sqlite3"
    environment.update(PRODUCTION, **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name, **env):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(settings.{name}))"
    )
    result = run("-c", code, DJANGO_SETTINGS_MODULE="repertoire.settings", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_in_production():
    result = run("manage.py", "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_plain_http_intranet_turns_https_off_and_check_deploy_says_so():
    result = run(
        "manage.py",
        "check",
        "--deploy",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
    )
    warnings = {w for w in ("W004", "W008", "W012", "W016", "W005", "W021") if w in result.stderr}
    assert warnings == {"W004", "W008", "W012", "W016"}, result.stderr


def test_settings_from_the_environment():
    assert setting("SECURE_HSTS_SECONDS") == str(365 * 24 * 3600)
    assert setting("SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT="0") == "False"
    assert setting("SECURE_HSTS_PRELOAD", DJANGO_SECURE_HSTS_PRELOAD="0") == "False"
    # Behind a TLS-terminating proxy only when said so: a forged header would make any
    # plain-HTTP request look secure.
    assert setting("SECURE_PROXY_SSL_HEADER") == "None"
    header = setting(
        "SECURE_PROXY_SSL_HEADER", DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"
    )
    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"
    # Development: no HTTPS forced, the cache in memory.
    assert setting("SESSION_COOKIE_SECURE", DJANGO_DEBUG="1") == "False"
    assert "LocMemCache" in setting("CACHES")
    redis = setting("CACHES", REDIS_URL="redis://127.0.0.1:6379/2")
    assert "RedisCache" in redis and "redis://127.0.0.1:6379/2" in redis
    assert setting("REST_FRAMEWORK['NUM_PROXIES']", NUM_PROXIES="1") == "1"
    assert setting("DATABASES['default']['CONN_HEALTH_CHECKS']") == "True"


BOOM = """
import sys, types
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import path

def boom(request):
    raise RuntimeError("panne de test")

urls = types.ModuleType("boom_urls")
urls.urlpatterns = [path("boom/", boom)]
sys.modules["boom_urls"] = urls
settings.ROOT_URLCONF = "boom_urls"
response = Client(raise_request_exception=False).get("/boom/", secure=True)
print(response.status_code)
"""


def test_a_server_error_is_logged_on_stderr():
    result = run(
        "-c", BOOM, DJANGO_SETTINGS_MODULE="repertoire.settings", DJANGO_ALLOWED_HOSTS="testserver"
    )
    assert result.stdout.strip() == "500", result.stderr
    assert "ERROR django.request: Internal Server Error: /boom/" in result.stderr
    assert "RuntimeError: panne de test" in result.stderr
