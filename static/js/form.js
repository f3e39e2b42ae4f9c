// Progressive enhancement for the questionnaire and the login: move focus to
// the error summary (or the login error) so screen readers announce it, let
// the summary's links bring the whole question into view, warn before
// leaving with unsaved changes, and save drafts of the Kommune's form in
// the background. The pages work without this script.
(function () {
  'use strict';
  function init() {
    var summary = document.getElementById('fehlerliste') || document.getElementById('login-fehler');
    if (summary) { summary.focus(); }
    // A link of the summary (also one shown after a background save) to a
    // field focuses it and scrolls its question (with the label or legend)
    // into view, not only the input itself.
    document.addEventListener('click', function (e) {
      var box = e.target.closest ? e.target.closest('#fehlerliste, #login-fehler') : null;
      var link = box ? e.target.closest('a[href^="#"]') : null;
      var field = link ? document.getElementById(link.getAttribute('href').slice(1)) : null;
      if (!field) { return; }
      e.preventDefault();
      var question = field.closest('.question') || field;
      question.scrollIntoView();
      field.focus({ preventScroll: true });
    });
    var form = document.getElementById('fragebogen');
    if (!form) { return; }
    // edits counts changes; saved is the count the stored state includes.
    var edits = 0, saved = 0;
    form.addEventListener('input', function () { edits++; });
    form.addEventListener('change', function () { edits++; });
    form.addEventListener('submit', function () { saved = edits; });
    window.addEventListener('beforeunload', function (e) {
      if (edits !== saved) { e.preventDefault(); e.returnValue = ''; }
    });
    autosave(form, function (n) { saved = n; }, function () { return edits; });
  }

  // ---- "Zwischenspeichern" in the background ----
  //
  // The Kommune's form (action /fragebogen) sends a draft save to
  // /fragebogen/zwischenspeichern and gets a small JSON answer (web's
  // autosaveReply): the new revision, status, "last saved" line, notice,
  // messages and the values the merge took from a colleague, which are
  // written into their fields (else the next save would undo them; where
  // that is not possible, the page is loaded again from the server, which
  // shows the stored state). Every text comes from the server in the
  // page's language. Any other answer (a conflict, a lost session, a
  // closed round, a full disk, no connection) sends the form again in full,
  // and the server's page keeps what was typed. "Absenden" and the
  // conflict view always send the form in full.
  function autosave(form, markSaved, editCount) {
    if (form.getAttribute('action') !== '/fragebogen' || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
    var button = form.querySelector('button[name="aktion"][value="speichern"]');
    if (!button) { return; }
    var live = document.createElement('div');
    live.id = 'speicherstatus';
    live.className = 'visually-hidden';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    form.parentNode.insertBefore(live, form);
    var inFull = false, busy = false;

    function sendInFull() {
      inFull = true;
      if (form.requestSubmit) {
        form.requestSubmit(button);
        return;
      }
      var action = document.createElement('input');
      action.type = 'hidden';
      action.name = 'aktion';
      action.value = 'speichern';
      form.appendChild(action);
      markSaved(editCount());
      form.submit();
    }

    form.addEventListener('submit', function (e) {
      if (inFull || e.submitter !== button || form.querySelector('input[name="konflikte"]')) { return; }
      e.preventDefault();
      e.stopImmediatePropagation();
      if (busy) { return; }
      busy = true;
      button.setAttribute('aria-disabled', 'true');
      var sent = editCount();
      var data = new FormData(form);
      data.append('aktion', 'speichern');
      fetch('/fragebogen/zwischenspeichern', {
        method: 'POST', body: new URLSearchParams(data), credentials: 'same-origin',
        headers: { 'Accept': 'application/json' }
      }).then(function (res) {
        var type = res.headers.get('Content-Type') || '';
        if (!res.ok || type.indexOf('application/json') !== 0) { throw new Error('background save: ' + res.status); }
        return res.json();
      }).then(function (reply) {
        busy = false;
        button.removeAttribute('aria-disabled');
        if (!apply(form, reply, live)) {
          markSaved(editCount());
          window.location.assign('/fragebogen');
          return;
        }
        markSaved(sent);
      }).catch(function () {
        busy = false;
        button.removeAttribute('aria-disabled');
        sendInFull();
      });
    }, true);
  }

  // apply shows a background save's answer on the page; false when a
  // colleague's value cannot be written into its field.
  function apply(form, reply, live) {
    form.elements.revision.value = String(reply.revision);
    var ok = true;
    Object.keys(reply.merged || {}).forEach(function (name) {
      if (!writeField(form, name, reply.merged[name])) { ok = false; }
    });
    if (!ok) { return false; }
    if (window.bedarfConditions) { window.bedarfConditions.applyConditions(form); }
    clearMessages(form);
    (reply.questions || []).forEach(function (q) { showMessages(q); });
    var status = document.querySelector('.meta .status');
    if (status) {
      status.className = 'status status-' + reply.status;
      status.textContent = reply.statusLabel;
    }
    showSaved(reply);
    var notice = showNotice(form, reply);
    var summary = showSummary(notice, reply);
    live.textContent = '';
    window.setTimeout(function () {
      live.textContent = reply.notice + (reply.valid ? '' : ' ' + reply.errorsTitle);
    }, 50);
    if (summary) { summary.focus(); }
    return true;
  }

  // writeField sets the inputs named name to values: false when they are
  // not inputs whose value the page can set exactly.
  function writeField(form, name, values) {
    var inputs = [];
    for (var i = 0; i < form.elements.length; i++) {
      if (form.elements[i].name === name) { inputs.push(form.elements[i]); }
    }
    if (inputs.length === 0) { return false; }
    var type = (inputs[0].type || '').toLowerCase();
    if (type === 'radio' || type === 'checkbox') {
      var found = 0;
      inputs.forEach(function (el) {
        el.checked = values.indexOf(el.value) >= 0;
        if (el.checked) { found++; }
      });
      return found === values.length && (type === 'checkbox' || values.length <= 1);
    }
    var el = inputs[0];
    var tag = String(el.tagName).toUpperCase();
    if (inputs.length !== 1 || values.length > 1 || (tag !== 'TEXTAREA' && tag !== 'INPUT')) { return false; }
    el.value = values.length ? values[0] : '';
    return el.value === (values.length ? values[0] : '');
  }

  function element(tag, className, id, text) {
    var el = document.createElement(tag);
    el.className = className;
    if (id) { el.id = id; }
    el.textContent = text;
    return el;
  }

  function describedBy(el, id, add) {
    var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (x) {
      return x !== '' && x !== id && x.indexOf('fehler-') !== 0;
    });
    if (add) { ids.push(id); }
    if (ids.length) { el.setAttribute('aria-describedby', ids.join(' ')); } else { el.removeAttribute('aria-describedby'); }
  }

  // clearMessages removes every message at the form's fields.
  function clearMessages(form) {
    var list = form.querySelectorAll('.field-error');
    for (var i = 0; i < list.length; i++) { list[i].parentNode.removeChild(list[i]); }
    list = form.querySelectorAll('.has-error');
    for (i = 0; i < list.length; i++) { list[i].classList.remove('has-error'); }
    list = form.querySelectorAll('[aria-invalid]');
    for (i = 0; i < list.length; i++) { list[i].removeAttribute('aria-invalid'); }
    list = form.querySelectorAll('[aria-describedby]');
    for (i = 0; i < list.length; i++) { describedBy(list[i], '', false); }
  }

  // showMessages puts a question's messages where the page puts them.
  function showMessages(q) {
    var wrap = document.getElementById('frage-' + q.id);
    if (!wrap) { return; }
    var fieldset = wrap.querySelector('fieldset');
    if (q.error) {
      wrap.classList.add('has-error');
      var p = element('p', 'field-error', 'fehler-' + q.id, q.error);
      if (fieldset) {
        describedBy(fieldset, p.id, true);
        if (fieldset.querySelector('.matrix, .item')) {
          var help = fieldset.querySelector('.help');
          var after = help || fieldset.querySelector('legend');
          after.parentNode.insertBefore(p, after.nextSibling);
        } else {
          wrap.appendChild(p);
        }
      } else {
        var input = wrap.querySelector('input, textarea');
        if (input) {
          var place = input.closest('.with-unit') || input;
          place.parentNode.insertBefore(p, place);
          input.setAttribute('aria-invalid', 'true');
          describedBy(input, p.id, true);
        }
      }
    }
    (q.items || []).forEach(function (it) {
      var id = 'fehler-' + q.id + '-' + it.code;
      var row = document.getElementById('zeile-' + q.id + '-' + it.code);
      if (row) { // a matrix row
        row.parentNode.classList.add('has-error');
        row.appendChild(element('span', 'field-error', id, it.error));
        var radios = row.parentNode.querySelectorAll('input');
        for (var i = 0; i < radios.length; i++) { describedBy(radios[i], id, true); }
        return;
      }
      var input = document.getElementById('f-' + q.id + '-' + it.code);
      if (!input) { return; }
      var item = input.closest('.item');
      if (item) { item.classList.add('has-error'); }
      var place = input.closest('.with-unit') || input;
      place.parentNode.insertBefore(element('p', 'field-error', id, it.error), place);
      input.setAttribute('aria-invalid', 'true');
      describedBy(input, id, true);
    });
  }

  // showSaved updates the "last saved" line of the page's head.
  function showSaved(reply) {
    var meta = document.querySelector('dl.meta');
    if (!meta) { return; }
    var terms = meta.querySelectorAll('dt');
    for (var i = 0; i < terms.length; i++) {
      if (terms[i].textContent === reply.savedLabel && terms[i].nextElementSibling) {
        terms[i].nextElementSibling.innerHTML = reply.savedHTML;
        return;
      }
    }
    var row = document.createElement('div');
    row.appendChild(element('dt', '', '', reply.savedLabel));
    var dd = document.createElement('dd');
    dd.innerHTML = reply.savedHTML;
    row.appendChild(dd);
    meta.appendChild(row);
  }

  // showNotice replaces the notice of the last save before the form.
  function showNotice(form, reply) {
    var parent = form.parentNode;
    var old = parent.querySelectorAll(':scope > .notice');
    for (var i = 0; i < old.length; i++) {
      if (!old[i].querySelector('h2')) { parent.removeChild(old[i]); }
    }
    var notice = element('div', 'notice ' + (reply.valid ? 'success' : 'warn'), 'speicherhinweis', reply.notice);
    var anchor = document.getElementById('fehlerliste') || parent.querySelector(':scope > .intro') ||
      parent.querySelector(':scope > .print-hint') || form;
    parent.insertBefore(notice, anchor);
    return notice;
  }

  // showSummary replaces the error summary after the notice; it returns
  // the new summary, if any.
  function showSummary(notice, reply) {
    var old = document.getElementById('fehlerliste');
    if (old) { old.parentNode.removeChild(old); }
    if (reply.valid) { return null; }
    var summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.id = 'fehlerliste';
    summary.setAttribute('role', 'alert');
    summary.setAttribute('tabindex', '-1');
    summary.setAttribute('aria-labelledby', 'fehlerliste-titel');
    summary.appendChild(element('h2', '', 'fehlerliste-titel', reply.errorsTitle));
    var list = document.createElement('ul');
    var qlang = document.querySelector('h1[lang]');
    reply.errors.forEach(function (e) {
      var a = document.createElement('a');
      a.href = '#' + e.target;
      var label = element('span', '', '', e.label);
      if (qlang) { label.lang = qlang.lang; }
      a.appendChild(label);
      a.appendChild(document.createTextNode(': ' + e.message));
      var li = document.createElement('li');
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.appendChild(list);
    notice.parentNode.insertBefore(summary, notice.nextSibling);
    return summary;
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
