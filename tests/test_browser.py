"""The site in a real browser: Debian's chromium, headless, driven by Selenium through the system chromedriver
(nothing is downloaded). Skipped, with the reason, where chromium is not installed; .ci/run installs it."""

import shutil
import urllib.parse

import pytest


CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    # the profile and the downloads live in pytest's temporary folders, which pytest prunes: no folder is left in /tmp
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations are reported there
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def served(server):
    """The site and the endpoint, as `helsegraf serve` runs them; the query page is pointed at this endpoint."""
    return server.site_url.rstrip("/"), server.endpoint_url


@pytest.fixture(scope="module")
def small_served(one_built):
    """The speech's site, as `helsegraf serve` runs it: the same templates and scripts over a few measures, for the
    checks a page's size only slows (the corpus's table of measures is 1.7 MB, two seconds a load; its full size is
    checked by `make test-whole-site`)."""
    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port

    servers = Servers(one_built.out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=3, workers=1))
    servers.start()
    yield servers.site_url.rstrip("/"), one_built.out / "site"
    servers.stop()


def test_home_page(browser, served):
    site, _ = served
    browser.get(site + "/")
    assert browser.title.startswith("Forside")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "nb"
    links = [a.text for a in browser.find_elements("css selector", "main table a")]
    assert any(t.startswith("Meld. St. 9 (2023–2024)") for t in links)


def test_measure_page(browser, served):
    site, _ = served
    browser.get(site + "/id/meld-st-9-2023-2024/boks-3.1/1")  # content negotiation picks the HTML page
    assert browser.find_element("tag name", "h1").text == "Boks 3.1, punkt 1"
    assert "be Helsedirektoratet utrede" in browser.find_element("tag name", "blockquote").text
    marked = browser.find_elements("css selector", "pre.passage mark")
    assert len(marked) == 5
    browser.find_element("link text", "Helsedirektoratet").click()
    assert browser.find_element("tag name", "h1").text == "Helsedirektoratet"


def test_a_measure_page_traces_it_to_the_other_documents(browser, served):
    site, _ = served
    browser.get(site + "/id/meld-st-9-2023-2024/boks-3.1/19.html")  # the strategy for women's health
    section = browser.find_element("css selector", "section[aria-labelledby=spor]")
    assert "Samme tiltak" in section.text and "felles ord" in section.text
    section.find_element("partial link text", "Hurdalsplattformen").click()
    assert browser.find_element("tag name", "h1").text == "Kvinnehelse, punkt 1"
    browser.find_element("link text", "Spor").click()  # the main menu's index of document pairs
    browser.find_element("partial link text", "Hurdalsplattformen (helse og omsorg) – Meld. St. 9").click()
    headings = [h.text for h in browser.find_elements("tag name", "h2")]
    assert any(h.startswith("Samme tiltak") for h in headings) and any(h.startswith("Bare i") for h in headings)


def test_actor_page(browser, served):
    site, _ = served
    browser.get(site + "/id/aktor/de-regionale-helseforetakene.html")
    items = browser.find_elements("css selector", "main section li")
    assert len(items) >= 12 and any("får oppdrag" in li.text for li in items)


def test_keyboard_reaches_the_content_first(browser, served):
    from selenium.webdriver.common.keys import Keys

    site, _ = served
    browser.get(site + "/")
    browser.find_element("tag name", "body").send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("href").endswith("#innhold") and active.text == "Hopp til innholdet"


