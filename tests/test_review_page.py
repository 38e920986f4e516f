import base64
import hashlib
import json
import re

from classifier.cli import cli
from classifier.inference.batch import MANIFEST, run_batch
from classifier.loop.corrections import STORE, changed_codes
from classifier.render.context import OutputContext
from classifier.render.highlight import is_form_of
from classifier.render.output import FORMATS
from classifier.render.review_page import review_page

DATA_BLOCK = re.compile(r'<script type="application/json" id="review-data">(.*?)</script>', re.S)


def page_data(html: str) -> dict:
    return json.loads(DATA_BLOCK.search(html).group(1))


def test_transcript_text_is_escaped_and_runs_nothing(markup_records, small_model):
    html = review_page(markup_records, codes=small_model.codes,
                       context=OutputContext.from_model(small_model))
    assert "<script>document.title" not in html and "<img src=x" not in html and "<b>zulke" not in html
    assert "&lt;script&gt;document.title = &#34;gehackt&#34;" in html
    assert "&lt;/script&gt;&lt;img src=x onerror=" in html
    # The JSON for the page's script cannot close its <script> element either.
    block = DATA_BLOCK.search(html).group(1)
    assert "</" not in block and "<script" not in block
    assert [p["text"] for p in json.loads(block)["paragraphs"]] == [r["text"] for r in markup_records]
    assert len(re.findall(r"<script\b", html)) == 2  # the data block and the page's own script


def test_page_is_self_contained_and_pins_its_script(markup_records, small_model):
    html = review_page(markup_records, codes=small_model.codes,
                       context=OutputContext.from_model(small_model))
    assert not re.search(r"<[a-z]+[^<>]*\s(?:src|href|action)\s*=", html, re.I)  # nothing is loaded
    assert "@import" not in html and "url(" not in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    policy = policy.replace("&#39;", "'")
    assert "default-src 'none'" in policy
    script = re.findall(r"<script>(.*?)</script>", html, re.S)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy


def test_page_shows_codes_colours_scores_and_evidence(markup_records, small_model):
    codebook = small_model.codebook
    html = review_page(markup_records, codes=small_model.codes,
                       context=OutputContext.from_model(small_model))
    for code in codebook.codes:
        assert f'[data-code="{code.id}"] {{ --c: {code.colour};' in html
        assert code.description[:40] in html
    articles = re.findall(r'<article class="para".*?</article>', html, re.S)
    assert len(articles) == len(markup_records)
    for record, article in zip(markup_records, articles):
        pressed = re.findall(r'data-code="([a-z]+)" data-model="on" aria-pressed="true"', article)
        assert pressed == [c for c in codebook.ids if c in record["codes"]]
        for code in record["codes"]:
            assert f"{record['scores'][code]:.2f}" in article
        for code, piece in re.findall(r'<mark data-code="([a-z]+)"[^>]*>([^<]+)</mark>', article):
            assert any(is_form_of(piece, lemma) for term in record["evidence"][code] for lemma in term.split())
    data = page_data(html)
    assert data["thresholds"] == {c: float(t) for c, t in zip(codebook.ids, small_model.thresholds)}
    assert data["file_stem"] == "review_markup"


def test_html_format_serves_annotate_output_and_stdout(runner, small_model_dir, data_dir, tmp_path):
    page = tmp_path / "pagina.html"
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), str(data_dir / "review_markup.txt"),
                                 str(data_dir / "teams.vtt"), "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "<title>Review: 2 transcripts</title>" in html
    assert html.count("<h2>review_markup</h2>") == 1 and html.count("<h2>teams</h2>") == 1
    assert page_data(html)["file_stem"] == "2-transcripts"
    stdout = runner.invoke(cli, ["annotate", "-q", "--model", str(small_model_dir), str(data_dir / "teams.vtt"),
                                 "--format", "html"])
    assert stdout.exit_code == 0 and stdout.stdout.startswith("<!DOCTYPE html>")
    assert len(page_data(stdout.stdout)["paragraphs"]) == 4


