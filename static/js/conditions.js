// Relevance conditions in the questionnaire form.
//
// The server compiles each question's condition (survey.Expr) and renders its
// JSON form into data-relevant on the question's wrapper:
//
//   <form id="fragebogen">
//     <div data-qid="ID" data-relevant='["=",["ref","other"],"x"]'> ... </div>
//
// On DOMContentLoaded and on every input and change event in the form, the
// conditions are evaluated in document order; a question whose condition is
// false gets the hidden attribute (its inputs keep their values; the server
// ignores answers to hidden questions). A hidden question counts as
// unanswered for the conditions that refer to it, as on the server.
//
// evaluate() mirrors survey.Expr.Eval exactly; TestConditionsJSMatchesGo in
// survey/expr_test.go checks that both agree. No eval, no dependencies.
(function () {
  'use strict';

  // ---- pure evaluator (same semantics as survey/expr.go) ----

  // Value kinds: 'b' boolean, 'n' number, 's' string literal, 'a' answer
  // (an array of strings).
  function bool(v) { return { k: 'b', v: v }; }

  // evaluate returns the truth of the JSON AST node for the answers given by
  // lookup(id), which returns an array of strings (empty when unanswered).
  // A null node (no condition) is true.
  function evaluate(node, lookup) {
    if (node === null || node === undefined) return true;
    return truth(node, lookup);
  }

  function truth(node, lookup) {
    if (!Array.isArray(node)) return valueTruth(value(node, lookup));
    var i;
    switch (node[0]) {
      case 'or':
        for (i = 1; i < node.length; i++) if (truth(node[i], lookup)) return true;
        return false;
      case 'and':
        for (i = 1; i < node.length; i++) if (!truth(node[i], lookup)) return false;
        return true;
      case 'not':
        return !truth(node[1], lookup);
      case '=': case '!=': case '<': case '<=': case '>': case '>=':
        return compare(node[0], value(node[1], lookup), value(node[2], lookup));
      case 'selected':
        return hasCode(answer(lookup, node[1]), node[2]);
      default:
        return valueTruth(value(node, lookup));
    }
  }

  function value(node, lookup) {
    switch (typeof node) {
      case 'string': return { k: 's', v: node };
      case 'number': return { k: 'n', v: node };
      case 'boolean': return bool(node);
    }
    if (!Array.isArray(node)) throw new Error('conditions: bad node ' + JSON.stringify(node));
    switch (node[0]) {
      case 'ref': return { k: 'a', v: answer(lookup, node[1]) };
      case 'count-selected': return { k: 'n', v: countCodes(answer(lookup, node[1])) };
      case 'or': case 'and': case 'not': case 'selected':
      case '=': case '!=': case '<': case '<=': case '>': case '>=':
        return bool(truth(node, lookup));
    }
    throw new Error('conditions: unknown operator ' + JSON.stringify(node[0]));
  }

  function answer(lookup, id) {
    var list = lookup(id);
    return Array.isArray(list) ? list : [];
  }

  // Codes are split at spaces, as in ODK.
  function codes(list) {
    var out = [];
    list.forEach(function (v) {
      String(v).split(' ').forEach(function (c) { if (c !== '') out.push(c); });
    });
    return out;
  }
  function hasCode(list, code) { return code !== '' && codes(list).indexOf(code) >= 0; }
  function countCodes(list) { return codes(list).length; }

  function valueTruth(x) {
    switch (x.k) {
      case 'b': return x.v;
      case 'n': return x.v !== 0 && !isNaN(x.v);
      case 's': return x.v !== '';
      default: return x.v.some(function (c) { return c !== ''; });
    }
  }

  function nonEmpty(list) { return list.filter(function (c) { return c !== ''; }); }

  function text(x) {
    switch (x.k) {
      case 'b': return x.v ? 'true' : 'false';
      case 'n': return formatNumber(x.v);
      case 's': return x.v;
      default: return nonEmpty(x.v).join(' ');
    }
  }

  var NUMERIC = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

  // parseNumber returns the number in s, or null unless s matches
  // [+-]?(digits[.digits*]|.digits) like Go's parseExprNumber.
  function parseNumber(s) { return NUMERIC.test(s) ? Number(s) : null; }

  function numeric(x) {
    switch (x.k) {
      case 'n': return x.v;
      case 's': return parseNumber(x.v);
      case 'a':
        var list = nonEmpty(x.v);
        return list.length === 1 ? parseNumber(list[0]) : null;
    }
    return null;
  }

  function number(x) {
    if (x.k === 'b') return x.v ? 1 : 0;
    var n = numeric(x);
    return n === null ? NaN : n;
  }

  function ordered(op, a, b) {
    switch (op) {
      case '=': return a === b;
      case '!=': return a !== b;
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      default: return a >= b;
    }
  }

  // compareStrings orders by code point, as Go compares UTF-8 bytes.
  function compareStrings(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) return codePointKey(x) - codePointKey(y);
    }
    return a.length - b.length;
  }
  // Surrogates (supplementary code points) sort after U+E000..U+FFFF.
  function codePointKey(c) {
    if (c >= 0xD800 && c <= 0xDFFF) return c + 0x2000;
    if (c >= 0xE000) return c - 0x800;
    return c;
  }

  function compare(op, a, b) {
    var equality = op === '=' || op === '!=';
    if (a.k === 'b' || b.k === 'b') {
      if (equality) return (valueTruth(a) === valueTruth(b)) === (op === '=');
      return ordered(op, number(a), number(b));
    }
    var an = numeric(a), bn = numeric(b);
    if (equality) {
      var eq;
      if (a.k === 's' || b.k === 's') eq = text(a) === text(b);
      else if (an !== null && bn !== null) eq = an === bn;
      else if (a.k === 'n' || b.k === 'n') eq = false;
      else eq = text(a) === text(b);
      return eq === (op === '=');
    }
    if (an !== null && bn !== null) return ordered(op, an, bn);
    if (a.k === 'n' || b.k === 'n') return false;
    var as = text(a), bs = text(b);
    if (as === '' || bs === '') return false;
    return ordered(op, compareStrings(as, bs), 0);
  }

  // ---- numbers typed the German way ----

  // formatNumber writes n as Go's strconv.FormatFloat(n, 'f', -1, 64) does:
  // shortest round-trip digits, never an exponent.
  function formatNumber(n) {
    if (Object.is(n, -0)) return '-0';
    if (!isFinite(n)) return isNaN(n) ? 'NaN' : (n > 0 ? '+Inf' : '-Inf');
    var s = String(n);
    var e = s.indexOf('e');
    if (e < 0) return s;
    var sign = '';
    var mant = s.slice(0, e);
    var exp = parseInt(s.slice(e + 1), 10);
    if (mant[0] === '-') { sign = '-'; mant = mant.slice(1); }
    var dot = mant.indexOf('.');
    var digits = mant.replace('.', '');
    var point = (dot < 0 ? mant.length : dot) + exp; // position of the decimal point
    if (point <= 0) return sign + '0.' + '0'.repeat(-point) + digits;
    if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
    return sign + digits.slice(0, point) + '.' + digits.slice(point);
  }

  var GERMAN_GROUPED = /^([+-]?)([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,([0-9]+))?$/;
  var GERMAN_COMMA = /^([+-]?)([0-9]*),([0-9]+)$/;
  var PLAIN = /^[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

  // normalizeNumber turns a number typed the German way into Go's canonical
  // form, or returns null if text is not a number:
  //   "1,5" -> "1.5", "1.200" -> "1200", "1.200.000,25" -> "1200000.25",
  //   "1.5" -> "1.5", "0.125" -> "0.125" (a dot followed by exactly three
  //   digits groups thousands, except after a lone 0), "-3" -> "-3".
  function normalizeNumber(raw) {
    var s = String(raw).trim();
    var m, plain;
    if ((m = GERMAN_GROUPED.exec(s))) {
      plain = m[1] + m[2].replace(/\./g, '') + (m[3] ? '.' + m[3] : '');
    } else if ((m = GERMAN_COMMA.exec(s))) {
      plain = m[1] + (m[2] || '0') + '.' + m[3];
    } else if (PLAIN.test(s)) {
      plain = s;
    } else {
      return null;
    }
    return formatNumber(Number(plain));
  }

  // ---- reading the form ----

  // collectAnswers reads all inputs named q.ID or q.ID.ITEM and returns a Map
  // from question id to its array of values:
  //   - checkboxes and radios contribute their value when checked;
  //   - selects their selected options' values;
  //   - other inputs and textareas their trimmed value; in text inputs, a
  //     value that is a number (German or plain writing) is normalized to
  //     Go's canonical form ("1,5" -> "1.5", "1.200" -> "1200"); number
  //     inputs (whose value the browser gives as "1.2") are canonicalized;
  //   - per-item questions (q.ID.ITEM) are answered when any item is filled:
  //     their value is the sum of the items when all filled items are
  //     numbers, otherwise the list of filled values.
  function collectAnswers(form) {
    var plain = new Map();
    var items = new Map();
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var name = el.name || '';
      if (name.slice(0, 2) !== 'q.') continue;
      var rest = name.slice(2);
      var dot = rest.indexOf('.');
      var id = dot < 0 ? rest : rest.slice(0, dot);
      var target = dot < 0 ? plain : items;
      if (!target.has(id)) target.set(id, []);
      var values = target.get(id);
      var type = (el.type || '').toLowerCase();
      if (type === 'checkbox' || type === 'radio') {
        if (el.checked) values.push(el.value);
      } else if (String(el.tagName).toUpperCase() === 'SELECT') {
        for (var j = 0; j < el.options.length; j++) {
          var opt = el.options[j];
          if (opt.selected && opt.value !== '') values.push(opt.value);
        }
      } else if (type !== 'button' && type !== 'submit' && type !== 'reset' && type !== 'file') {
        var v = String(el.value || '').trim();
        if (v === '') continue;
        if (type === 'number') {
          // The browser already gives a plain number ("1.2" means 1.2).
          var f = parseNumber(v);
          if (f !== null) v = formatNumber(f);
        } else if ((type === '' || type === 'text') && String(el.tagName).toUpperCase() === 'INPUT') {
          var n = normalizeNumber(v);
          if (n !== null) v = n;
        }
        values.push(v);
      }
    }
    items.forEach(function (values, id) {
      if (plain.has(id) && plain.get(id).length > 0) return;
      var sum = 0;
      var numbers = values.every(function (v) {
        var n = parseNumber(v);
        if (n === null) return false;
        sum += n;
        return true;
      });
      plain.set(id, values.length > 0 && numbers ? [formatNumber(sum)] : values);
    });
    return plain;
  }

  // applyConditions evaluates every data-relevant condition in the form in
  // document order and sets or clears the hidden attribute. A condition that
  // cannot be read or evaluated leaves its question visible.
  function applyConditions(form) {
    var answers = collectAnswers(form);
    var wrappers = form.querySelectorAll('[data-qid]');
    var byId = new Map();
    var i;
    for (i = 0; i < wrappers.length; i++) {
      var qid = wrappers[i].getAttribute('data-qid');
      if (!byId.has(qid)) byId.set(qid, wrappers[i]);
    }
    var lookup = function (id) {
      var w = byId.get(id);
      if (w && w.hidden) return [];
      return answers.get(id) || [];
    };
    for (i = 0; i < wrappers.length; i++) {
      var w = wrappers[i];
      var src = w.getAttribute('data-relevant');
      if (src === null || src === '') continue;
      var show = true;
      try {
        show = evaluate(parsed(w, src), lookup);
      } catch (err) {
        if (typeof console !== 'undefined') console.error('conditions:', err);
      }
      if (w.hidden === show) w.hidden = !show;
    }
  }

  // parsed caches the parsed JSON per wrapper element.
  var cache = new WeakMap();
  function parsed(el, src) {
    var entry = cache.get(el);
    if (!entry || entry.src !== src) {
      entry = { src: src, ast: JSON.parse(src) };
      cache.set(el, entry);
    }
    return entry.ast;
  }

  // init wires the form with id "fragebogen" (if the page has one).
  function init() {
    var form = document.getElementById('fragebogen');
    if (!form) return;
    var run = function () { applyConditions(form); };
    form.addEventListener('input', run);
    form.addEventListener('change', run);
    run();
  }

  var api = {
    evaluate: evaluate,
    normalizeNumber: normalizeNumber,
    formatNumber: formatNumber,
    collectAnswers: collectAnswers,
    applyConditions: applyConditions
  };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else if (typeof document !== 'undefined') {
    // Scripts that change inputs programmatically (no input event) can call
    // window.bedarfConditions.applyConditions(form).
    window.bedarfConditions = api;
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', init);
    } else {
      init();
    }
  }
})();