def test_query_page_runs_an_example_against_the_endpoint(browser, served, manifest):
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    site, endpoint = served
    browser.get(site + "/sparql.html")
    # Regression: the built page named port 7878, so a `serve` on any other port gave "Failed to fetch". The page
    # asks endpoint.json, which `serve` answers with the endpoint it runs.
    WebDriverWait(browser, 10).until(
        lambda b: b.find_element("id", "query-form").get_attribute("action") == endpoint)
    assert browser.find_element("id", "endpoint-url").text == endpoint
    example = next(a for a in browser.find_elements("css selector", "a.example") if a.text == "Dokumentene")
    example.click()
    assert "dcterms:issued" in browser.find_element("id", "query").get_attribute("value")
    browser.find_element("id", "run").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located(("id", "results-table")))
    rows = browser.find_elements("css selector", "#results-table tbody tr")
    assert len(rows) == len(manifest.documents)
    assert "Meld. St. 9 (2023–2024)" in browser.find_element("id", "results-table").text
    # the graph's own IRIs open their page on this site (w3id.org need not resolve yet)
    link = next(a for a in browser.find_elements("css selector", "#results-table a")
                if a.text == "https://w3id.org/helsegraf/id/meld-st-9-2023-2024")
    assert link.get_attribute("href") == site + "/id/meld-st-9-2023-2024.html"


def test_more_incoming_links_than_shown_open_the_query_page_with_their_query(browser, served):
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    site, endpoint = served
    browser.get(site + "/id/meld-st-9-2023-2024.html")  # thousands of resources are part of it
    browser.find_element("partial link text", "i spørresiden").click()
    query = browser.find_element("id", "query").get_attribute("value")
    assert query.startswith("SELECT ?s WHERE { ?s <") and "<https://w3id.org/helsegraf/id/meld-st-9-2023-2024>" in query
    browser.execute_script("document.getElementById('query-form').setAttribute('action', arguments[0]);", endpoint)
    browser.find_element("id", "run").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located(("id", "results-table")))
    assert len(browser.find_elements("css selector", "#results-table tbody tr")) > 50


def test_query_page_shows_hostile_results_as_text(browser, served):
    """Result IRIs and literals are data, never markup or script: only http(s) IRIs become links."""
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    site, endpoint = served
    browser.get(site + "/sparql.html")
    browser.execute_script("window.__xss = 0;")
    query = ('SELECT ?x WHERE { VALUES ?x { <javascript:window.__xss=1> <JavaScript:window.__xss=2> '
             '<data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9Mzwvc2NyaXB0Pg==> <vbscript:x> '
             '"<img src=x onerror=window.__xss=4>" "<script>window.__xss=5</script>" <https://example.org/ok> } }')
    browser.execute_script("document.getElementById('query').value = arguments[0];"
                           "document.getElementById('query-form').setAttribute('action', arguments[1]);", query, endpoint)
    browser.find_element("id", "run").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located(("id", "results-table")))
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "#results-table a")]
    assert links == ["https://example.org/ok"]
    cells = [td.text for td in browser.find_elements("css selector", "#results-table td")]
    assert "javascript:window.__xss=1" in cells and "<img src=x onerror=window.__xss=4>" in cells
    assert browser.find_elements("css selector", "#results-table img, #results-table script") == []
    for a in browser.find_elements("css selector", "#results-table td"):
        a.click()
    assert browser.execute_script("return window.__xss;") == 0


def test_pages_break_no_rule_of_the_content_security_policy(browser, served, small_served):
    """The policy forbids inline script and style; the pages (search, query and table of measures included) must
    not need them."""
    site, _ = served
    for url in (site + "/", site + "/sparql.html", site + "/sok.html", site + "/id/meld-st-9-2023-2024/boks-3.1/1.html",
                small_served[0] + "/tiltak.html"):
        browser.get(url)
        browser.get_log("browser")  # drop what came before
        browser.refresh()
        violations = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
        assert violations == [], (url, violations)


