"""The key holds only the query parameters the view reads, as the view reads them: the same
answer whatever their order, and unknown parameters neither add entries nor miss."""

import pytest

from pagecache.keys import canonical_params

pytestmark = pytest.mark.django_db


def test_query_strings_are_normalised_and_kept_apart(client, views, no_next_change):
    a = client.get("/plain/?b=2&a=1")
    b = client.get("/plain/?a=1&b=2")
    assert views["count"] == 1
    assert a.content == b.content
    c = client.get("/plain/?a=1&b=3")
    assert views["count"] == 2
    assert c.content != a.content


def test_a_repeated_parameter_is_keyed_by_the_value_the_view_uses(client, views, no_next_change):
    lund_last = client.get("/lookup/?kommun=Ume%C3%A5&kommun=Lund").content.decode()
    umea_last = client.get("/lookup/?kommun=Lund&kommun=Ume%C3%A5").content.decode()
    assert views["count"] == 2
    assert lund_last.startswith("kommun=Lund")
    assert umea_last.startswith("kommun=Umeå")
    # The same last value in another company is the same page.
    again = client.get("/lookup/?kommun=Malm%C3%B6&kommun=Lund").content.decode()
    assert again == lund_last
    assert views["count"] == 2


@pytest.mark.parametrize(
    "query", ["?utm_source=nyhetsbrev", "?x=2", "?fbclid=abc&y=", "?KOMMUN=Lund", "?kommun[]=1"]
)
def test_unknown_parameters_are_served_the_stored_page(client, views, no_next_change, query):
    plain = client.get("/lookup/")
    other = client.get(f"/lookup/{query}")
    assert views["count"] == 1
    assert other.content == plain.content


def test_the_view_sees_only_the_parameters_it_declared(client, views, no_next_change):
    body = client.get("/lookup/?kommun=Lund&utm_source=x&kommun=Lund").content.decode()
    assert body == "kommun=Lund seen=['kommun']"
    # A view that declared none sees an empty query: its forms stay unbound.
    assert client.get("/no-params/?q=hej").content == b"bound=False"


def test_an_empty_value_is_not_the_same_as_no_parameter(client, views, no_next_change):
    client.get("/lookup/")
    client.get("/lookup/?kommun=")
    assert views["count"] == 2


def test_canonical_params_takes_the_last_value_of_each_declared_name():
    from django.http import QueryDict

    query = QueryDict("b=1&a=2&b=3&z=9")
    assert canonical_params(query, ("a", "b")) == [("a", "2"), ("b", "3")]
    assert canonical_params(query, ()) == []


def test_params_must_be_a_list_of_names():
    from pagecache import cache_public_page

    with pytest.raises(TypeError):
        cache_public_page(params="kommun")
