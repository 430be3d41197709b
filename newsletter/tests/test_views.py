"""The signup's mail leaves after the answer, through the response's public close()."""

import pytest
from django.test import RequestFactory

from newsletter import views

pytestmark = pytest.mark.django_db


def test_signup_answers_first_and_mails_when_the_server_closes_the_response(smtp_server):
    request = RequestFactory().post(
        "/nyhetsbrev/", {"email": "ny@example.org", "website": ""}, REMOTE_ADDR="192.0.2.44"
    )
    response = views.signup(request)
    assert response.status_code == 302
    b"".join(response)  # the server sends the whole answer...
    assert smtp_server.messages == []  # ...and nothing has been mailed yet
    response.close()  # what the server does once the answer is out
    assert smtp_server.wait_for(1) == 1
    assert smtp_server.messages[0]["To"] == "ny@example.org"
