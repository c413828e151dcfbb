/*
 * workshop.js: keeps the pages of a workshop round current without a reload.
 *
 * - Live fragments: <div data-live-src="/w/rounds/7/live" data-live-etag="…" data-live-interval="2000">
 *   Every data-live-interval milliseconds (the server's setting, 2000 by default) it asks for the
 *   fragment with If-None-Match; an unchanged room answers 304 and nothing moves. A changed
 *   fragment replaces the old one; its charts are started again through app.js
 *   (window.LoyaltyCharts) and its countdown too. The fragment is HTML rendered by this server
 *   with every value escaped; no script in it runs (chart options are JSON data).
 * - Countdowns: [data-countdown="<deadline, Unix ms>"] counts down to a deadline, corrected by the
 *   server's clock in the nearest [data-server-now]; [data-countdown-seconds="<n>"] counts n
 *   seconds from now. Both show m:ss and, at zero, their data-done text.
 * - Drafts: in <form data-draft-url="…">, every tapped answer is sent at once (competency, field,
 *   value), so a reload or a dropped connection loses nothing; the form's own submit still
 *   works without script.
 * - Following the room: [data-room-state="…/state"] is polled; the participant's page goes to
 *   the room's result when it is revealed (and they have answered), the result goes back to the
 *   participant's page when it is hidden, and the countdown follows the consultant's.
 * - The presentation: on <body class="present" data-prev data-next>, → / space / PageDown step
 *   forward and ← / PageUp step back.
 *
 * Without JavaScript every page still works: a reload shows the same.
 */
