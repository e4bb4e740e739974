/* Typo tolerance for the search page: pure functions over a word list.
 *
 * Pagefind forgives no typo. The build ships, per locale, the distinct words of
 * titles, category names, brands, tags and option values, most frequent first
 * (/search/vocabulary.<locale>.json, storefront/search_index.py). These
 * functions correct each unknown query word to the closest vocabulary word by
 * Damerau-Levenshtein distance (1 edit up to 5 letters, 2 beyond) and complete
 * the word being typed. search.js uses them as window.Storefront.spelling.
 */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu; // same tokenization as storefront/search_index.py

  function fold(word) {
    // Accents do not count as typos: "veste" and "vesté" compare equal.
    return word.normalize("NFD").replace(/\p{M}/gu, "");
  }

  function words(text) {
    return (text.toLowerCase().match(WORD) || []).filter(function (w) { return w.length >= 2; });
  }

  // Optimal-string-alignment Damerau-Levenshtein distance; gives up (returns
  // max + 1) as soon as a whole row exceeds `max`, which keeps a scan of the
  // vocabulary cheap.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prevprev = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prevprev && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, prevprev[j - 2] + 1); // transposition: "trial" -> "trail"
        }
        row.push(value);
        if (value < best) best = value;
      }
      if (best > max) return max + 1;
      prevprev = prev;
      prev = row;
    }
    return prev[b.length];
  }

  // How many edits a word of this length may need: short words are corrected
  // only for one slip, longer ones for two.
  function allowedEdits(word) {
    if (word.length < 3) return 0;
    return word.length <= 5 ? 1 : 2;
  }

  var foldedCache = new WeakMap();
  function foldedVocabulary(vocabulary) {
    var folded = foldedCache.get(vocabulary);
    if (!folded) { folded = vocabulary.map(fold); foldedCache.set(vocabulary, folded); }
    return folded;
  }

  // Plural endings the index's stemming folds away ("jackets", "chapeaux").
  var PLURAL_ENDINGS = ["s", "es", "x"];

  // A word the index can match as typed: a plural of a vocabulary word or,
  // for the word being typed, the beginning of one.
  function isKnown(folded, vocabulary, isLast) {
    return foldedVocabulary(vocabulary).some(function (known) {
      if (known.length >= 3 && folded.indexOf(known) === 0 &&
          PLURAL_ENDINGS.indexOf(folded.slice(known.length)) !== -1) return true;
      return isLast && known.indexOf(folded) === 0;
    });
  }

  // The closest vocabulary word within the allowed edits; ties go to the word
  // listed first, and the vocabulary lists the most frequent words first.
  function closestWord(folded, vocabulary) {
    var max = allowedEdits(folded);
    if (max === 0 || /\p{N}/u.test(folded)) return null;
    var candidates = foldedVocabulary(vocabulary);
    var best = null;
    var bestDistance = max + 1;
    for (var k = 0; k < candidates.length && bestDistance > 1; k++) {
      var d = distance(folded, candidates[k], max);
      if (d < bestDistance) { best = vocabulary[k]; bestDistance = d; }
    }
    return best;
  }

  // The query with each unknown word replaced by its closest vocabulary word,
  // or null when nothing needs (or can get) a correction. `indexed` holds words
  // the search index matches as typed (words of descriptions, say): never typos.
  function correctQuery(query, vocabulary, indexed) {
    var tokens = words(query);
    var changed = false;
    var corrected = tokens.map(function (token, index) {
      if (vocabulary.indexOf(token) !== -1 || (indexed && indexed.has(token))) return token;
      var folded = fold(token);
      // The same word without (or with other) accents: use the shop's spelling.
      var accented = foldedVocabulary(vocabulary).indexOf(folded);
      var replacement = accented !== -1 ? vocabulary[accented] :
        isKnown(folded, vocabulary, index === tokens.length - 1) ? token :
        closestWord(folded, vocabulary);
      if (replacement === null || replacement === token) return token;
      changed = true;
      return replacement;
    });
    return changed ? corrected.join(" ") : null;
  }

  // Completions of the word being typed, most frequent first.
  function completions(query, vocabulary, limit) {
    var tokens = words(query);
    if (!tokens.length) return [];
    var last = fold(tokens[tokens.length - 1]);
    var head = tokens.slice(0, -1).join(" ");
    var folded = foldedVocabulary(vocabulary);
    var found = [];
    for (var k = 0; k < vocabulary.length && found.length < limit; k++) {
      if (folded[k].length > last.length && folded[k].indexOf(last) === 0) {
        found.push(head ? head + " " + vocabulary[k] : vocabulary[k]);
      }
    }
    return found;
  }

  window.Storefront = window.Storefront || {};
  window.Storefront.spelling = {
    distance: distance, correctQuery: correctQuery, completions: completions, words: words, fold: fold
  };
})();
