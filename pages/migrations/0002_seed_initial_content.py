"""The site's initial text, from NSPM's published pages (shared/seeds 000 and 002).

Runs once; a later migrate never touches what editors have changed since.
"""

from datetime import date

from django.db import migrations

START = """\
Den nationella samordningen mot prostitution och människohandel (NSPM) är en del av \
Jämställdhetsmyndigheten. Vi samordnar det nationella arbetet mot prostitution och \
människohandel för alla ändamål.

Är du yrkesverksam och misstänker människohandel, eller behöver du råd och vägledning i ett \
ärende? Ring den nationella stödtelefonen. Via stödtelefonen kan du också få hänvisning vidare \
till en regionkoordinator eller till någon annan aktör inom det nationella metodstödsteamet (NMT).
"""

ABOUT = """\
Den nationella samordningen mot prostitution och människohandel (NSPM) är en del av \
Jämställdhetsmyndigheten. Uppdraget innebär att myndigheten samordnar det nationella arbetet \
mot människohandel för alla ändamål.

Samordningsansvaret ligger på myndigheten sedan 2018 och är organiserat genom en enhet, \
Nationella samordningen mot prostitution och människohandel, med tio medarbetare och en \
enhetschef.

I uppdraget som nationell samordnare ingår att:

- utveckla samverkan mellan myndigheter och andra aktörer
- bistå myndigheter med metodstöd och kompetensutveckling
- främja utvecklingen av förebyggande insatser mot prostitution och människohandel för alla \
ändamål.

I samordningen ingår också att sammankalla det nationella metodstödsteamet (NMT), bemanna en \
stödtelefon för yrkesverksamma som möter utsatta för prostitution och människohandel samt att \
samordna och delfinansiera regionkoordinatorernas arbete.

Myndigheten finansierar även det nationella stödprogrammet (NSP) och återvändandeprogrammet (ÅMP).

## En nationell stödtelefon för yrkesverksamma

Vid misstanke om människohandel eller vid behov av råd och vägledning i ärenden kan \
yrkesverksamma ringa den nationella stödtelefon som drivs av den Nationella samordningen mot \
prostitution och människohandel vid Jämställdhetsmyndigheten.

Via stödtelefonen erbjuder vi metodstöd till kommuner, myndigheter och frivilligorganisationer \
i ärenden som rör prostitution och alla former av människohandel och människoexploatering. Du \
som yrkesverksam kan även få hänvisning vidare till en regionkoordinator eller annan aktör inom \
det nationella metodstödsteamet (NMT).

Ring stödtelefonen på: 020-39 00 00

Stödtelefonen är bemannad under kontorstid på vardagar. Vid brådskande ärenden kontakta polis \
på telefonnummer 114 14 alternativt socialjour eller motsvarande jourfunktion inom \
socialtjänsten. Vid akut fara ring 112.

## Följ oss via nyhetsbrevet

NSPM:s nyhetsbrev kommer ut var sjätte vecka och innehåller bland annat nyheter, tips på \
arrangemang, nya rapporter och aktuella kampanjer.

[Prenumerera på NSPM:s nyhetsbrev](/nyhetsbrev/)

## Kontakta NSPM

Du kan kontakta NSPM genom att mejla till \
[nspm@jamstalldhetsmyndigheten.se](mailto:nspm@jamstalldhetsmyndigheten.se).

Du når medarbetare på NSPM enligt formen: fornamn.efternamn@jamstalldhetsmyndigheten.se

## Broschyr om hur NSPM arbetar

I broschyren Att förebygga och bekämpa sexuell exploatering av barn, prostitution och \
människohandel – så gör vi beskriver vi hur NSPM samordnar arbetet mot prostitution och \
människohandel och ger stöd till yrkesverksamma.
"""

