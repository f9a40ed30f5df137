"""The test session: real PostgreSQL, Redis, localstripe and Chromium; never a silent skip."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import Request, urlopen

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _localstripe_answers(base: str) -> bool:
    request = Request(f"{base}/v1/customers?limit=1", headers={"Authorization": "Bearer sk_test_localstripe"})
    try:
        with urlopen(request, timeout=2) as response:
            return response.status == 200
    except (URLError, OSError):
        return False


@pytest.fixture(scope="session")
def localstripe():
    """localstripe on 127.0.0.1:8420 for the whole session (reused if one already runs there)."""
    from django.conf import settings

    base = settings.STRIPE_API_BASE
    port = int(base.rsplit(":", 1)[-1])
    if _localstripe_answers(base):
        yield base
        return
    if _port_open("127.0.0.1", port):
        pytest.fail(f"Port {port} is taken by something that is not localstripe; free it for the tests.")
    log = open(ROOT / ".localstripe-test.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bin" / "localstripe"), "--port", str(port), "--ephemeral"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while not _localstripe_answers(base):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail(f"localstripe did not start; see {ROOT / '.localstripe-test.log'}")
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}; `make test` installs it (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def demo(db):
    """The demo organizations, people and catalog of SPEC §9 (no purchases, no gateway needed)."""
    from tests.world import DemoWorld

    return DemoWorld.build()


@pytest.fixture
def demo_purchases(demo, localstripe):
    """The demo world with its purchases: alex's Power BI Pro × 5 and Contoso's central Project Plan 3."""
    from purchases.demo import seed_purchases

    seed_purchases()
    return demo
