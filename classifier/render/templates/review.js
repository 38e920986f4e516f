// Review page behaviour: filters, toggling codes (kept in localStorage), keyboard use,
// and the download of the corrections as JSON Lines for `hnw-classifier import-corrections`.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const paragraphs = new Map(data.paragraphs.map((p) => [p.key, p]));
  const articles = Array.from(document.querySelectorAll("article.para"));
  const filter = document.getElementById("filter");
  const marginInput = document.getElementById("margin");
  let reviews = load();

  function load() {
    try {
      const stored = JSON.parse(window.localStorage.getItem(data.storage_key) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) {
      return {};  // storage blocked or damaged: start afresh rather than fail
    }
  }

  function save() {
    try {
      window.localStorage.setItem(data.storage_key, JSON.stringify(reviews));
    } catch (error) {
      announce("This browser does not keep changes: download the corrections before closing the page.");
    }
  }

  function announce(message) {
    document.getElementById("announce").textContent = message;
  }

  function currentCodes(key) {
    return reviews[key] ? reviews[key].labels : paragraphs.get(key).codes;
  }

  function ordered(codes) {
    return data.codes.filter((code) => codes.includes(code));
  }

  function show(article) {
    const key = article.dataset.key;
    const codes = currentCodes(key);
    const review = reviews[key];
    const model = paragraphs.get(key).codes;
    const changed = review && ordered(review.labels).join(" ") !== ordered(model).join(" ");
    article.querySelectorAll("button.chip").forEach((button) => {
      button.setAttribute("aria-pressed", String(codes.includes(button.dataset.code)));
    });
    const button = article.querySelector("button.checked");
    button.setAttribute("aria-pressed", String(Boolean(review)));
    button.textContent = review ? "Checked \u2713 (undo)" : "Mark as checked";
    article.classList.toggle("reviewed", Boolean(review));
    article.querySelector(".state").textContent = changed ? "corrected" : review ? "checked" : "";
    const stripes = article.querySelector(".stripes");
    stripes.replaceChildren(...ordered(codes).map((code) => {
      const stripe = document.createElement("span");
      stripe.className = "stripe";
      stripe.dataset.code = code;  // the page's style sheet colours it
      return stripe;
    }));
  }

  // Only the changed paragraph is redrawn; the filter is applied again when it is changed,
  // so a paragraph being corrected does not vanish from under the keyboard.
  function setReview(article, labels) {
    const key = article.dataset.key;
    if (labels === null) {
      delete reviews[key];
    } else {
      reviews[key] = { labels: ordered(labels), at: new Date().toISOString() };
    }
    save();
    show(article);
    countReviewed();
  }

  function toggle(article, code) {
    const key = article.dataset.key;
    const codes = currentCodes(key);
    const next = codes.includes(code) ? codes.filter((c) => c !== code) : codes.concat([code]);
    setReview(article, next);
    announce(`${data.names[code]} ${next.includes(code) ? "on" : "off"}, paragraph ${paragraphs.get(key).index}`);
  }

  function toggleChecked(article) {
    const key = article.dataset.key;
    setReview(article, reviews[key] ? null : currentCodes(key));
    announce(`paragraph ${paragraphs.get(key).index + 1} ${reviews[key] ? "checked" : "back to the model's codes"}`);
  }

  function uncertain(key) {
    const margin = Number(marginInput.value) || data.margin;
    const scores = paragraphs.get(key).scores;
    return data.codes.some((code) => Math.abs(scores[code] - data.thresholds[code]) <= margin);
  }

  function visible(key) {
    const choice = filter.value;
    if (choice === "all") return true;
    if (choice === "none") return currentCodes(key).length === 0;
    if (choice === "uncertain") return uncertain(key);
    if (choice === "reviewed") return Boolean(reviews[key]);
    return currentCodes(key).includes(choice.slice("code:".length));
  }

  function applyFilter() {
    let shown = 0;
    articles.forEach((article) => {
      article.hidden = !visible(article.dataset.key);
      if (!article.hidden) shown += 1;
    });
    document.getElementById("shown").textContent = `${shown} of ${articles.length} paragraphs shown`;
  }

  function countReviewed() {
    document.getElementById("reviewed-count").textContent = String(ownReviews().length);
  }

  // The page arrives drawn with the model's codes: only reviewed paragraphs need redrawing,
  // unless `all` (after the stored reviews changed underneath).
  function refresh(all) {
    articles.forEach((article) => {
      if (all || reviews[article.dataset.key]) show(article);
    });
    applyFilter();
    countReviewed();
  }

  function ownReviews() {
    return data.paragraphs.filter((p) => reviews[p.key]);
  }

  function correctionsFile() {
    return ownReviews().map((p) => {
      const line = {
        id: p.id, transcript: p.transcript, index: p.index, speaker: p.speaker, text: p.text,
        labels: reviews[p.key].labels, codes: p.codes, model: p.model, reviewed: reviews[p.key].at,
      };
      if (p.text_hash) line.text_hash = p.text_hash;
      return JSON.stringify(line);
    }).join("\n") + "\n";
  }

  function download() {
    if (ownReviews().length === 0) {
      announce("Nothing to download yet: switch a code, or mark a paragraph checked.");
      return;
    }
    const blob = new Blob([correctionsFile()], { type: "application/x-ndjson;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${data.file_stem}.corrections.jsonl`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function move(article, step) {
    const open = articles.filter((a) => !a.hidden);
    const next = open[open.indexOf(article) + step];
    if (next) next.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    const article = button && button.closest("article.para");
    if (!article) return;
    if (button.classList.contains("chip")) toggle(article, button.dataset.code);
    if (button.classList.contains("checked")) toggleChecked(article);
  });

  document.addEventListener("keydown", (event) => {
    const article = event.target.closest && event.target.closest("article.para");
    if (!article || event.ctrlKey || event.metaKey || event.altKey) return;
    const number = /^[1-9]$/.test(event.key) ? Number(event.key) - 1 : -1;
    if (number >= 0 && number < data.codes.length) {
      toggle(article, data.codes[number]);
    } else if (event.key === "c") {
      toggleChecked(article);
    } else if (event.key === "j" || event.key === "k") {
      move(article, event.key === "j" ? 1 : -1);
    } else {
      return;
    }
    event.preventDefault();
  });

  document.getElementById("download").addEventListener("click", download);
  document.getElementById("forget").addEventListener("click", () => {
    if (window.confirm("Forget every correction made on this page in this browser?")) {
      reviews = {};
      save();
      refresh(true);
    }
  });
  filter.addEventListener("change", applyFilter);
  marginInput.addEventListener("input", applyFilter);
  window.addEventListener("storage", (event) => {
    if (event.key === data.storage_key) {  // the same page open in another tab
      reviews = load();
      refresh(true);
    }
  });
  refresh(false);
})();
