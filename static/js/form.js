// Progressive enhancement for the questionnaire: move focus to the error
// summary so screen readers announce it, and warn before leaving with
// unsaved changes. The form works without this script.
(function () {
  'use strict';
  function init() {
    var summary = document.getElementById('fehlerliste');
    if (summary) { summary.focus(); }
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