HELPLINE = """\
Kommuner, myndigheter och frivilligorganisationer som har behov av råd och vägledning i ärenden \
gällande människohandel kan kontakta Jämställdhetsmyndighetens nationella stödtelefon.

Vid misstanke om människohandel eller vid behov av råd och vägledning i ärenden kan \
yrkesverksamma ringa den nationella stödtelefon som drivs av Jämställdhetsmyndigheten. Via \
stödtelefonen erbjuds metodstöd till kommuner, myndigheter och frivilligorganisationer i ärenden \
som rör prostitution och alla former av människohandel och människoexploatering. Yrkesverksamma \
kan även få hänvisning vidare till en regionkoordinator eller annan aktör inom NMT.

Stödtelefonen är bemannad under kontorstid på vardagar. Vid brådskande ärenden kontakta polis \
på telefonnummer 114 14 alternativt socialjour eller motsvarande jourfunktion inom \
socialtjänsten. Vid akut fara ring 112.
"""

NMT = """\
Jämställdhetsmyndigheten samordnar Nationellt metodstödsteam mot prostitution och människohandel \
(NMT). Det består av representanter från myndigheter som arbetar mot prostitution, exploatering \
och människohandel. I NMT ingår Polismyndigheten, Åklagarmyndigheten, Migrationsverket, \
Skatteverket, Arbetsmiljöverket, Tullverket, länsstyrelserna samt verksamheter inom \
socialtjänst och hälso- och sjukvård.

NMT fungerar som en operativ och strategisk resurs för att utveckla och effektivisera samverkan \
i arbetet mot prostitution, exploatering och människohandel.

På webbplatsen nmtsverige.se finns mer information om NMT. Arbete pågår för att flytta över \
innehållet hit, till Jämställdhetsmyndighetens webbplats.
"""

NEWSLETTER = """\
NSPM:s nyhetsbrev kommer ut var sjätte vecka och innehåller bland annat nyheter, tips på \
arrangemang, nya rapporter och aktuella kampanjer.

Du anger bara din e-postadress. Vi skickar ett mejl med en länk som du bekräftar \
prenumerationen med, och varje nyhetsbrev har en länk för att avsluta med ett klick.
"""

ACCESSIBILITY = """\
Jämställdhetsmyndigheten står bakom den här webbplatsen för Nationella samordningen mot \
prostitution och människohandel (NSPM). Vi vill att så många som möjligt ska kunna använda \
webbplatsen. Här beskriver vi hur webbplatsen uppfyller lagen (2018:1937) om tillgänglighet \
till digital offentlig service, vilka kända brister som finns och hur du kan rapportera problem \
till oss så att vi kan åtgärda dem.

## Hur tillgänglig är webbplatsen?

Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på \
grund av de brister som beskrivs nedan.

## Vad kan du göra om du inte kan använda delar av webbplatsen?

Om du behöver innehåll från webbplatsen som inte är tillgängligt för dig, men som omfattas av \
lagen, kan du meddela oss via e-post till \
[nspm@jamstalldhetsmyndigheten.se](mailto:nspm@jamstalldhetsmyndigheten.se) eller ringa \
stödtelefonen 020-39 00 00 på vardagar. Vi svarar normalt inom två arbetsdagar.

## Rapportera brister i webbplatsens tillgänglighet

Vi strävar hela tiden efter att förbättra webbplatsens tillgänglighet. Om du upptäcker problem \
som inte beskrivs på den här sidan, eller om du anser att vi inte uppfyller lagens krav, \
[meddela oss](mailto:nspm@jamstalldhetsmyndigheten.se) så att vi får veta att problemet finns.

## Tillsyn

Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om \
tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina \
synpunkter kan du [kontakta Digg och påtala det](https://www.digg.se/analys-och-uppfoljning/lagen-om-tillganglighet-till-digital-offentlig-service-dos-lagen/anmal-bristande-tillganglighet).

## Teknisk information om webbplatsens tillgänglighet

Webbplatsen är delvis förenlig med standarden EN 301 549 och WCAG 2.1 nivå AA, på grund av de \
brister som beskrivs nedan.

### Innehåll som inte är tillgängligt

- Dokument som laddas upp som PDF, till exempel broschyrer och rapporter, kan sakna \
taggning eller alternativtexter. Behöver du innehållet i annan form kan du mejla oss.
- Kartan över regionerna på sidan om regionkoordinatorer är ett komplement. Samma uppgifter \
finns som text på sidan.
- Texter som publicerats tidigare på andra webbplatser och flyttats hit granskas \
fortlöpande av redaktionen.

## Hur vi testat webbplatsen

Vi har gjort en egen granskning av webbplatsen. Varje sida testas automatiskt vid varje \
ändring av webbplatsens kod: med verktyget axe-core i en riktig webbläsare mot WCAG 2.1 AA, med \
Nu Html Checker för korrekt kod, med tangentbord (fokusordning, synligt fokus, inga \
tangentbordsfällor), i 320 pixlars bredd och med JavaScript avstängt.

Senaste bedömningen gjordes den 23 november 2026.

Webbplatsen publicerades den 23 november 2026.

Redogörelsen uppdaterades senast den 23 november 2026.
"""

