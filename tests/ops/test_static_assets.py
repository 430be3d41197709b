"""Static files as production serves them: collectstatic with the manifest storage, served by
whitenoise with long-lived cache headers and compression; and each public page's weight on a
first visit (HTML, CSS, JS, images, compressed) under 50 KB."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.public_pages import build_public_pages

PAGE_WEIGHT_LIMIT = 50 * 1000
HASHED = re.compile(r"\.[0-9a-f]{12}\.")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic once, with production's storage, into a folder of its own."""
    root = tmp_path_factory.mktemp("static")
    prod_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=prod_storage):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture
def static_client(collected):
    # A new Client builds a new middleware chain: whitenoise scans the folder above.
    return Client()


class _Resources(HTMLParser):
    """What a browser loads on first view: stylesheets, scripts, icons, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").split()
            if {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
                self.urls.append(attrs["href"])
        elif tag in {"script", "img", "source"} and attrs.get("src"):
            self.urls.append(attrs["src"])


def _css_references(css: str, base: str) -> list[str]:
    return [
        urljoin(base, url)
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
        if not url.startswith("data:")
    ]


def test_collectstatic_writes_hashed_names_and_compressed_copies(collected):
    files = {p.relative_to(collected).as_posix() for p in collected.rglob("*") if p.is_file()}
    assert "staticfiles.json" in files
    for original in ("css/site.css", "js/site.js", "img/favicon.svg"):
        stem, suffix = original.rsplit(".", 1)
        hashed = [
            f for f in files if re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{suffix}", f)
        ]
        assert hashed, f"no hashed copy of {original}"
        assert f"{hashed[0]}.gz" in files
        assert f"{hashed[0]}.br" in files


@pytest.mark.parametrize(
    ("encoding", "expected"), [("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br", "br")]
)
def test_whitenoise_serves_hashed_files_compressed_and_immutable(
    static_client, collected, encoding, expected
):
    css = next(collected.glob("css/site.*.css"))
    response = static_client.get(
        f"/static/css/{css.name}", HTTP_ACCEPT_ENCODING=encoding, secure=True
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == expected
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= 365 * 24 * 3600
    body = b"".join(response.streaming_content)
    assert len(body) < css.stat().st_size


def test_unhashed_names_are_not_kept_for_long(static_client):
    response = static_client.get("/static/css/site.css", secure=True)
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_each_public_page_weighs_under_50_kb_compressed_on_first_view(static_client):
    pages, missing = build_public_pages()
    weighed = 0
    report = []
    for page in pages:
        if page.submit:
            continue
        response = static_client.get(page.path, secure=True)
        assert response.status_code == page.status, page.path
        html = response.content.decode()
        parser = _Resources()
        parser.feed(html)
        sizes = {page.path: len(gzip.compress(response.content))}
        queue = [urljoin(page.path, url) for url in parser.urls]
        while queue:
            url = queue.pop()
            parts = urlsplit(url)
            assert not parts.netloc, f"{page.path} loads {url} from another host"
            if url in sizes:
                continue
            assert parts.path.startswith("/static/"), f"{page.path} loads {url}"
            assert HASHED.search(parts.path), f"{url} is not a hashed static file"
            asset = static_client.get(parts.path, secure=True)
            assert asset.status_code == 200, url
            body = b"".join(asset.streaming_content)
            sizes[url] = len(gzip.compress(body))
            if parts.path.endswith(".css"):
                queue += _css_references(body.decode(), url)
        total = sum(sizes.values())
        report.append(f"{page.path}: {total} bytes gzipped ({len(sizes)} resources)")
        assert total < PAGE_WEIGHT_LIMIT, "\n".join(report)
        weighed += 1
    assert weighed >= 5, f"too few pages weighed; missing: {missing}"
