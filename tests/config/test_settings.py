"""Settings come from the environment; bad values stop the start-up clearly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7!kq2-production-test-key-with-enough-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "school.example.city",
    "DATABASE_URL": "sqlite:////tmp/production-check.sqlite3",
    "OIDC_OP_ISSUER": "https://id.example.city",
    "OIDC_RP_CLIENT_ID": "school-platform",
    "OIDC_RP_CLIENT_SECRET": "client-secret-from-the-vault",
    "BADGE_KEYS_SECRET": "b4dge-keys-production-test-secret-with-entropy-0123456789",
}


def run_manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    without_key = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", extra_env=without_key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "OIDC_OP_ISSUER",
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "BADGE_KEYS_SECRET",
    ],
)
def test_production_refuses_to_start_without_the_city_sso_or_badge_secret(name):
    without = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = run_manage("check", extra_env=without)
    assert result.returncode != 0
    assert name in result.stderr


def test_production_refuses_the_badge_secret_equal_to_the_secret_key():
    same = {**PRODUCTION_ENV, "BADGE_KEYS_SECRET": PRODUCTION_ENV["SECRET_KEY"]}
    result = run_manage("check", extra_env=same)
    assert result.returncode != 0
    assert "BADGE_KEYS_SECRET" in result.stderr


@pytest.mark.parametrize(
    "entry_point",
    [
        "manage.py check",
        "import config.asgi",
        "import config.wsgi",
    ],
)
def test_no_entry_point_falls_back_to_the_development_settings(entry_point):
    """Without DJANGO_SETTINGS_MODULE every entry point takes the production
    settings, which refuse to start without their secrets."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}
    }
    command = (
        [sys.executable, "manage.py", "check"]
        if entry_point.startswith("manage.py")
        else [sys.executable, "-c", entry_point]
    )
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "extra_env",
    [
        PRODUCTION_ENV,
        {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "false"},
    ],
    ids=["production", "debug off"],
)
def test_the_demo_city_is_never_seeded_with_debug_off(extra_env):
    result = run_manage("seed_demo", "--quiet", extra_env=extra_env)
    assert result.returncode != 0
    assert "development settings" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", extra_env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "50 or more characters" in result.stderr


def test_a_malformed_database_url_stops_the_start_up():
    result = run_manage(
        "check", extra_env={**PRODUCTION_ENV, "DATABASE_URL": "mysql-ish:nothing"}
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_redis_url_selects_the_pubsub_channel_layer():
    script = (
        "from django.conf import settings;"
        "print(settings.CHANNEL_LAYERS['default']['BACKEND'])"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        extra_env={
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert (
        result.stdout.strip().splitlines()[-1]
        == "channels_redis.pubsub.RedisPubSubChannelLayer"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        extra_env={"DJANGO_SETTINGS_MODULE": "config.settings.dev"},
    )
    assert (
        result.stdout.strip().splitlines()[-1] == "channels.layers.InMemoryChannelLayer"
    )


@pytest.mark.parametrize(
    ("reader", "raw"),
    [
        (lambda: env.env_bool("X_TEST_VALUE", False), "maybe"),
        (lambda: env.env_int("X_TEST_VALUE", 1), "ten"),
        (lambda: env.env_int("X_TEST_VALUE", 1, minimum=1), "0"),
        (lambda: env.env_list("X_TEST_VALUE", []), "a,,b"),
        (lambda: env.env_url("X_TEST_VALUE", schemes=("redis",)), "http://x"),
    ],
)
def test_typed_readers_refuse_bad_values(monkeypatch, reader, raw):
    monkeypatch.setenv("X_TEST_VALUE", raw)
    with pytest.raises(ImproperlyConfigured, match="X_TEST_VALUE"):
        reader()


def test_typed_readers_parse_good_values(monkeypatch):
    monkeypatch.setenv("X_TEST_VALUE", "yes")
    assert env.env_bool("X_TEST_VALUE", False) is True
    monkeypatch.setenv("X_TEST_VALUE", "a.example, b.example")
    assert env.env_list("X_TEST_VALUE", []) == ["a.example", "b.example"]
    monkeypatch.delenv("X_TEST_VALUE")
    with pytest.raises(ImproperlyConfigured, match="required"):
        env.env_str("X_TEST_VALUE")