AXE = __import__("tests.repo", fromlist=["ROOT"]).ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` with npm (package.json)")
@pytest.mark.parametrize("path", [
    "/", "/id/meld-st-9-2023-2024.html", "/id/meld-st-9-2023-2024/boks-3.1/1.html", "/id/aktor/helsedirektoratet.html",
    "/id/lov/helsepersonelloven.html", "/id/enheter.html", "/sparql.html", "/ontologi/index.html",
    "/ontologi/Measure.html", "/id/meld-st-9-2023-2024/kap-3.html", "/indeks/index.html", "/indeks/hg-Actor.html",
    "/indeks/hg-Mention.html", "/indeks/hg-Mention/meld-st-9-2023-2024--kap-4-2.html",
    "/id/meld-st-9-2023-2024/linjer/1633-1637.html", "/id/helsepartiet-prinsipprogram-2017.html",
    "/spor/index.html", "/spor/hurdalsplattformen-2021-helse--meld-st-9-2023-2024.html", "/id/tema/kvinnehelse.html",
    "/id/meld-st-9-2023-2024/boks-3.1/19.html",
    "/id/meld-st-9-2023-2024/boks-3.1.html", "/id/tale-nhsp-2024/kildetekst.html", "/404.html", "/sok.html?q=helsedirektoratet",
    "/en/index.html", "/en/id/aktor/helsedirektoratet.html", "/en/id/meld-st-9-2023-2024/boks-3.1/1.html",
    "/en/sok.html?q=helsedirektoratet", "/en/ontologi/index.html",
])
def test_accessibility_no_serious_or_critical_violations(browser, served, path):
    site, _ = served
    browser.get(site + path)
    serious = [v for v in _axe(browser) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` with npm (package.json)")
@pytest.mark.parametrize("path", ["/tiltak.html", "/en/tiltak.html"])
def test_the_table_of_measures_has_no_serious_or_critical_violations(browser, small_served, path):
    """The speech's table: the template and script of the corpus's, whose 1,200 rows take axe 13 s (below)."""
    browser.get(small_served[0] + path)
    assert len(browser.find_elements("css selector", "#measure-table tbody tr")) > 5
    serious = [v for v in _axe(browser) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.whole_site
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` with npm (package.json)")
def test_the_corpus_table_of_measures_has_no_serious_or_critical_violations(browser, served):
    browser.get(served[0] + "/tiltak.html")
    serious = [v for v in _axe(browser) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` with npm (package.json)")
def test_the_accessibility_check_does_find_violations(browser):
    browser.get("data:text/html,<html><body><img src='x.png'><a href='#'></a></body></html>")
    found = {v["id"] for v in _axe(browser)}
    assert {"image-alt", "html-has-lang"} <= found


def _axe(browser) -> list[dict]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    return browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
           .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))))
           .catch(e => done([{id: "axe-error: " + e, impact: "critical", nodes: 0}]));""")


def _search(browser, url: str) -> list:
    """Open the search page at `url` (its query in the address) and wait for the results."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 20).until(lambda b: b.find_element("id", "search-status").text)
    return browser.find_elements("css selector", "#results > li")


def test_search_finds_a_measure_for_a_norwegian_word(browser, served, parsed):
    pages = {f"/id/{slug}/{i.key}.html" for slug, p in parsed.items() for i in p.items if "kvinnehelse" in i.text.lower()}
    assert pages
    site, _ = served
    results = _search(browser, site + "/sok.html?q=kvinnehelse")
    links = [li.find_element("tag name", "a").get_attribute("href") for li in results]
    assert any(urllib.parse.urlparse(h).path in pages for h in links), links
    assert browser.find_element("id", "search-mode").is_displayed() is False  # full text, through Pagefind
    # snippets without the page's furniture (regression: "· Turtle · N-Triples · JSON-LD")
    excerpts = " ".join(e.text for e in browser.find_elements("css selector", "#results .excerpt"))
    assert "kvinnehelse" in excerpts.lower()
    assert "N-Triples" not in excerpts and "JSON-LD" not in excerpts


