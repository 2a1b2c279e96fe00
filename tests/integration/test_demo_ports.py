"""`make run PORT=… IDP_PORT=…`: the demo's city sign-in works on any ports.

The demo's city accounts are keyed on the provider's address, ports included.
This runs scripts/run-demo.sh itself (the provider process and the platform) on
ports other than the ones the demo was first loaded for, and signs in as the
demo pupil through the provider: the pupil lands in their own account, with
their class, and no second account is made.
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.integration.conftest import form_action
from tests.integration.servers import ROOT, free_port, manage, run_script

pytestmark = pytest.mark.integration

START_DEADLINE = 180  # migrations are done; this waits for the seed and the servers
COUNT_ACCOUNTS = """
import json
from school.models import User
print(json.dumps(User.objects.count()))
"""
PUPIL_SCRIPT = """
import json
from school.models import Enrolment, User
user = User.objects.get(username=%(login)r)
enrolments = Enrolment.objects.filter(pupil=user).select_related("class_group")
print(json.dumps([user.oidc_issuer, [str(e.class_group) for e in enrolments]]))
"""
LOGIN_ROW = re.compile(r"^\s+pupil\s+(\S+)\s+(\S+)$", re.MULTILINE)


def demo_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        IDP_ACCOUNTS_FILE=str(tmp_path / "accounts.json"),
        IDP_JWKS_FILE=str(tmp_path / "jwks.json"),
        IDP_LOG=str(tmp_path / "idp.log"),
    )
    return env


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"run-demo.sh stopped:\n{log.read_text()}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered:\n{log.read_text()}")


def test_the_demo_pupil_signs_in_on_other_ports(tmp_path):
    env = demo_env(tmp_path)
    dev = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    manage("migrate", "-v0", env=dev)
    # First loaded as a plain `make run` does: for the provider on port 9000.
    manage(
        "seed_demo", "--quiet", env={**dev, "OIDC_OP_ISSUER": "http://127.0.0.1:9000"}
    )
    accounts = run_script(COUNT_ACCOUNTS, env=dev)

    port, idp_port = free_port(), free_port()
    log = tmp_path / "run-demo.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["bash", "scripts/run-demo.sh", "127.0.0.1", str(port), str(idp_port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/login/", process, log)
        printed = log.read_text()
        assert f"Open {base}/ and sign in" in printed
        assert f"http://127.0.0.1:{idp_port}" in printed
        login, password = LOGIN_ROW.search(printed).groups()

        with requests.Session() as browser:
            page = browser.get(f"{base}/oidc/authenticate/", timeout=10)
            home = browser.post(
                form_action(page),
                data={"login": login, "password": password},
                timeout=30,
            )
        assert home.url == f"{base}/"
        assert (
            run_script(COUNT_ACCOUNTS, env=dev) == accounts
        )  # no second, empty account
        pupil = run_script(PUPIL_SCRIPT % {"login": login}, env=dev)
        assert pupil[0] == f"http://127.0.0.1:{idp_port}"
        assert pupil[1] and pupil[1][0] in home.text  # their class, on their home page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
