"""Every page of the site map renders in the shared layout with its real content."""

import re

import pytest
from django.urls import reverse

from pages.models import Page

SITE_MAP = [
    ("pages:home", "Stöd till yrkesverksamma mot prostitution och människohandel"),
    ("pages:about", "Om NSPM"),
    ("helpline:detail", None),
    ("contacts:list", None),
    ("nmt:index", None),
    ("newsletter:signup", None),
    ("pages:accessibility", "Tillgänglighetsredogörelse"),
    ("pages:privacy", "Personuppgifter och kakor"),
]


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "heading"), SITE_MAP)
def test_site_map_page_has_one_h1_navigation_and_footer(client, url_name, heading):
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert len(h1s(html)) == 1
    if heading:
        assert heading in h1s(html)[0]
    assert 'href="#main"' in html and '<main id="main"' in html
    assert 'aria-label="Huvudmeny"' in html
    for name, _ in SITE_MAP[:6]:
        assert f'href="{reverse(name)}"' in html
    # Footer: the helpline, the emergency numbers and the two statutory pages. The emergency
    # numbers are on every page once: in the footer, or in the helpline page's own text.
    footer = html[html.index('<footer class="site-footer">') :]
    assert "020-39 00 00" in footer
    emergency = html if url_name == "helpline:detail" else footer
    assert emergency.count('href="tel:11414"') == 1 and emergency.count('href="tel:112"') == 1
    assert html.count('href="tel:11414"') == 1
    assert reverse("pages:accessibility") in footer and reverse("pages:privacy") in footer
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert "Lämna sidan snabbt" in html


@pytest.mark.django_db
def test_about_page_carries_everything_in_seed_000(client):
    html = client.get(reverse("pages:about")).content.decode()
    for fact in [
        "sedan 2018",
        "tio medarbetare och en enhetschef",
        "utveckla samverkan mellan myndigheter och andra aktörer",
        "bistå myndigheter med metodstöd och kompetensutveckling",
        "främja utvecklingen av förebyggande insatser",
        "nationella metodstödsteamet (NMT)",
        "regionkoordinatorernas arbete",
        "det nationella stödprogrammet (NSP)",
        "återvändandeprogrammet (ÅMP)",
        "020-39 00 00",
        "114 14",
        "112",
        "var sjätte vecka",
        "nspm@jamstalldhetsmyndigheten.se",
        "fornamn.efternamn@jamstalldhetsmyndigheten.se",
        "Att förebygga och bekämpa sexuell exploatering av barn, prostitution och "
        "människohandel – så gör vi",
    ]:
        assert fact in html, fact
    # The seed's own dates, in Swedish.
    assert "16 mars 2023" in html
    assert "11 april 2024" in html


@pytest.mark.django_db
def test_brochure_is_listed_with_type_and_size_but_no_broken_link(client):
    html = client.get(reverse("pages:about")).content.decode()
    assert "(pdf, 928 kB)" in html
    assert "/dokument/sa-gor-vi/" not in html
    assert client.get(reverse("pages:document", kwargs={"slug": "sa-gor-vi"})).status_code == 404


@pytest.mark.django_db
def test_accessibility_statement_has_what_dos_lagen_requires(client):
    html = client.get(reverse("pages:accessibility")).content.decode()
    assert "delvis förenlig" in html  # compliance status
    assert "Innehåll som inte är tillgängligt" in html  # known gaps
    assert "Hur vi testat webbplatsen" in html  # how it was assessed
    assert "Senaste bedömningen gjordes den" in html  # and when
    assert "mailto:nspm@jamstalldhetsmyndigheten.se" in html  # report a barrier
    assert 'href="https://www.digg.se/' in html  # DIGG's reporting page


@pytest.mark.django_db
def test_privacy_notice_has_what_gdpr_article_13_requires(client):
    html = client.get(reverse("pages:privacy")).content.decode()
    for fact in [
        "Jämställdhetsmyndigheten är personuppgiftsansvarig",
        "dataskyddsombud",
        "Nyhetsbrevet",
        "Inloggning för redaktörer",
        "rättsliga grunden",
        "raderas efter 30 dagar",
        "Dina rättigheter",
        "Integritetsskyddsmyndigheten (IMY)",
        "csrftoken",
        "Sidor utan formulär sätter inga kakor",
        "Rensa webbläsarhistoriken",
    ]:
        assert fact in html, fact


@pytest.mark.django_db
def test_content_page_shows_published_and_updated_dates(client):
    page = Page.objects.by_slug(Page.PRIVACY)
    html = client.get(reverse("pages:privacy")).content.decode()
    assert f'<time datetime="{page.published_on:%Y-%m-%d}">' in html
    assert f'<time datetime="{page.updated_on:%Y-%m-%d}">' in html


@pytest.mark.django_db
def test_editor_text_is_rendered_safely(client):
    page = Page.objects.by_slug(Page.ABOUT)
    page.body = (
        '## Rubrik\n\n<script>alert(1)</script> [ok](https://example.se) <b onclick="x">b</b>'
    )
    page.save()
    html = client.get(reverse("pages:about")).content.decode()
    assert "<h2>Rubrik</h2>" in html
    assert "<script>alert(1)</script>" not in html
    assert "onclick" not in html
    assert '<a href="https://example.se">ok</a>' in html


@pytest.mark.django_db
def test_seeded_pages_exist_with_seed_dates():
    assert Page.objects.by_slug(Page.HELPLINE).published_on.isoformat() == "2021-11-12"
    assert Page.objects.by_slug(Page.NMT).updated_on.isoformat() == "2023-01-09"
    assert Page.objects.by_slug(Page.ABOUT).published_on.isoformat() == "2023-03-16"


@pytest.mark.django_db
def test_obvious_seed_typos_are_corrected(client):
    text = " ".join(Page.objects.values_list("body", flat=True))
    assert "Jämställdhetsmyndigheter samordnar" not in text
    assert "inom det nationellt metodstödsteamet" not in text
    assert "020-390 000" not in text


@pytest.mark.django_db
def test_robots_and_security_txt(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    for path in ("/redaktion/", "/nyhetsbrev/bekrafta/", "/nyhetsbrev/avsluta/"):
        assert f"Disallow: {path}" in robots.content.decode()
    sec = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:" in sec and "Expires: " in sec


@pytest.mark.django_db
def test_unknown_page_is_a_404_in_the_site_layout(client):
    response = client.get("/finns-inte/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Sidan hittades inte" in h1s(html)[0]
    assert "020-39 00 00" in html and 'href="tel:112"' in html