@pytest.mark.parametrize("query, path", [
    ("LOV-1999-07-02-64", "/id/lov/helsepersonelloven.html"),  # regression (#13): a Lovdata id found another law
    ("lov 1999-07-02-64", "/id/lov/helsepersonelloven.html"),
    ("NOU 2020:13", "/id/rapport/nou-2020-13.html"),
    ("971032146", "/id/aktor/ks.html"),  # KS's organisation number
])
def test_an_exact_identifier_finds_its_resource_first(browser, served, query, path):
    site, _ = served
    _search(browser, site + "/sok.html?q=" + urllib.parse.quote(query))
    first = browser.find_element("css selector", "main a[href*='/id/'], #exact-list a")
    assert browser.find_element("id", "exact").is_displayed()
    assert urllib.parse.urlparse(first.get_attribute("href")).path == path


def test_search_results_filtered_by_type_and_document(browser, served):
    site, _ = served
    results = _search(browser, site + "/sok.html?q=fastlege&type=measure&doc=meld-st-9-2023-2024")
    assert results
    for li in results:
        assert li.find_element("class name", "note").text == "Tiltak · Meld. St. 9 (2023–2024)"
        assert "/id/meld-st-9-2023-2024/" in li.find_element("tag name", "a").get_attribute("href")
    everything = _search(browser, site + "/sok.html?q=fastlege")
    assert len({li.find_element("class name", "note").text for li in everything}) > 1  # unfiltered: of every kind


def test_search_works_opened_from_disk(browser, built):
    """Regression (#13): the search failed when the site was opened as files. From disk it searches the names,
    texts and identifiers in sok-indeks.js, and says so."""
    page = (built.out / "site" / "sok.html").resolve()
    results = _search(browser, page.as_uri() + "?q=kvinnehelse")
    assert browser.find_element("id", "search-mode").is_displayed()
    assert results and all("kvinnehelse" in li.text.lower() for li in results)
    link = results[0].find_element("tag name", "a").get_attribute("href")
    assert link.startswith("file://") and (built.out / "site" / link.split("/site/", 1)[1]).is_file()
    _search(browser, page.as_uri() + "?q=" + urllib.parse.quote("LOV-1999-07-02-64"))
    assert browser.find_element("css selector", "#exact-list a").get_attribute("href").endswith("/id/lov/helsepersonelloven.html")


def _one_page_of_every_template(built, small_served, largest: bool = False) -> list[str]:
    """The URL of a page of each template in each language: the first under LARGE bytes of the corpus's site, or
    where every one is larger (the table of measures) the speech's; with `largest`, the corpus's largest page."""
    from tests.site.sample import LARGE, pages_by_template

    site, small_url, small_site = built.out / "site", *small_served
    small = pages_by_template(small_site)
    urls = []
    for key, paths in sorted(pages_by_template(site).items()):
        if largest:
            urls.append("/" + str(max(paths, key=lambda p: p.stat().st_size).relative_to(site)))
            continue
        page = next((p for p in paths if p.stat().st_size < LARGE), None)
        urls.append("/" + str(page.relative_to(site)) if page else small_url + "/" + str(small[key][0].relative_to(small_site)))
    return urls


def _wide_pages(browser, site, urls, width, shots) -> list[tuple]:
    """The pages of `urls` (paths are of `site`) that scroll sideways at `width` px, with a screenshot of each."""
    browser.set_window_size(width, 900)
    wide = []
    try:
        for url in urls:
            browser.get(site + url if url.startswith("/") else url)
            inner = browser.execute_script("return document.documentElement.clientWidth")
            scroll = browser.execute_script("return document.documentElement.scrollWidth")
            if scroll > inner + 1:
                browser.save_screenshot(str(shots / (urllib.parse.urlsplit(url).path.strip("/").replace("/", "_") + ".png")))
                wide.append((url, scroll, inner))
    finally:
        browser.set_window_size(1280, 900)
    return wide


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser, served, small_served, built, width, tmp_path_factory):
    """Regression: at 390 px 9 of 13 page types scrolled sideways. One page of every template, at a phone's width
    and a desktop's; a screenshot of each page that does is kept (their folder is in the assertion message)."""
    shots = tmp_path_factory.mktemp(f"screenshots-{width}")
    urls = _one_page_of_every_template(built, small_served)
    assert any(not u.startswith("/") for u in urls) and len(urls) > 30
    assert _wide_pages(browser, served[0], urls, width, shots) == [], f"screenshots in {shots}"


