"""Benchmark (not a test): does the signup answer take the same time for every address state?

    .venv/bin/python bench/signup_timing.py [--tries 200]

Runs the site under gunicorn (production settings, one worker) on PostgreSQL and Redis,
with a discarding aiosmtpd server for the mail, and posts the signup form over HTTP for
addresses in each state: new, pending (mailed a minute ago, so nothing is sent), pending
(mailed an hour ago: a new mail), confirmed, unsubscribed, bounced, erased (only a hash
left) and rate-limited (its mailbox over NEWSLETTER_RATE_PER_ADDRESS through a +tag).
Every try uses its own address, prepared in its state beforehand, and the states take
turns in a shuffled order; before each try the bench waits until the previous request's
after-the-response work (reading the signup, sending its mail) is done, so one try never
runs beside another.

Prints the median answer time per state over the tries, what each state led to (mail
queued), and a verdict: every median within 20 % of the fastest. Exit status 1 if not.

Environment (all optional):
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/nspm_signup_bench  (dropped, re-created)
  BENCH_CACHE_URL=redis://127.0.0.1:6379/6                                  (flushed)
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
STATES = [
    "new",
    "pending",
    "pending, mailed 1 h ago",
    "confirmed",
    "unsubscribed",
    "bounced",
    "erased",
    "rate-limited",
]
LIMIT = 1.20  # the slowest median at most 20 % above the fastest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} stopped at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start")


def environment(work: Path, smtp_port: int, web_port: int) -> dict:
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nspm_signup_bench"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nspm_portal.settings.prod",
        "SECRET_KEY": "bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/6"),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "NSPM_MULTI_PROCESS": "1",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_WORKER_CLASS": "sync",
        # Every request comes from one IP, and the shared caps would otherwise end the run.
        # One signup a day per mailbox: each address is posted once, and the rate-limited
        # ones once before (through a +tag), which is all it takes to be over the limit.
        "NEWSLETTER_RATE_PER_ADDRESS": "1/d",
        "NEWSLETTER_RATE_PER_IP": "1000000/h",
        "NEWSLETTER_RATE_PER_DOMAIN": "1000000/h",
        "NEWSLETTER_RATE_TOTAL": "1000000/h",
    }


def reset_stores(env: dict) -> None:
    name = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        [
            "psql",
            "-q",
            admin,
            "-c",
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            "-c",
            f'CREATE DATABASE "{name}"',
        ],
        check=True,
    )
    subprocess.run(
        ["redis-cli", "-u", env["CACHE_URL"], "flushdb"], check=True, capture_output=True
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([PY, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)


class Site:
    """One HTTP client with the CSRF cookie and token of a real visit to the form."""

    def __init__(self, port: int):
        self.port = port
        self.headers = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{port}"}
        status, headers, body = self.request("GET", "/nyhetsbrev/")
        if status != 200:
            raise SystemExit(f"GET /nyhetsbrev/ answered {status}")
        cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
        self.headers["Cookie"] = cookie.split(";", 1)[0]
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.connect()
        headers = dict(self.headers)
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode()
        conn.close()
        return response.status, response.getheaders(), content

    def signup(self, address: str) -> float:
        """Seconds from sending the POST to the end of the answer (connection made before)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.connect()
        body = urlencode({"csrfmiddlewaretoken": self.token, "email": address, "website": ""})
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        conn.request("POST", "/nyhetsbrev/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        conn.close()
        if response.status != 302 or response.getheader("Location") != "/nyhetsbrev/tack/":
            raise SystemExit(f"unexpected answer {response.status} for a signup")
        return elapsed


def address(state: str, i: int) -> str:
    slug = re.sub(r"[^a-z]+", "-", state).strip("-")
    return f"{slug}.{i}@bench.example.se"


def prepare(tries: int) -> None:
    """Put one address per try into each state, through the app's own services."""
    from datetime import timedelta

    from django.utils import timezone

    from newsletter import services
    from newsletter.models import Subscriber
    from newsletter.services.outcomes import suppress_bounced

    now = timezone.now()
    rows = []
    for i in range(tries):
        for state, extra in (
            ("pending", {"state": "pending", "last_mail_at": now}),
            (
                "pending, mailed 1 h ago",
                {"state": "pending", "last_mail_at": now - timedelta(hours=1)},
            ),
            (
                "confirmed",
                {
                    "state": "confirmed",
                    "confirmed_at": now,
                    "last_mail_at": now - timedelta(hours=1),
                },
            ),
            ("unsubscribed", {"state": "unsubscribed", "last_mail_at": now - timedelta(hours=1)}),
            ("bounced", {"state": "bounced"}),
            ("erased", {"state": "confirmed"}),
        ):
            rows.append(Subscriber(email=address(state, i), requested_at=now, **extra))
    Subscriber.objects.bulk_create(rows)
    for subscriber in Subscriber.objects.filter(email__startswith="erased."):
        services.subscriber_erase(subscriber=subscriber)
    for subscriber in Subscriber.objects.filter(state="bounced"):
        suppress_bounced(subscriber.pk, subscriber.email)


def just_before(site: Site, state: str, i: int) -> None:
    """The parts of a state that time would undo, set up right before the try.

    Pending: mailed a minute ago, so nothing new is sent (a long run would otherwise pass
    NEWSLETTER_RESEND_AFTER). Rate-limited: the mailbox used up its day through a +tag,
    over HTTP like an attacker (django-ratelimit's windows are fixed per key, and one
    used up long before could roll over in between).
    """
    from datetime import timedelta

    from django.utils import timezone

    from newsletter.models import Subscriber

    if state == "pending":
        Subscriber.objects.filter(email=address(state, i)).update(
            last_mail_at=timezone.now() - timedelta(minutes=1)
        )
    elif state == "rate-limited":
        local, domain = address(state, i).split("@")
        site.signup(f"{local}+tag@{domain}")
        settle()


def settle(timeout: float = 10.0) -> None:
    """Wait until the last request's after-the-response work is done."""
    from newsletter.models import OutboxMessage, SignupRequest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = (
            SignupRequest.objects.exists()
            or OutboxMessage.objects.filter(sent_at__isnull=True, failed_at__isnull=True).exists()
        )
        if not waiting:
            time.sleep(0.02)  # the worker returns to accept()
            return
        time.sleep(0.005)
    raise SystemExit("the signup's after-the-response work did not finish")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=200, help="tries per state (≥ 50)")
    args = parser.parse_args()
    if args.tries < 50:
        parser.error("at least 50 tries per state")

    work = Path(tempfile.mkdtemp(prefix="nspm-signup-bench."))
    smtp_port, web_port = free_port(), free_port()
    env = environment(work, smtp_port, web_port)
    reset_stores(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from newsletter.models import OutboxMessage

    smtp = subprocess.Popen(
        [
            PY,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{smtp_port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
    web = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(smtp_port, smtp, "aiosmtpd")
        wait_for_port(web_port, web, "gunicorn")
        site = Site(web_port)
        prepare(args.tries)
        for _warm_up in range(20):
            site.signup(f"warm.{secrets.token_hex(4)}@bench.example.se")
            settle()
        before = OutboxMessage.objects.count()
        timings: dict[str, list[float]] = {state: [] for state in STATES}
        mails = dict.fromkeys(STATES, 0)
        for i in range(args.tries):
            for state in random.sample(STATES, len(STATES)):
                just_before(site, state, i)
                before = OutboxMessage.objects.count()
                timings[state].append(site.signup(address(state, i)))
                settle()
                mails[state] += OutboxMessage.objects.count() - before
                before = OutboxMessage.objects.count()
    except BaseException:
        log.flush()
        print("gunicorn's log (last lines):", file=sys.stderr)
        print(*(work / "gunicorn.log").read_text().splitlines()[-30:], sep="\n", file=sys.stderr)
        raise
    finally:
        web.terminate()
        smtp.terminate()
        web.wait(timeout=30)
        smtp.wait(timeout=10)
        log.close()
        shutil.rmtree(work, ignore_errors=True)

    medians = {state: statistics.median(times) * 1000 for state, times in timings.items()}
    print(
        f"PostgreSQL {env['DATABASE_URL'].rsplit('/', 1)[1]}, cache {env['CACHE_URL']}, "
        f"gunicorn 1 sync worker; {args.tries} tries per state"
    )
    print(f"{'state':<26} {'median ms':>10} {'p10 ms':>8} {'p90 ms':>8} {'mails queued':>13}")
    for state in STATES:
        deciles = statistics.quantiles(timings[state], n=10)
        print(
            f"{state:<26} {medians[state]:>10.2f} {deciles[0] * 1000:>8.2f} "
            f"{deciles[-1] * 1000:>8.2f} {mails[state]:>13}"
        )
    spread = max(medians.values()) / min(medians.values())
    verdict = "OK" if spread <= LIMIT else "FAIL"
    print(
        f"{verdict}: the slowest median is {100 * (spread - 1):.1f} % above the fastest "
        f"(limit {100 * (LIMIT - 1):.0f} %)."
    )
    if verdict != "OK":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