def test_batch_writes_one_page_per_transcript(small_model_dir, data_dir, tmp_path):
    inputs = [str(data_dir / name) for name in ("review_markup.txt", "teams.vtt", "bad_timing.vtt")]
    summary, entries = run_batch(inputs, model_dir=small_model_dir, output_dir=tmp_path / "out", fmt="html")
    assert summary.failed == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [MANIFEST, "review_markup.txt.html", "teams.vtt.html"]
    teams = (tmp_path / "out" / "teams.vtt.html").read_text(encoding="utf-8")
    assert "<title>Review: teams</title>" in teams and len(page_data(teams)["paragraphs"]) == 4
    assert FORMATS["html"].suffix == ".html"


def test_storage_key_changes_with_the_text(markup_records, small_model):
    codes = small_model.codes
    before = page_data(review_page(markup_records, codes=codes))["storage_key"]
    edited = [dict(r, text=r["text"] + " (bewerkt)") if r["index"] == 1 else r for r in markup_records]
    assert page_data(review_page(edited, codes=codes))["storage_key"] != before
    assert page_data(review_page(list(markup_records), codes=codes))["storage_key"] == before


def test_page_without_codebook_falls_back_to_plain_codes(markup_records, small_model):
    html = review_page(markup_records, codes=small_model.codes)
    assert "(no definition in the codebook)" in html and 'data-code="sturen"' in html


# In a real browser: headless Chromium through Playwright (the `browser` fixture).