@pytest.mark.whole_site
@pytest.mark.parametrize("width", [390, 1280])
def test_the_largest_page_of_every_template_does_not_scroll_sideways(browser, served, small_served, built, width,
                                                                     tmp_path_factory):
    shots = tmp_path_factory.mktemp(f"screenshots-largest-{width}")
    urls = _one_page_of_every_template(built, small_served, largest=True)
    assert _wide_pages(browser, served[0], urls, width, shots) == [], f"screenshots in {shots}"


def _download(browser, link, folder) -> str:
    """Click a download link as a person would and read the file the browser saved (into `folder`)."""
    import time

    name = link.get_attribute("download")
    (folder / name).unlink(missing_ok=True)
    link.click()
    for _ in range(100):
        if (folder / name).is_file() and not list(folder.glob("*.crdownload")):
            return (folder / name).read_bytes().decode("utf-8")
        time.sleep(0.1)
    raise AssertionError(f"the browser saved no {name} in {folder}")


def test_the_measure_table_filters_and_downloads_what_it_shows(browser, served, built, downloads):
    import csv
    import io

    from selenium.webdriver.support.ui import Select

    site, _ = served
    whole = (built.out / "site" / "tiltak.csv").read_bytes().decode("utf-8")
    browser.get(site + "/tiltak.html")
    actor = Select(browser.find_element("id", "f-actor"))
    actor.select_by_visible_text(next(o.text for o in actor.options if o.text.startswith("Helsedirektoratet (")))
    expected = [r for r in csv.DictReader(io.StringIO(whole, newline="")) if "Helsedirektoratet" in r["aktorer"].split(" | ")]
    status = browser.find_element("id", "shown").text
    assert status == f"Viser {len(expected)} av {whole.count(chr(10)) - 1}.", status
    assert "actor=" in browser.current_url  # the view can be linked to
    got = _download(browser, browser.find_element("id", "filtered-csv"), downloads)
    lines = whole.split("\r\n")
    # the filtered download is the whole file's header and those of its rows the filter keeps, byte for byte
    assert got.split("\r\n")[0] == lines[0]
    kept = set(got.split("\r\n")[1:-1])
    assert len(kept) == len(expected) and kept <= set(lines[1:])
    browser.find_element("id", "f-text").send_keys("utrede")
    fewer = int(browser.find_element("id", "shown").text.split()[1])
    assert 0 < fewer < len(expected)
    browser.find_element("css selector", "button[type=reset]").click()
    assert browser.find_element("id", "shown").text.startswith("Viser alle")


def test_the_measure_table_works_opened_from_disk(browser, built):
    """No server: the file itself, with a filter given in its address (a patient group with narrower groups)."""
    page = (built.out / "site" / "tiltak.html").resolve()
    browser.get(page.as_uri() + "?patient_group=patient_group%3Dhttps%3A%2F%2Fw3id.org%2Fhelsegraf%2Fid%2Fpasientgruppe%2Feldre")
    assert browser.find_element("id", "f-patient_group").get_attribute("value").endswith("/pasientgruppe/eldre")
    # the rows shown, asked of the page in one call: a call per row (is_displayed) took 12 s over the whole table
    visible = browser.execute_script(
        "return [...document.querySelectorAll('#measure-table tbody tr')].filter(tr => tr.checkVisibility())"
        ".map(tr => tr.innerText)")
    assert visible and any("skrøpelighet" in text for text in visible)
    assert browser.find_element("id", "shown").text == f"Viser {len(visible)} av " + \
        browser.find_element("id", "shown").text.rsplit(" ", 1)[1]


