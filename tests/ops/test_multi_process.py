"""Two app servers behind one load balancer behave like one: rate limits and the page cache
live in Redis, the data in PostgreSQL, nothing that matters in a process's memory."""

import pytest
from django.urls import reverse

from tests.ops.servers import REDIS_URL, Server, csrf_form, flush_redis, manage

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

RATE = 3


@pytest.fixture(scope="module")
def servers(ops_site):
    flush_redis(REDIS_URL)
    env = ops_site.env(NEWSLETTER_RATE_PER_IP=f"{RATE}/h")
    a = Server(env, ops_site.tmp / "a.log")
    b = Server(env, ops_site.tmp / "b.log")
    try:
        a.start()
        b.start()
        yield a, b, env
    finally:
        a.stop()
        b.stop()


def _shell(env, code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).strip()


def _subscribers(env) -> int:
    return int(
        _shell(env, "from newsletter.models import Subscriber; print(Subscriber.objects.count())")
    )


def test_a_rate_limit_reached_on_one_server_holds_on_the_other(servers):
    a, b, env = servers
    path = reverse("newsletter:signup")
    before = _subscribers(env)
    cookies, token = csrf_form(a, path)

    for number in range(RATE):
        answer = a.request(
            "POST",
            path,
            cookies=cookies,
            form={"email": f"person{number}@example.se", "csrfmiddlewaretoken": token},
        )
        assert answer.status == 302, answer.body[:500]
    assert _subscribers(env) == before + RATE

    # Server B has never seen this visitor; the counter it reads is the shared one.
    blocked = b.request(
        "POST",
        path,
        cookies=cookies,
        form={"email": "one-more@example.se", "csrfmiddlewaretoken": token},
    )
    assert blocked.status == 302  # looks the same to the sender ...
    assert _subscribers(env) == before + RATE  # ... and nothing was stored


def test_an_editors_save_on_one_process_refreshes_the_page_on_every_server(servers):
    a, b, env = servers
    path = reverse("pages:about")
    original = b.get(path)
    assert original.status == 200
    assert a.get(path).body == original.body  # stored once, shared by both

    # A change that bypasses the model (no signal): the servers keep serving the stored
    # page, which shows they really answer from the cache.
    _shell(
        env,
        "from pages.models import Page; Page.objects.filter(slug='om-nspm').update(title='Utan signal')",
    )
    assert "Utan signal" not in b.get(path).body
    assert "Utan signal" not in a.get(path).body

    # An editor's save, in a third process (as the admin on another server would).
    _shell(
        env,
        "from pages.models import Page; p = Page.objects.get(slug='om-nspm'); "
        "p.title = 'Redaktörens rubrik'; p.save()",
    )
    assert "<h1>Redaktörens rubrik</h1>" in b.get(path).body
    assert "<h1>Redaktörens rubrik</h1>" in a.get(path).body


def test_sessions_are_not_kept_in_process_memory(servers):
    # A CSRF cookie from server A is accepted by server B: the secret is shared
    # configuration, and nothing about the visitor lives in A's memory.
    a, b, _env = servers
    path = reverse("newsletter:signup")
    cookies, token = csrf_form(a, path)
    answer = b.request(
        "POST", path, cookies=cookies, form={"email": "", "csrfmiddlewaretoken": token}
    )
    assert answer.status == 200  # the form again, with an error: not a CSRF refusal (403)
    assert "Fel: " in answer.body