def open_page(browser, url, **context_options):
    """A fresh browser context with the page loaded; every console error, page error and
    request that leaves the file is collected in `problems`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("request", lambda r: r.url.split(":")[0] not in ("file", "blob", "data")
            and page.problems.append(f"request: {r.url}"))
    page.goto(url)
    return context, page


def chip(page, index, code):
    return page.locator(f'article.para[data-key="review_markup#{index}"] button.chip[data-code="{code}"]')


def pressed(page, index, code) -> bool:
    return chip(page, index, code).get_attribute("aria-pressed") == "true"


def tab_to_first_paragraph(page) -> int:
    for presses in range(1, 30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('article.para')"):
            return presses
    raise AssertionError("Tab never reached a paragraph")


def test_review_page_in_chromium(browser, markup_records, small_model, tmp_path, screenshots, runner):
    page_file = tmp_path / "review_markup.html"
    page_file.write_text(review_page(markup_records, codes=small_model.codes,
                                     context=OutputContext.from_model(small_model)), encoding="utf-8")
    context, page = open_page(browser, page_file.as_uri(), viewport={"width": 1280, "height": 900})
    model_codes = {r["index"]: r["codes"] for r in markup_records}

    # The <script> in the transcript is text on the page and did not run.
    assert page.evaluate("window.hacked") is None and page.title() == "Review: review_markup"
    assert '<script>document.title = "gehackt"' in page.locator('article.para[data-key="review_markup#2"] .text').inner_text()

    # Keyboard only: Tab reaches a paragraph, j goes to the next, a number key toggles that code.
    tab_to_first_paragraph(page)
    assert page.evaluate("document.activeElement.dataset.key") == "review_markup#0"
    for _ in range(3):
        page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.key") == "review_markup#3"
    page.keyboard.press("3")  # the third code: communicatie
    assert pressed(page, 3, "communicatie") is ("communicatie" not in model_codes[3])
    page.keyboard.press("k")
    page.keyboard.press("c")  # paragraph 2 checked as it stands
    assert page.locator('article.para[data-key="review_markup#2"] .state').inner_text() == "checked"

    # A click toggles a code; stripes and the counter follow.
    code = "groei"
    chip(page, 1, code).click()
    assert pressed(page, 1, code) is (code not in model_codes[1])
    stripes = page.locator('article.para[data-key="review_markup#1"] .stripe').evaluate_all("s => s.map(x => x.dataset.code)")
    assert set(stripes) == set(model_codes[1]) ^ {code}
    assert page.locator("#reviewed-count").inner_text() == "3"

    # A reload keeps every change.
    page.reload()
    assert pressed(page, 1, code) is (code not in model_codes[1])
    assert pressed(page, 3, "communicatie") is ("communicatie" not in model_codes[3])
    assert page.locator("#reviewed-count").inner_text() == "3"
    states = page.locator("article.para .state").all_inner_texts()
    assert states[1] == states[3] == "corrected" and states[2] == "checked" and states[0] == ""

    # Filters.
    page.select_option("#filter", "reviewed")
    assert page.locator("article.para:visible").count() == 3
    page.select_option("#filter", "none")
    without = [i for i in range(len(markup_records))
               if not page.locator(f'article.para[data-key="review_markup#{i}"] button.chip[aria-pressed="true"]').count()]
    assert page.locator("article.para:visible").count() == len(without)
    page.select_option("#filter", "code:communicatie")
    assert page.locator("article.para:visible").count() == page.locator(
        'article.para:has(button.chip[data-code="communicatie"][aria-pressed="true"])').count()
    page.select_option("#filter", "uncertain")
    page.fill("#margin", "0.5")
    assert page.locator("article.para:visible").count() == len(markup_records)
    page.select_option("#filter", "all")

    # The download holds the three reviewed paragraphs with their labels as shown.
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "review_markup.corrections.jsonl"
    corrections = tmp_path / download.value.suggested_filename
    download.value.save_as(corrections)
    lines = [json.loads(line) for line in corrections.read_text(encoding="utf-8").splitlines()]
    assert [line["index"] for line in lines] == [1, 2, 3]
    assert set(lines[0]["labels"]) == set(model_codes[1]) ^ {code}
    assert lines[1]["labels"] == model_codes[2] and lines[1]["codes"] == model_codes[2]
    assert lines[2]["text"] == markup_records[3]["text"] and lines[2]["model"] == small_model.model_id

    # import-corrections takes the download as it is; a second import adds nothing.
    store = tmp_path / "correcties"
    imported = runner.invoke(cli, ["import-corrections", str(corrections), "--into", str(store), "--annotator", "anna"])
    assert imported.exit_code == 0, imported.output
    assert "3 rows from 1 file(s): 3 added" in imported.stdout
    stored = {r["index"]: r for r in map(json.loads, (store / STORE).read_text(encoding="utf-8").splitlines())}
    assert set(stored[1]["labels"]) == set(lines[0]["labels"]) and stored[2]["labels"] == model_codes[2]
    assert stored[1]["changed"] == changed_codes(lines[0]["labels"], model_codes[1]) and stored[1]["annotator"] == "anna"
    again = runner.invoke(cli, ["import-corrections", str(corrections), "--into", str(store), "--annotator", "anna"])
    assert "0 added, 0 replaced, 3 unchanged" in again.stdout

    shot = screenshots / "review-page.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert page.problems == []

    # Print: no controls, only the codes that are on.
    page.emulate_media(media="print")
    assert not page.locator(".tools").is_visible()
    assert page.locator(".codes li:visible").count() == page.locator('button.chip[aria-pressed="true"]').count()

    # Forgetting asks first, then clears.
    page.emulate_media(media="screen")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#forget")
    assert page.locator("#reviewed-count").inner_text() == "0"
    context.close()


def test_review_page_reads_at_200_percent_zoom(browser, markup_records, small_model, tmp_path, screenshots):
    page_file = tmp_path / "zoom.html"
    page_file.write_text(review_page(markup_records, codes=small_model.codes,
                                     context=OutputContext.from_model(small_model)), encoding="utf-8")
    # A 1280-pixel window at 200% zoom: 640 CSS pixels across, two device pixels each.
    context, page = open_page(browser, page_file.as_uri(), viewport={"width": 640, "height": 720},
                              device_scale_factor=2)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    text = page.locator("article.para .text").first.bounding_box()
    codes = page.locator("article.para .codes").first.bounding_box()
    assert codes["y"] >= text["y"] + text["height"]  # codes moved under the text
    assert text["width"] > 400
    shot = screenshots / "review-page-200.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert page.problems == []
    context.close()
