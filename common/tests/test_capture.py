"""{% capture %}: a block rendered once, used in several places, escaped exactly once."""

from django.template import engines


def render(source: str, context: dict) -> str:
    return engines["django"].from_string(source).render(context)


def test_captured_text_is_escaped_once_wherever_it_is_used():
    out = render(
        "{% load capture %}{% capture as t %} {{ name }} {% endcapture %}[{{ t }}]({{ t }})",
        {"name": "A & <B>"},
    )
    assert out == "[A &amp; &lt;B&gt;](A &amp; &lt;B&gt;)"


def test_a_block_inside_a_capture_is_overridden_by_the_child_template(tmp_path, settings):
    (tmp_path / "parent.html").write_text(
        "{% load capture %}{% capture as t %}{% block title %}standard{% endblock %}"
        '{% endcapture %}<title>{{ t }}</title><meta content="{{ t }}">'
    )
    (tmp_path / "child.html").write_text(
        '{% extends "parent.html" %}{% block title %}Barnets titel{% endblock %}'
    )
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "OPTIONS": {"builtins": [], "libraries": {"capture": "common.templatetags.capture"}},
        }
    ]
    out = engines["django"].get_template("child.html").render({})
    assert out == '<title>Barnets titel</title><meta content="Barnets titel">'