PRIVACY = """\
Här beskriver vi vilka personuppgifter webbplatsen behandlar, varför, hur länge de sparas och \
vilka rättigheter du har enligt dataskyddsförordningen (GDPR).

## Personuppgiftsansvarig

Jämställdhetsmyndigheten är personuppgiftsansvarig för behandlingen av personuppgifter på den \
här webbplatsen. Du når myndigheten via \
[nspm@jamstalldhetsmyndigheten.se](mailto:nspm@jamstalldhetsmyndigheten.se).

Myndighetens dataskyddsombud nås via \
[dataskyddsombud@jamstalldhetsmyndigheten.se](mailto:dataskyddsombud@jamstalldhetsmyndigheten.se).

## Att läsa webbplatsen

Du kan läsa alla sidor utan att lämna några uppgifter om dig själv. Vi använder inga verktyg \
för besöksstatistik, inga spårningstjänster och hämtar inget från andra webbplatser. \
Webbplatsens server sparar inte din IP-adress, din webbläsares namn eller vad du söker efter i \
sina loggar.

## Nyhetsbrevet

När du prenumererar på nyhetsbrevet sparar vi:

- din e-postadress
- när du anmälde dig och när du bekräftade anmälan
- vilken version av anmälningstexten du såg
- en förkortad IP-adress (de sista siffrorna tas bort) som bevis för bekräftelsen.

Ändamålet är att skicka nyhetsbrevet till dig. Den rättsliga grunden är ditt samtycke, som du \
när som helst kan återkalla genom att avsluta prenumerationen via länken i varje nyhetsbrev.

Anmälningar som inte bekräftas raderas efter 30 dagar. När du avslutar prenumerationen slutar \
vi skicka till dig; du kan också begära att dina uppgifter raderas helt. Efter radering sparar \
vi bara en kontrollsumma av adressen som inte kan läsas tillbaka, så att adressen inte av \
misstag läggs till igen vid en import.

Utskicken görs från myndighetens egen server. Vi mäter inte om du öppnar breven och vi \
skriver inte om länkarna.

## Inloggning för redaktörer

För myndighetens medarbetare som loggar in för att redigera webbplatsen sparar vi misslyckade \
inloggningsförsök (användarnamn, IP-adress, webbläsare och tidpunkt) för att skydda mot \
intrång. Den rättsliga grunden är myndighetens uppgift av allmänt intresse. Uppgifterna raderas \
efter 30 dagar.

## Kakor (cookies)

Sidor utan formulär sätter inga kakor och använder ingen lagring i din webbläsare.

- **csrftoken** sätts bara på sidor med ett formulär som skickar uppgifter, till exempel \
anmälan till nyhetsbrevet, bekräftelsen och avslutet. Den skyddar formuläret mot förfalskade \
anrop och innehåller inga uppgifter om dig. Den sparas i ett år.
- **sessionid** sätts bara för redaktörer som loggar in och försvinner när de loggar ut eller \
efter en arbetsdag utan aktivitet.

## Dina rättigheter

Du har rätt att få veta vilka uppgifter vi har om dig (registerutdrag), att få felaktiga \
uppgifter rättade, att få uppgifter raderade, att begränsa behandlingen och att invända mot \
den. Kontakta oss via e-post så hjälper vi dig.

Om du anser att vi behandlar dina personuppgifter felaktigt har du rätt att klaga hos \
Integritetsskyddsmyndigheten (IMY), [imy.se](https://www.imy.se/).

## Rensa webbläsarhistoriken

Om du vill att andra som använder din dator eller telefon inte ska se att du har besökt \
webbplatsen kan du rensa webbläsarens historik. Knappen "Lämna sidan snabbt" högst upp på \
varje sida tar dig direkt till en annan webbplats, men den tar inte bort historiken.

- **Chrome och Edge:** tryck Ctrl + Skift + Delete (på Mac: Cmd + Skift + Delete) och välj \
Webbhistorik.
- **Firefox:** tryck Ctrl + Skift + Delete (på Mac: Cmd + Skift + Delete) och välj \
Historik.
- **Safari på Mac och iPhone:** välj Historik och Rensa historik, eller på iPhone \
Inställningar, Safari, Rensa historik och webbplatsdata.
- **Mobilens webbläsare:** öppna menyn och välj Historik och sedan Rensa.

Du kan också använda webbläsarens privata läge (inkognito), som inte sparar någon historik.
"""

