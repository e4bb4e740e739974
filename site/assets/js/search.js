/* Search page: results as the shopper types, suggestions, and typo tolerance.
 *
 * The index is Pagefind's static bundle (/pagefind/pagefind.js, built from the
 * catalog). Pagefind matches words and prefixes but forgives no typo, so when a
 * query word is unknown to the index, or results are few, this script corrects
 * it with spelling.js against the build-time vocabulary
 * (/search/vocabulary.<locale>.json) and searches again, saying so ("Showing
 * results for …"). Every visible string comes from the page's #i18n JSON.
 * Without JavaScript the page keeps its plain message and category links.
 */
(function () {
  "use strict";

  var FEW_RESULTS = 3; // below this, also try correcting words the index knows
  var SHOWN_RESULTS = 24;
  var SUGGESTIONS = 6;
  var spelling = window.Storefront && window.Storefront.spelling;
  if (!spelling) return; // spelling.js loads first; without it the plain page stays
  var words = spelling.words;
  var fold = spelling.fold;
  var correctQuery = spelling.correctQuery;
  var completions = spelling.completions;

  /* ---- The page ---- */

  var form = document.querySelector("[data-search-form]") ||
    document.querySelector("main form[role=search]");
  var results = document.querySelector("[data-search-results]") ||
    document.querySelector("[data-search-root]");
  if (!form || !results) return;
  var input = form.querySelector("[data-search-input]") || form.querySelector("input[name=q]");
  if (!input) return;

  var config = {};
  try { config = JSON.parse(document.getElementById("i18n").textContent); } catch (e) { config = {}; }
  var strings = config.strings || {};
  var lang = document.documentElement.lang; /* base.html always sets it */
  var locale = config.locale || lang;
  var plurals = new Intl.PluralRules(lang);

  function text(key, params) {
    var entry = strings[key];
    if (entry && typeof entry === "object") {
      entry = entry[plurals.select(params && params.count)] || entry.other;
    }
    return String(entry || key).replace(/\{(\w+)\}/g, function (_, name) {
      return params && name in params ? String(params[name]) : "";
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var suggestions = el("div", { "class": "search-suggestions chips", "data-search-suggestions": "" });
  var status = el("p", { "class": "search-status", "role": "status" });
  results.before(suggestions, status);
  // The status line announces the count; a live list of results would read out every card.
  results.removeAttribute("aria-live");
  form.setAttribute("data-search-enhanced", "");

  var vocabularyPromise = fetch("/search/vocabulary." + locale + ".json")
    .then(function (response) { return response.ok ? response.json() : { words: [], categories: [] }; })
    .catch(function () { return { words: [], categories: [] }; });
  // A large shop's index comes in shards (the vocabulary names them): each is merged
  // into the primary index at /pagefind/, and a search then covers them all.
  var pagefindPromise = Promise.all([import("/pagefind/pagefind.js"), vocabularyPromise])
    .then(function (loaded) {
      var pagefind = loaded[0];
      var shards = loaded[1].shards || [];
      return pagefind.options({ excerptLength: 18 }).then(function () {
        return Promise.all(shards.map(function (path) {
          return pagefind.mergeIndex(path, { excerptLength: 18 });
        }));
      }).then(function () { return pagefind; });
    });

  // Pagefind excerpts are HTML with <mark>; keep only text and marks.
  function excerptNodes(html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var nodes = [];
    doc.body.firstChild.childNodes.forEach(function (node) {
      nodes.push(node.nodeName === "MARK" ? el("mark", {}, [node.textContent]) :
        document.createTextNode(node.textContent));
    });
    return nodes;
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var image = meta.image ? el("img", {
      src: meta.image, alt: "", loading: "lazy", width: "96", height: "96", decoding: "async"
    }) : null;
    var link = el("a", { href: data.url, "class": "search-result-link" },
      [el("span", { "class": "search-result-title" }, [meta.title || data.url])]);
    var body = [link];
    if (meta.category) body.push(el("p", { "class": "search-result-category" }, [meta.category]));
    if (meta.price) {
      var priceClass = "search-result-price" + (meta.on_sale ? " price--sale" : "");
      body.push(el("p", { "class": priceClass }, [meta.price]));
    }
    if (data.excerpt) body.push(el("p", { "class": "search-result-excerpt" }, excerptNodes(data.excerpt)));
    var item = el("li", { "class": "search-result", "data-search-result": "" },
      image ? [image, el("div", {}, body)] : [el("div", {}, body)]);
    return item;
  }

  function suggestionButton(label, query) {
    var button = el("button", { type: "button", "class": "chip", "data-suggestion": query }, [label]);
    button.addEventListener("click", function () { input.value = query; run(query); input.focus(); });
    return button;
  }

  function showSuggestions(query, vocabulary) {
    var items = completions(query, vocabulary.words, SUGGESTIONS).map(function (q) {
      return el("li", {}, [suggestionButton(q, q)]);
    });
    var folded = fold(query.trim().toLowerCase());
    vocabulary.categories.forEach(function (category) {
      if (folded.length >= 2 && fold(category.name.toLowerCase()).indexOf(folded) !== -1) {
        items.push(el("li", {}, [el("a", { "class": "chip", href: category.url }, [category.name])]));
      }
    });
    suggestions.replaceChildren(items.length ? el("ul", { role: "list" }, items) : "");
  }

  function showNoResults(query, vocabulary) {
    status.textContent = text("search_no_results", { query: query });
    var links = vocabulary.categories.map(function (category) {
      return el("li", {}, [el("a", { "class": "chip", href: category.url }, [category.name])]);
    });
    results.replaceChildren(el("div", { "class": "chips" }, [el("ul", { role: "list" }, links)]));
  }

  // Whether an excerpt's <mark>s show `word` (or its stem: "jackets" marks "jacket"):
  // the same first letters, up to four.
  function marksWord(excerpt, word) {
    var stem = fold(word.toLowerCase()).slice(0, 4);
    return (excerpt || "").split("<mark>").slice(1).some(function (part) {
      var marked = fold(part.split("</mark>")[0].toLowerCase());
      return marked.slice(0, 4) === stem;
    });
  }

  var latest = 0;

  // Results beyond the first page load on demand: each needs its own fragment fetch.
  function addMoreButton(list, all, from, ticket) {
    if (from >= all.length) return;
    var more = el("button", { type: "button", "class": "chip search-more", "data-search-more": "" },
      [text("search_more")]);
    more.addEventListener("click", function () {
      if (more.getAttribute("aria-disabled")) return;
      more.setAttribute("aria-disabled", "true");
      var next = all.slice(from, from + SHOWN_RESULTS);
      Promise.all(next.map(function (r) { return r.data(); })).then(function (data) {
        if (ticket !== latest) return;
        var hadFocus = document.activeElement === more;
        var items = data.map(resultItem);
        more.remove();
        items.forEach(function (item) { list.append(item); });
        addMoreButton(list, all, from + next.length, ticket);
        /* The button is gone: the keyboard goes on from the first result it added. */
        var link = hadFocus && items.length ? items[0].querySelector("a") : null;
        if (link) link.focus();
      });
    });
    results.append(more);
  }

  function run(raw) {
    var query = raw.trim();
    var ticket = ++latest;
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!query) {
      status.textContent = "";
      suggestions.replaceChildren();
      results.replaceChildren();
      return Promise.resolve();
    }
    return Promise.all([pagefindPromise, vocabularyPromise]).then(function (loaded) {
      var pagefind = loaded[0];
      var vocabulary = loaded[1];
      // Pagefind drops a word it does not know and ranks by the others, so a
      // typo hides behind partial results: ask which query words the index
      // knows on their own, and correct only the others. Known means its best
      // hit marks the word: Pagefind answers some words it does not have with
      // loose matches ("merrino": every product in size M).
      var unknown = words(query).filter(function (w) { return vocabulary.words.indexOf(w) === -1; });
      return Promise.all([pagefind.search(query)].concat(unknown.map(function (w) {
        return pagefind.search(w).then(function (r) {
          if (!r.results.length) return null;
          return r.results[0].data().then(function (d) { return marksWord(d.excerpt, w) ? w : null; });
        });
      }))).then(function (answers) {
        var found = answers[0];
        var corrected = correctQuery(query, vocabulary.words, new Set(answers.slice(1)));
        var guessed = false;
        if (!corrected && found.results.length < FEW_RESULTS) {
          // Few results: a typo may be a real word elsewhere in the shop ("trial"
          // in a product story), so also correct words the index does know, but
          // keep that guess only if it finds more.
          corrected = correctQuery(query, vocabulary.words, null);
          guessed = true;
        }
        if (!corrected) return { found: found, corrected: null };
        return pagefind.search(corrected).then(function (better) {
          var wins = better.results.length > (guessed ? found.results.length : 0);
          return wins ? { found: better, corrected: corrected } : { found: found, corrected: null };
        });
      }).then(function (outcome) {
        var shown = outcome.found.results.slice(0, SHOWN_RESULTS);
        return Promise.all(shown.map(function (r) { return r.data(); })).then(function (data) {
          if (ticket !== latest) return; // a newer keystroke already answered
          showSuggestions(query, vocabulary);
          if (!data.length) { showNoResults(query, vocabulary); return; }
          var count = text("search_results", { count: outcome.found.results.length });
          if (outcome.corrected) {
            status.replaceChildren(
              text("search_showing_results_for", { query: outcome.corrected }) + " ",
              el("span", { "class": "search-count" }, ["(" + count + ")"]));
            status.setAttribute("data-corrected", outcome.corrected);
          } else {
            status.textContent = count;
            status.removeAttribute("data-corrected");
          }
          var list = el("ol", { role: "list", "class": "search-result-list" }, data.map(resultItem));
          results.replaceChildren(list);
          addMoreButton(list, outcome.found.results, shown.length, ticket);
        });
      });
    }).catch(function () {
      if (ticket === latest) status.textContent = text("error_generic");
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run(input.value);
  });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  if (initial) { input.value = initial; run(initial); }
})();