def test_the_english_search_page_finds_measures_and_links_to_english_pages(browser, served):
    """Pagefind's index is one, in Bokmål (the documents' language); the English page searches it and opens the
    English version of each result."""
    site, _ = served
    results = _search(browser, site + "/en/sok.html?q=kvinnehelse")
    assert results and browser.find_element("tag name", "html").get_attribute("lang") == "en"
    links = [urllib.parse.urlparse(li.find_element("tag name", "a").get_attribute("href")).path for li in results]
    assert all(p.startswith("/en/") for p in links), links
    assert any(li.find_element("class name", "note").text.startswith("Measure") for li in results)
    _search(browser, site + "/en/sok.html?q=" + urllib.parse.quote("LOV-1999-07-02-64"))
    first = browser.find_element("css selector", "#exact-list a")
    assert first.get_attribute("href").endswith("/en/id/lov/helsepersonelloven.html")


def test_the_language_switch_leads_to_the_same_resource_in_english_and_back(browser, served):
    site, _ = served
    browser.get(site + "/id/meld-st-9-2023-2024/boks-3.1/1.html")
    browser.find_element("css selector", "a.language").click()
    assert urllib.parse.urlparse(browser.current_url).path == "/en/id/meld-st-9-2023-2024/boks-3.1/1.html"
    assert browser.find_element("css selector", "h2").text == "Names"
    browser.find_element("link text", "Actors and laws").click()  # the main menu, in English
    assert urllib.parse.urlparse(browser.current_url).path == "/en/id/enheter.html"
    browser.find_element("css selector", "a.language").click()
    assert urllib.parse.urlparse(browser.current_url).path == "/id/enheter.html"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, one_built):
    """The speech's site with its search index remade in two bundles (as a site over PAGES_PER_BUNDLE pages is),
    served by `helsegraf serve`; and the bundles' pages."""
    import os

    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port
    from helsegraf.site.search_index import MARKER, index_site, plan_bundles

    out = tmp_path_factory.mktemp("bundled")
    shutil.copytree(one_built.out / "site", out / "site", copy_function=os.link,
                    ignore=shutil.ignore_patterns("pagefind*"))
    (out / "store").symlink_to(one_built.out / "store")
    marked = sorted(str(p.relative_to(out / "site")) for p in (out / "site").rglob("*.html")
                    if MARKER in p.read_bytes())
    half = (len(marked) + 1) // 2
    bundles = plan_bundles(marked, half)
    assert len(bundles) >= 2
    assert index_site(out / "site", marked, pages_per_bundle=half).bundles == len(bundles)
    servers = Servers(out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=3, workers=1))
    servers.start()
    yield servers.site_url.rstrip("/"), bundles[0], [p for b in bundles[1:] for p in b], out / "site"
    servers.stop()


def test_search_finds_pages_of_every_bundle_of_the_index(browser, bundled):
    """A page of the second bundle is found by a word no page of the first has: the search page merged it."""
    import re

    site, first, second, root = bundled
    first_text = " ".join((root / p).read_text(encoding="utf-8").lower() for p in first)

    def heading_words(path):
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", (root / path).read_text(encoding="utf-8"), re.S).group(1)
        return re.findall(r"[^\W\d_]{5,}", re.sub(r"<[^>]+>", " ", h1).lower())

    target, word = next((p, w) for p in reversed(second) for w in heading_words(p) if w not in first_text)
    results = _search(browser, site + "/sok.html?q=" + urllib.parse.quote(word))
    links = [urllib.parse.urlparse(li.find_element("tag name", "a").get_attribute("href")).path for li in results]
    assert "/" + target in links, (word, links)
    assert browser.find_element("id", "search-mode").is_displayed() is False  # full text, through Pagefind