(function () {
  'use strict';

  var DEFAULT_POLL_MS = 2000;

  function interval(el) {
    var every = parseInt(el.getAttribute('data-live-interval'), 10);
    return every >= 50 ? every : DEFAULT_POLL_MS;
  }

  // ---- Countdowns ---------------------------------------------------------------------

  var countdowns = [];

  function serverOffset(el) {
    var host = el.closest('[data-server-now]');
    var now = host ? parseInt(host.getAttribute('data-server-now'), 10) : NaN;
    if (!(now > 0)) return 0;
    if (!host.__offset) host.__offset = now - Date.now();
    return host.__offset;
  }

  function startCountdown(el) {
    var end;
    if (el.hasAttribute('data-countdown')) {
      end = parseInt(el.getAttribute('data-countdown'), 10) - serverOffset(el);
    } else {
      var secs = parseInt(el.getAttribute('data-countdown-seconds'), 10);
      if (!(secs > 0)) { el.classList.add('is-hidden'); return; }
      end = Date.now() + secs * 1000;
      el.classList.remove('is-hidden');
    }
    el.__end = end;
    if (countdowns.indexOf(el) < 0) countdowns.push(el);
    paint(el);
  }

  function paint(el) {
    var clock = el.querySelector('[data-countdown-clock]') || el;
    var left = Math.max(0, Math.round((el.__end - Date.now()) / 1000));
    if (left === 0) {
      clock.textContent = el.getAttribute('data-done') || '0:00';
      el.classList.add('is-done');
      return;
    }
    el.classList.remove('is-done');
    var s = left % 60;
    clock.textContent = Math.floor(left / 60) + ':' + (s < 10 ? '0' : '') + s;
  }

  function initCountdowns(root) {
    Array.prototype.forEach.call(root.querySelectorAll('[data-countdown], [data-countdown-seconds]'), startCountdown);
  }

  window.setInterval(function () {
    countdowns = countdowns.filter(function (el) { return document.contains(el); });
    countdowns.forEach(paint);
  }, 1000);

  // ---- Live fragments -------------------------------------------------------------------

  function startLive(box) {
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
          initCountdowns(box);
          box.setAttribute('data-live-updated', String(Date.now()));
        })
        .catch(function () {
          // A dropped connection or an ended session: keep the last view and try again.
          box.setAttribute('data-live-error', 'true');
        })
        .then(function () { busy = false; });
    }

    window.setInterval(tick, interval(box));
    document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
  }

  // ---- Drafts: every tap is saved --------------------------------------------------------

  var ITEM = /^c(\d+)_(as_is|to_be)$/;

  function startDrafts(form) {
    var url = form.getAttribute('data-draft-url');
    var status = document.querySelector('[data-draft-status]');
    var pending = {};
    var sending = false;

    function say(ok) {
      if (!status) return;
      status.textContent = status.getAttribute(ok ? 'data-saved-text' : 'data-failed-text') || '';
      status.setAttribute('data-draft-ok', ok ? 'true' : 'false');
    }

    function flush() {
      if (sending) return;
      var names = Object.keys(pending);
      if (names.length === 0) return;
      var name = names[0];
      var m = ITEM.exec(name);
      var value = pending[name];
      delete pending[name];
      sending = true;
      var body = 'competency=' + m[1] + '&field=' + m[2] + '&value=' + encodeURIComponent(value);
      fetch(url, { method: 'POST', body: body, credentials: 'same-origin', redirect: 'error',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          form.setAttribute('data-drafts-saved', String((parseInt(form.getAttribute('data-drafts-saved'), 10) || 0) + 1));
          say(true);
        })
        .catch(function () {
          // Keep the newest value to send again with the next tap, or on reconnect.
          if (!(name in pending)) pending[name] = value;
          say(false);
        })
        .then(function () {
          sending = false;
          if (status && status.getAttribute('data-draft-ok') !== 'false') flush();
        });
    }

    form.addEventListener('change', function (e) {
      var t = e.target;
      if (!t || t.type !== 'radio' || !ITEM.test(t.name)) return;
      pending[t.name] = t.value;
      if (status) status.removeAttribute('data-draft-ok');
      flush();
    });
    window.addEventListener('online', flush);
  }

  // ---- Following the room ------------------------------------------------------------------

  function startRoomState(el) {
    var src = el.getAttribute('data-room-state');
    var toRoom = el.getAttribute('data-room-url');
    var back = el.getAttribute('data-room-back');
    var etag = null;
    var busy = false;

    function follow(st) {
      // The participant's page goes to the result when it is revealed while they look at it;
      // coming back from the result to their answers does not send them there again.
      if (toRoom && st.revealed && st.finished && el.getAttribute('data-revealed') !== 'true') {
        window.location.assign(toRoom);
        return;
      }
      if (toRoom) el.setAttribute('data-revealed', st.revealed ? 'true' : 'false');
      if (back && (!st.revealed || !st.finished) && el.getAttribute('data-revealed') === 'true') {
        window.location.assign(back);
        return;
      }
      if (back && st.revealed && st.finished && el.getAttribute('data-revealed') !== 'true') {
        window.location.reload();
        return;
      }
      var cd = document.querySelector('[data-countdown-seconds]');
      if (cd) {
        cd.setAttribute('data-countdown-seconds', String(st.countdown || 0));
        if (st.countdown > 0) startCountdown(cd); else cd.classList.add('is-hidden');
      }
      el.setAttribute('data-finished', st.finished ? 'true' : 'false');
    }

    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      var headers = { Accept: 'application/json' };
      if (etag) headers['If-None-Match'] = etag;
      fetch(src, { headers: headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error' })
        .then(function (res) {
          if (res.status === 304) return null;
          if (!res.ok) throw new Error('HTTP ' + res.status);
          etag = res.headers.get('ETag');
          return res.json();
        })
        .then(function (st) { if (st) follow(st); })
        .catch(function () {})
        .then(function () { busy = false; });
    }

    window.setInterval(tick, interval(el));
    document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
  }

  // ---- The presentation's keys -----------------------------------------------------------------

  function startPresentation(body) {
    document.addEventListener('keydown', function (e) {
      var t = e.target;
      if (e.altKey || e.ctrlKey || e.metaKey || (t && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
      var to = null;
      if (e.key === 'ArrowRight' || e.key === ' ' || e.key === 'PageDown') to = body.getAttribute('data-next');
      if (e.key === 'ArrowLeft' || e.key === 'PageUp') to = body.getAttribute('data-prev');
      if (to) {
        e.preventDefault();
        window.location.assign(to);
      }
    });
  }

  function init() {
    initCountdowns(document);
    Array.prototype.forEach.call(document.querySelectorAll('[data-live-src]'), startLive);
    Array.prototype.forEach.call(document.querySelectorAll('form[data-draft-url]'), startDrafts);
    Array.prototype.forEach.call(document.querySelectorAll('[data-room-state]'), startRoomState);
    if (document.body.classList.contains('present')) startPresentation(document.body);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