TODAY = date(2026, 11, 23)

PAGES = [
    # slug, title, description, body, published_on, updated_on
    (
        "start",
        "Stöd till yrkesverksamma mot prostitution och människohandel",
        "NSPM samordnar arbetet mot prostitution och människohandel. Ring stödtelefonen "
        "020-39 00 00 om du som yrkesverksam misstänker människohandel.",
        START,
        TODAY,
        TODAY,
    ),
    (
        "om-nspm",
        "Om NSPM",
        "Nationella samordningen mot prostitution och människohandel vid "
        "Jämställdhetsmyndigheten: uppdraget, stödtelefonen, NMT och regionkoordinatorerna.",
        ABOUT,
        date(2023, 3, 16),
        date(2024, 4, 11),
    ),
    (
        "stodtelefon",
        "Nationell stödtelefon för yrkesverksamma",
        "Stödtelefonen 020-39 00 00 ger yrkesverksamma råd och metodstöd i ärenden om "
        "prostitution och människohandel. Se om den är öppen nu.",
        HELPLINE,
        date(2021, 11, 12),
        date(2023, 1, 9),
    ),
    (
        "nmt",
        "Nationellt metodstödsteam (NMT)",
        "Nationellt metodstödsteam mot prostitution och människohandel: myndigheterna som "
        "ingår och hur yrkesverksamma når teamet.",
        NMT,
        date(2021, 11, 12),
        date(2023, 1, 9),
    ),
    (
        "nyhetsbrev",
        "NSPM:s nyhetsbrev",
        "Prenumerera på NSPM:s nyhetsbrev som kommer ut var sjätte vecka med nyheter, "
        "arrangemang, rapporter och kampanjer.",
        NEWSLETTER,
        TODAY,
        TODAY,
    ),
    (
        "tillganglighet",
        "Tillgänglighetsredogörelse",
        "Hur webbplatsen uppfyller lagen om tillgänglighet till digital offentlig service, "
        "kända brister och hur du rapporterar problem.",
        ACCESSIBILITY,
        TODAY,
        TODAY,
    ),
    (
        "personuppgifter",
        "Personuppgifter och kakor",
        "Vilka personuppgifter webbplatsen behandlar, varför och hur länge, vilka kakor som "
        "används och dina rättigheter.",
        PRIVACY,
        TODAY,
        TODAY,
    ),
]


def seed(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Document = apps.get_model("pages", "Document")
    for slug, title, description, body, published_on, updated_on in PAGES:
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "body": body,
                "published_on": published_on,
                "updated_on": updated_on,
            },
        )
    about = Page.objects.get(slug="om-nspm")
    Document.objects.get_or_create(
        slug="sa-gor-vi",
        defaults={
            "page": about,
            "title": (
                "Att förebygga och bekämpa sexuell exploatering av barn, prostitution och "
                "människohandel – så gör vi"
            ),
            # The published brochure is a 928 kB PDF; editors attach the file itself.
            "file_type": "pdf",
            "file_size": 928_000,
            "content_type": "application/pdf",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
