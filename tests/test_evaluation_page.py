import re

from classifier.cli import cli
from classifier.evaluation.evaluate import evaluate
from classifier.render.evaluation_page import evaluation_page, model_card_summary


def test_evaluate_adds_confusion_counts_and_confident_errors(small_model, nlp, small_corpus):
    metrics = evaluate(small_model, [small_corpus[-1]], nlp, errors=3)
    thresholds = dict(zip(small_model.codes, small_model.thresholds))
    for code, counts in metrics["confusion"].items():
        assert counts["tp"] + counts["fn"] == metrics["per_code"][code]["support"]
        assert sum(counts.values()) == metrics["paragraphs"]
        errors = metrics["errors"][code]
        assert len(errors["false_positives"]) == min(3, counts["fp"])
        assert len(errors["false_negatives"]) == min(3, counts["fn"])
        assert all(e["p"] >= thresholds[code] - 1e-4 and code not in e["labels"] for e in errors["false_positives"])
        assert all(e["p"] < thresholds[code] + 1e-4 and code in e["labels"] for e in errors["false_negatives"])
        ps = [e["p"] for e in errors["false_positives"]]
        assert ps == sorted(ps, reverse=True)
    assert metrics["split"] is None  # a file is taken whole
    assert "errors" not in evaluate(small_model, [small_corpus[-1]], nlp)


def test_report_shows_scores_confusion_errors_and_card(small_model, nlp, small_corpus):
    metrics = evaluate(small_model, [small_corpus[-1]], nlp, errors=2)
    html = evaluation_page(metrics, small_model)
    for code in small_model.codebook.codes:
        assert f'<span class="chip on" data-code="{code.id}">{code.name}</span>' in html
        for measure in ("precision", "recall", "f1"):
            assert f"{metrics['per_code'][code.id][measure]:.3f}" in html
        counts = metrics["confusion"][code.id]
        row = re.search(rf'data-code="{code.id}">{code.name}</span></th>(.*?)</tr>', html, re.S).group(1)
        assert re.findall(r'<td class="num">(\d+)</td>', row)[:4] == [str(counts[k]) for k in ("tp", "fp", "fn", "tn")]
    assert html.count('class="fill m-') == 4 * len(small_model.codebook.codes)
    some_error = next(e for per in metrics["errors"].values() for kind in per.values() for e in kind)
    assert some_error["text"][:30].replace('"', "&#34;").replace("'", "&#39;") in html
    assert small_model.model_id in html
    for label, value in model_card_summary(small_model.card):
        assert f"<dt>{label}</dt>" in html
    assert "script-src 'none'" in html.replace("&#39;", "'") and "<script" not in html


def test_negative_or_missing_kappa_draws_no_bar(small_model, nlp, small_corpus):
    metrics = evaluate(small_model, [small_corpus[-1]], nlp)
    code = small_model.codes[0]
    metrics["per_code"][code]["kappa"] = -0.2
    metrics["per_code"][small_model.codes[1]]["kappa"] = None
    html = evaluation_page(metrics, small_model)
    assert "-0.200" in html and "undefined" in html
    assert 'class="fill m-kappa" style="width: 0.0%"' in html


def test_evaluate_cli_writes_the_report(runner, small_model_dir, small_corpus, tmp_path):
    report = tmp_path / "verslag" / "report.html"
    result = runner.invoke(cli, ["evaluate", "--model", str(small_model_dir), str(small_corpus[-1]),
                                 "--html", str(report)])
    assert result.exit_code == 0, result.output
    assert "macro F1" in result.stdout and f"Report written to {report}" in result.stderr
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_in_chromium(browser, small_model, nlp, small_corpus, tmp_path, screenshots):
    report = tmp_path / "report.html"
    report.write_text(evaluation_page(evaluate(small_model, [small_corpus[-1]], nlp, errors=3), small_model),
                      encoding="utf-8")
    for name, options in (("report.png", {"viewport": {"width": 1280, "height": 900}}),
                          ("report-200.png", {"viewport": {"width": 640, "height": 720}, "device_scale_factor": 2})):
        context = browser.new_context(**options)
        page = context.new_page()
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(report.as_uri())
        assert page.locator(".code-bars").count() == len(small_model.codes)
        widths = page.locator(".fill.m-f1").evaluate_all("bars => bars.map(b => b.getBoundingClientRect().width)")
        assert any(w > 0 for w in widths)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.screenshot(path=str(screenshots / name), full_page=True)
        print(f"screenshot: {screenshots / name}")
        assert problems == []
        context.close()
