/*
 * workshop.js: keeps the consultant's live dashboard current without a reload.
 *
 * <div data-live-src="/w/rounds/7/live" data-live-etag="&quot;…&quot;"> …fragment… </div>
 *
 * Every data-live-interval milliseconds (the server's setting, 2000 by default) it asks for
 * the fragment with If-None-Match; an unchanged room answers
 * 304 and nothing moves. A changed fragment replaces the old one and its charts are started
 * again through app.js (window.LoyaltyCharts). The fragment is HTML rendered by this server
 * with every value escaped; no script in it runs (the chart options are JSON data).
 * Without JavaScript the page still works: a reload shows the same fragment.
 */
(function () {
  'use strict';

  var DEFAULT_POLL_MS = 2000;

  function start(box) {
    var every = parseInt(box.getAttribute('data-live-interval'), 10);
    if (!(every >= 50)) every = DEFAULT_POLL_MS;
    var src = box.getAttribute('data-live-src');
    var etag = box.getAttribute('data-live-etag') || null;
    var busy = false;

    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      var headers = { Accept: 'text/html' };
      if (etag) headers['If-None-Match'] = etag;
      fetch(src, { headers: headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error' })
        .then(function (res) {
          if (res.status === 304) return null;
          if (!res.ok) throw new Error('HTTP ' + res.status);
          etag = res.headers.get('ETag');
          return res.text();
        })
        .then(function (html) {
          box.removeAttribute('data-live-error');
          if (html === null) return;
          var charts = window.LoyaltyCharts;
          if (charts) charts.dispose(box);
          box.innerHTML = html;
          if (charts) charts.init(box);
          box.setAttribute('data-live-updated', String(Date.now()));
        })
        .catch(function () {
          // A dropped connection or an ended session: keep the last view and try again.
          box.setAttribute('data-live-error', 'true');
        })
        .then(function () { busy = false; });
    }

    window.setInterval(tick, every);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-live-src]'), start);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
