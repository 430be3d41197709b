"""The session middleware: a session save the database fails is the 503 page (tried under
gunicorn in tests/ops/test_stalls.py); a session that is simply gone stays Django's 400."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.models import Session
from django.http import HttpResponse

from common.middleware import SessionMiddleware


@pytest.mark.django_db
def test_a_session_ended_by_a_concurrent_logout_is_still_refused_as_before(rf):
    session = SessionStore()
    session["kept"] = True
    session.create()
    request = rf.get("/redaktion/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session.session_key

    def view(request):
        request.session["seen"] = True
        Session.objects.filter(session_key=session.session_key).delete()  # logout elsewhere
        return HttpResponse("ok")

    with pytest.raises(SessionInterrupted):
        SessionMiddleware(view)(request)
