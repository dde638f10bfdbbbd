"""The web app in real Chromium (Debian's chromium + chromium-driver through selenium): the organizer, translator
and listener journeys, a conflict between two browser sessions, and axe-core on every page (no serious or
critical violation, a lang attribute, every control reachable by keyboard). Screenshots of every open browser
are kept in test-artifacts/web/ when a test fails."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from handbill.store import load_document

from .conftest import ARTIFACTS, EXAMPLE, REPO, doc_id, translation_text

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
AXE = REPO / ".test-tools" / "node_modules" / "axe-core" / "axe.min.js"
WAIT = 180  # seconds for a page state; a make runs the whole pipeline on a shared machine


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: run make test-tools (scripts/test-setup.d/20-axe-core.sh)"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def browsers(request, tmp_path):
    """A factory of headless Chromium sessions (each its own profile, so its own cookies)."""
    assert CHROMIUM.exists() and DRIVER.exists(), "chromium and chromium-driver are in the TEST apt list"
    opened = []

    def open_one() -> webdriver.Chrome:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,1000",
            f"--user-data-dir={tmp_path / f'profile-{len(opened)}'}",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
        driver.set_page_load_timeout(WAIT)
        opened.append(driver)
        return driver

    yield open_one
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, driver in enumerate(opened):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}-{index}.png"))
        driver.quit()


def wait(driver, condition, timeout=WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: condition(d))


def check_page(driver, axe_source: str) -> None:
    """axe-core finds no serious or critical violation; <html> has a lang; every control is reachable by Tab.
    The page is checked once it has loaded from the server (under load Chromium was once found still on its
    new-tab page when the check began)."""
    wait(
        driver,
        lambda d: d.current_url.startswith("http") and d.execute_script("return document.readyState") == "complete",
    )
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    assert lang in ("en", "es"), driver.current_url
    driver.execute_script(axe_source)
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(violations, list), violations
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{driver.current_url}: {bad}"
    unreachable = keyboard_unreachable(driver)
    assert not unreachable, f"{driver.current_url}: not reachable by Tab: {unreachable}"


def keyboard_unreachable(driver) -> list[str]:
    """Press Tab through the page and list the visible controls focus never reached."""
    controls = driver.execute_script("""
        const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
          .filter(e => e.type !== 'hidden' && e.offsetParent !== null && e.tabIndex >= 0 && !e.disabled);
        all.forEach((e, i) => e.dataset.kb = i);
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
        return all.length;""")
    reached = set()
    for _ in range(controls * 2 + 5):
        webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
        index = driver.execute_script("return document.activeElement && document.activeElement.dataset.kb")
        if index is not None:
            reached.add(int(index))
        if len(reached) == controls:
            break
    missing = sorted(set(range(controls)) - reached)
    return driver.execute_script(
        "return arguments[0].map(i => document.querySelector(`[data-kb='${i}']`).outerHTML.slice(0, 80));", missing
    )


@pytest.fixture(scope="module")
def web(server):
    with server.client() as client:
        yield server, client


def test_organizer_journey(web, browsers, axe_source):
    server, client = web
    driver = browsers()
    driver.get(server.url + "/")
    check_page(driver, axe_source)
    driver.find_element(By.ID, "leaflet").send_keys(str(EXAMPLE))
    driver.find_element(By.CSS_SELECTOR, "form[action='/leaflets'] button[type=submit]").click()
    wait(driver, lambda d: "/leaflets/" in d.current_url)
    assert "Eastside Tenants Union" in driver.page_source and "(en)" in driver.page_source
    check_page(driver, axe_source)
    for box in driver.find_elements(By.CSS_SELECTOR, "input[name=targets]"):
        if box.is_selected() != (box.get_attribute("value") in ("es", "fr")):
            box.send_keys(Keys.SPACE)  # by keyboard
    driver.find_element(By.CSS_SELECTOR, "input[name=formats][value=epub]").click()
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait(driver, lambda d: "/jobs/" in d.current_url)
    check_page(driver, axe_source)
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#job-results a")) == 2)
    assert not driver.find_elements(By.CSS_SELECTOR, "#job-failures li")
    check_page(driver, axe_source)
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#job-results a")]
    for link in links:
        driver.get(link)
        thumbs = driver.find_elements(By.CSS_SELECTOR, ".thumbs img")
        assert thumbs
        wait(
            driver,
            lambda d: all(
                d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", t)
                for t in d.find_elements(By.CSS_SELECTOR, ".thumbs img")
            ),
        )
        check_page(driver, axe_source)
        downloads = {
            a.get_attribute("download"): a.get_attribute("href")
            for a in driver.find_elements(By.CSS_SELECTOR, ".downloads a")
        }
        kinds = {name.rsplit(".", 1)[1] for name in downloads}
        assert {"pdf", "docx", "mp3", "epub"} <= kinds, downloads
        for name, href in downloads.items():
            body = client.get(href).content
            magic = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "epub": b"PK\x03\x04", "mp3": b"ID3"}
            assert body.startswith(magic[name.rsplit(".", 1)[1]]), name
        share = driver.find_element(By.ID, "share").get_attribute("value")
        assert re.fullmatch(re.escape(server.url) + r"/d/[0-9a-f]{12}/review", share)
        assert driver.find_elements(By.CSS_SELECTOR, "audio")


def review_url(server, client, lang="es") -> str:
    return f"{server.url}/d/{doc_id(client, lang)}/review"


def saved_state(driver, seg_id):
    return driver.find_element(By.ID, f"seg-{seg_id}").get_attribute("data-saved")


def test_translator_journey(web, browsers, axe_source):
    server, client = web
    driver = browsers()
    driver.get(review_url(server, client))
    check_page(driver, axe_source)
    items = driver.find_elements(By.CSS_SELECTOR, "li.seg")
    ids = [li.get_attribute("data-id") for li in items[:4]]
    texts = [
        "Sindicato de Inquilinos del Este, asamblea",
        "Huelga de alquiler este jueves sin falta",
        "Nuestro casero subio el alquiler otra vez",
    ]
    items[0].find_element(By.TAG_NAME, "textarea").click()
    for index, text in enumerate(texts):
        actions = webdriver.ActionChains(driver)
        actions.key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(text)
        if index < 2:
            actions.key_down(Keys.ALT).send_keys(Keys.ARROW_DOWN).key_up(Keys.ALT)
        else:
            actions.key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL)  # approve and next
        actions.perform()
    wait(driver, lambda d: all(saved_state(d, i) == "saved" for i in ids[:3]))
    assert driver.switch_to.active_element.get_attribute("id") == f"t-{ids[3]}"
    driver.refresh()
    for seg_id, text in zip(ids, texts):
        assert driver.find_element(By.ID, f"t-{seg_id}").get_property("value") == text
    classes = [driver.find_element(By.ID, f"seg-{i}").get_attribute("class") for i in ids[:3]]
    assert "status-reviewed" in classes[0] and "status-reviewed" in classes[1] and "status-approved" in classes[2]
    folder = server.data / "output" / "tenant-meeting" / "es"
    doc = load_document(folder / "document.json")
    assert [doc.segment(i).target for i in ids[:3]] == texts
    driver.find_element(By.CSS_SELECTOR, "form[action$='/render'] button").click()
    wait(driver, lambda d: "/jobs/" in d.current_url and d.find_elements(By.CSS_SELECTOR, "#job-results a"))
    text = translation_text(folder / "tenant-meeting.es.pdf")
    for edited in texts:
        assert edited in text


def test_listener_chapter_click_seeks(web, browsers, axe_source):
    server, client = web
    driver = browsers()
    driver.get(f"{server.url}/d/{doc_id(client)}/listen")
    check_page(driver, axe_source)
    section = driver.find_elements(By.CSS_SELECTOR, "section.reading")[0]
    audio = section.find_element(By.TAG_NAME, "audio")
    wait(driver, lambda d: d.execute_script("return arguments[0].readyState", audio) >= 1, 60)
    chapter = section.find_elements(By.CSS_SELECTOR, "button.chapter")[3]
    start = float(chapter.get_attribute("data-start"))
    assert start > 1
    chapter.send_keys(Keys.ENTER)  # keyboard: the chapter buttons are the page's controls
    wait(driver, lambda d: abs(d.execute_script("return arguments[0].currentTime", audio) - start) < 1.5, 30)
    assert chapter.get_attribute("aria-current") == "true"


def test_conflict_between_two_sessions(web, browsers):
    server, client = web
    first, second = browsers(), browsers()
    url = review_url(server, client)
    first.get(url)
    second.get(url)
    seg_id = first.find_elements(By.CSS_SELECTOR, "li.seg")[5].get_attribute("data-id")
    box = first.find_element(By.ID, f"t-{seg_id}")
    box.clear()
    box.send_keys("Texto de la primera persona")
    first.find_element(By.TAG_NAME, "h1").click()  # leaving the box saves at once
    wait(first, lambda d: saved_state(d, seg_id) == "saved")
    other = second.find_element(By.ID, f"t-{seg_id}")
    other.clear()
    other.send_keys("Texto de la segunda persona")
    conflict = second.find_element(By.CSS_SELECTOR, f"#seg-{seg_id} .conflict")
    wait(second, lambda d: conflict.is_displayed())
    assert "Texto de la primera persona" in conflict.text and "Texto de la segunda persona" in conflict.text
    folder = server.data / "output" / "tenant-meeting" / "es"
    assert load_document(folder / "document.json").segment(seg_id).target == "Texto de la primera persona"
    conflict.find_element(By.CSS_SELECTOR, ".keep-mine").click()
    wait(second, lambda d: saved_state(d, seg_id) == "saved")
    kept = load_document(folder / "document.json").segment(seg_id)
    assert kept.target == "Texto de la segunda persona"
    assert "Texto de la primera persona" in kept.notes, "the replaced text is kept in the segment's notes"


def test_other_pages_pass_axe_in_both_languages(web, browsers, axe_source):
    server, client = web
    driver = browsers()
    es = doc_id(client)
    for path in ("/glossary?pair=en-es", "/login", "/d/000000000000", f"/d/{es}/review?show=flagged"):
        driver.get(server.url + path)
        check_page(driver, axe_source)
    driver.get(server.url + "/lang/es?next=/glossary")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert "Glosario" in driver.find_element(By.TAG_NAME, "h1").text
    check_page(driver, axe_source)
    driver.get(f"{server.url}/d/{es}")
    check_page(driver, axe_source)
    driver.get(server.url + "/glossary?pair=en-es")
    driver.find_element(By.ID, "p-source").send_keys("tenant assembly")
    driver.find_element(By.ID, "p-target").send_keys("asamblea de inquilinos")
    driver.find_element(By.ID, "p-target").submit()
    wait(driver, lambda d: "proposed=" in d.current_url)
    assert "asamblea de inquilinos" in driver.page_source
    assert httpx.get(server.url + "/static/app.css").status_code == 200
