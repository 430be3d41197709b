"""Benchmark (not a test): send an issue to many subscribers through a local SMTP server.

    .venv/bin/python bench/newsletter_send.py [--sizes 2000,10000]

Starts aiosmtpd (a discarding "Sink" server) in its own process on a free loopback port,
creates a throw-away database (test_<name> of DATABASE_URL, default PostgreSQL
nspm_newsletter), and for each size:

- sends one issue with `newsletter.services.issue_send` (rate 0: as fast as possible),
  each batch of deliveries committed as in flight before and recorded after its SMTP
  transactions (NEWSLETTER_SEND_BATCH, default 100);
- sends the same messages (the same bytes, one per subscriber) with a bare smtplib loop
  over one connection to the same server, just before and just after, and takes the
  faster of the two as the ceiling;
- measures the sender's peak Python memory with tracemalloc in a second run.

Goal: issue_send at >= 0.5x the bare loop, and memory that does not grow with the number
of subscribers (the sender pages through deliveries by id and never holds the whole list).
Exits 1 when either fails.
"""

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nspm_portal.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nspm_newsletter_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As in production: with DEBUG on, Django keeps every query in memory (up to 9,000), which
# would make the memory figure grow with the list for a reason production does not have.
os.environ.setdefault("DEBUG", "false")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("aiosmtpd did not start")


def bare_smtplib(port: int, messages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("nspm@example.org", [to], data)
    return len(messages) / (time.perf_counter() - started)


def same_messages(services, issue, subscribers) -> list[tuple[str, bytes]]:
    """What issue_send sent, built beforehand so the loop times nothing but SMTP."""
    mail = services.issue_mail(issue)
    links = services.mail.leave_links()
    messages = []
    for subscriber in subscribers:
        link, one_click = links.for_subscriber(subscriber)
        data = mail.for_recipient(
            to=subscriber.email,
            message_id=f"<bench.{subscriber.pk}@example.org>",
            link=link,
            one_click=one_click,
        )
        messages.append((subscriber.email, data))
    return messages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    port = free_port()
    smtp = start_smtp(port)
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from newsletter import services
    from newsletter.models import Delivery, Issue, Subscriber

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    results = []
    try:
        for size in sizes:
            for label in ("time", "memory"):
                Delivery.objects.all().delete()
                Issue.objects.all().delete()
                Subscriber.objects.all().delete()
                Subscriber.objects.bulk_create(
                    [Subscriber(email=f"p{i}@example.org", state="confirmed") for i in range(size)],
                    batch_size=2000,
                )
                issue = Issue.objects.create(
                    number=1,
                    subject="Benchmark",
                    body="## Nyheter\n\n" + "Ett stycke text om arbetet mot människohandel. " * 30,
                    state=Issue.State.SCHEDULED,
                    send_at=timezone.now(),
                )
                if label == "memory":
                    tracemalloc.start()
                    tracemalloc.reset_peak()
                else:
                    messages = same_messages(services, issue, Subscriber.objects.order_by("pk"))
                    bare_before = bare_smtplib(port, messages)
                started = time.perf_counter()
                report = services.issue_send(issue_id=issue.pk, rate=0)
                elapsed = time.perf_counter() - started
                if label == "memory":
                    _current, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    results[-1]["peak_kib"] = peak / 1024
                    continue
                assert report.sent == size, report
                # The ceiling: the faster of a bare loop just before and just after, so a
                # busy moment of a shared machine cannot flatter the sender.
                bare = max(bare_before, bare_smtplib(port, messages))
                results.append(
                    {
                        "size": size,
                        "rate": size / elapsed,
                        "bare": bare,
                        "bytes": len(messages[0][1]),
                    }
                )
                del messages
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        smtp.terminate()
        smtp.wait(timeout=10)

    print(f"Database: {connection.vendor}; SMTP: aiosmtpd Sink on 127.0.0.1:{port}")
    # Both loops wait on the server four times per mail; on a busy machine every wait
    # costs a scheduling delay, so the load is part of the result.
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(
        f"{'subscribers':>12} {'issue_send msg/s':>17} {'bare smtplib msg/s':>19} "
        f"{'ratio':>6} {'peak memory (KiB)':>18}"
    )
    for r in results:
        print(
            f"{r['size']:>12} {r['rate']:>17.0f} {r['bare']:>19.0f} "
            f"{r['rate'] / r['bare']:>6.2f} {r['peak_kib']:>18.0f}"
        )
    failures = []
    slowest = min(r["rate"] / r["bare"] for r in results)
    print(f"Slowest ratio to the bare loop: {slowest:.2f} (goal: at least 0.50).")
    if slowest < 0.5:
        failures.append("issue_send is slower than half the bare smtplib loop")
    if len(results) > 1:
        growth = results[-1]["peak_kib"] / results[0]["peak_kib"]
        scale = results[-1]["size"] / results[0]["size"]
        print(f"Peak memory grew {growth:.2f}x for {scale:.0f}x the subscribers.")
        if growth > 1.5:
            failures.append("memory grows with the number of subscribers")
    if failures:
        raise SystemExit("; ".join(failures))


if __name__ == "__main__":
    main()
