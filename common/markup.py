"""Editor text (Markdown) to safe HTML."""

import re

import markdown
import nh3

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "a", "strong", "em", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", output_format="html")
    # Editors are trusted but their text is still cleaned: a pasted <script> or
    # inline style would break the content security policy and the layout.
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )


def render_plain(text: str) -> str:
    """Markdown source is already readable as plain text; only tidy links."""
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text or "").strip() + "\n"
