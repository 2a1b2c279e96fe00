"""Two Daphne processes behind one PostgreSQL database and one Redis.

A notification written by a request on server A must reach a socket held open by
server B: the channel layer (Redis pub/sub), not process memory, carries it.
"""

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.integration import servers

pytestmark = pytest.mark.integration

WAIT = 15  # seconds a frame may take to arrive before the test gives up


@pytest.fixture(scope="module")
def backing_services():
    database, redis = servers.postgres_url(), servers.redis_url()
    if database is None:
        pytest.skip("PostgreSQL does not answer (DATABASE_URL or 127.0.0.1:5432).")
    if redis is None:
        pytest.skip("Redis does not answer (REDIS_URL or 127.0.0.1:6379).")
    return database, redis


@pytest.fixture(scope="module")
def cluster(backing_services, tmp_path_factory):
    database, redis = backing_services
    logs = tmp_path_factory.mktemp("scaleout")
    with servers.scratch_postgres(database, "school_scaleout") as database_url:
        env = servers.server_env(DATABASE_URL=database_url, REDIS_URL=redis)
        servers.manage("migrate", "--no-input", "-v", "0", env=env)
        city = servers.seed_city(env)
        a = servers.daphne(env, logs / "a.log")
        b = servers.daphne(env, logs / "b.log")
        try:
            a.start()
            b.start()
            yield a, b, city
        finally:
            a.stop()
            b.stop()


def open_socket(server, session, origin=None):
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    return connect(
        f"ws://127.0.0.1:{server.port}/ws/notifications/",
        origin=origin or server.origin,
        additional_headers={"Cookie": cookie},
        open_timeout=WAIT,
    )


def frames_until(socket, text: str) -> dict:
    """The first notification with `text`.

    Redis pub/sub ignores database numbers, so another suite sharing the Redis may
    publish to a group with the same name; such frames are skipped, not trusted.
    """
    while True:
        message = json.loads(socket.recv(timeout=WAIT))
        if message.get("text") == text:
            return message


def test_announcement_posted_on_a_reaches_a_socket_on_b(cluster):
    a, b, city = cluster
    pupil = servers.sign_in(b.base_url, "petya", servers.PASSWORD)
    with open_socket(b, pupil) as socket:
        admin = servers.sign_in(a.base_url, "admin1", servers.PASSWORD)
        url = f"{a.base_url}/schools/{city['school_one']}/announce/"
        response = servers.post_form(admin, url, {"text": "Учения в 10:00"})
        assert response.status_code == 302, a.log_tail()
        message = frames_until(socket, "Учения в 10:00")
    assert message["type"] == "notification"


def test_foreign_origin_is_refused_with_403(cluster):
    _, b, _ = cluster
    pupil = servers.sign_in(b.base_url, "petya", servers.PASSWORD)
    with pytest.raises(InvalidStatus) as refused:
        open_socket(b, pupil, origin="http://evil.example")
    assert refused.value.response.status_code == 403
    assert "evil.example" in b.log_tail()


def test_anonymous_socket_is_refused(cluster):
    _, b, _ = cluster
    import requests

    with pytest.raises(InvalidStatus) as refused:
        open_socket(b, requests.Session())
    assert refused.value.response.status_code == 403
