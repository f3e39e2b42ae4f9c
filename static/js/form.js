// Progressive enhancement for the questionnaire and the login: move focus to
// the error summary (or the login error) so screen readers announce it, let
// the summary's links bring the whole question into view, and warn before
// leaving with unsaved changes. The pages work without this script.
(function () {
  'use strict';
  function init() {
    var summary = document.getElementById('fehlerliste') || document.getElementById('login-fehler');
    if (summary) {
      summary.focus();
      // A link to a field focuses it and scrolls its question (with the
      // label or legend) into view, not only the input itself.
      summary.addEventListener('click', function (e) {
        var link = e.target.closest ? e.target.closest('a[href^="#"]') : null;
        var field = link ? document.getElementById(link.getAttribute('href').slice(1)) : null;
        if (!field) { return; }
        e.preventDefault();
        var question = field.closest('.question') || field;
        question.scrollIntoView();
        field.focus({ preventScroll: true });
      });
    }
    var form = document.getElementById('fragebogen');
    if (!form) { return; }
    var dirty = false;
    form.addEventListener('input', function () { dirty = true; });
    form.addEventListener('change', function () { dirty = true; });
    form.addEventListener('submit', function () { dirty = false; });
    window.addEventListener('beforeunload', function (e) {
      if (dirty) { e.preventDefault(); e.returnValue = ''; }
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
