/*
 * workshop.js: keeps the pages of a workshop round current without a reload.
 *
 * - Live push: every live element below follows its stream, the Server-Sent Events at its
 *   polling URL with /live or /state replaced by /events (docs/api.md), which sends what the
 *   polling would return as soon as the room changes. Where there is no EventSource, or the
 *   stream fails MAX_STREAM_FAILURES times in a row (a proxy that buffers it, a server that
 *   refuses it: 429, 503), the element polls as before. data-live-mode says which it does
 *   ("stream" or "poll"), and data-live-open="true" that a stream delivered its first event.
 * - Live fragments: <div data-live-src="/w/rounds/7/live" data-live-etag="…" data-live-interval="2000">
 *   When polling, every data-live-interval milliseconds (the server's setting, 2000 by default)
 *   it asks for the fragment with If-None-Match; an unchanged room answers 304 and nothing
 *   moves. A changed fragment replaces the old one; its charts are started again through app.js
 *   (window.LoyaltyCharts) and its countdown too. The fragment is HTML rendered by this server
 *   with every value escaped; no script in it runs (chart options are JSON data). A text field
 *   being typed in (its value, caret, focus) and folded <details id> survive the replacement.
 * - Countdowns: [data-countdown="<deadline, Unix ms>"] counts down to a deadline, corrected by the
 *   server's clock in the nearest [data-server-now]; [data-countdown-seconds="<n>"] counts n
 *   seconds from now. Both show m:ss and, at zero, their data-done text.
 * - Drafts: in <form data-draft-url="…">, every tapped answer is sent at once (competency, field,
 *   value), so a reload or a dropped connection loses nothing; the form's own submit still
 *   works without script.
 * - Following the room: [data-room-state="…/state"] is followed; the participant's page goes to
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

  // ---- Live push ------------------------------------------------------------------------

  var MAX_STREAM_FAILURES = 3;

  // streamURL is the stream of a polling URL: /w/rounds/7/live?show=1 → /w/rounds/7/events?show=1.
  function streamURL(src) {
    return src.replace(/\/(live|state)(\?|$)/, '/events$2');
  }

  // FIRST_EVENT_MS bounds the wait for a new stream's first event, which the server sends at
  // once: a proxy that buffers the stream holds it back, and the page polls instead.
  var FIRST_EVENT_MS = 10000;

  // follow opens the stream of src on el and calls on(data) with the data of each event named
  // name. It calls fallback once, and stops, when the stream cannot be used: no EventSource,
  // no first event within FIRST_EVENT_MS, or MAX_STREAM_FAILURES failures in a row with no
  // event in between. A stream the server ends (it shuts down, or the stream is old) is opened
  // again: by the browser, which sends the id of the last event (Last-Event-ID), or here after
  // a refusal, and then the server sends the current state first; nothing is missed.
  function follow(el, src, name, on, fallback) {
    if (!window.EventSource) { fallback(); return; }
    var failures = 0;
    var es = null;
    var given = false;
    function giveUp() {
      if (given) return;
      given = true;
      es.close();
      fallback();
    }
    function fail() {
      if (given) return;
      failures++;
      if (failures >= MAX_STREAM_FAILURES) { giveUp(); return; }
      if (es.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
      // Refused (429, 503, not a stream): the browser does not retry; try again a little later.
      es.close();
      window.setTimeout(open, 2000 * failures);
    }
    function open() {
      var got = false;
      es = new EventSource(streamURL(src));
      el.setAttribute('data-live-mode', 'stream');
      window.setTimeout(function () { if (!got) giveUp(); }, FIRST_EVENT_MS);
      es.addEventListener(name, function (e) {
        got = true;
        failures = 0;
        el.setAttribute('data-live-open', 'true');
        var data;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        on(data);
      });
      es.onerror = fail;
    }
    open();
  }

  // ---- Live fragments -------------------------------------------------------------------

  // keep notes what the person is doing inside a live fragment that a new one would undo:
  // the text field they type in (its value, caret and focus) and the sections they folded
  // (<details id>). restore puts it back into the new fragment, so that a hall's counts can
  // change every moment while the consultant types a search.
  function keep(box) {
    var kept = { folded: [] };
    var a = document.activeElement;
    if (a && a.id && box.contains(a) && (a.tagName === 'INPUT' || a.tagName === 'TEXTAREA')) {
      kept.field = { id: a.id, value: a.value, start: a.selectionStart, end: a.selectionEnd };
    }
    Array.prototype.forEach.call(box.querySelectorAll('details[id]'), function (d) {
      if (!d.open) kept.folded.push(d.id);
    });
    return kept;
  }

  function restore(box, kept) {
    kept.folded.forEach(function (id) {
      var d = document.getElementById(id);
      if (d && box.contains(d)) d.open = false;
    });
    var f = kept.field;
    if (!f) return;
    var el = document.getElementById(f.id);
    if (!el || !box.contains(el)) return;
    el.value = f.value;
    el.focus();
    try { el.setSelectionRange(f.start, f.end); } catch (err) { /* not a text field */ }
  }

  function startLive(box) {
    var src = box.getAttribute('data-live-src');
    var etag = box.getAttribute('data-live-etag') || null;
    var busy = false;

    function show(html) {
      box.removeAttribute('data-live-error');
      var charts = window.LoyaltyCharts;
      if (charts) charts.dispose(box);
      var kept = keep(box);
      box.innerHTML = html;
      restore(box, kept);
      if (charts) charts.init(box);
      initCountdowns(box);
      box.setAttribute('data-live-updated', String(Date.now()));
    }

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
          if (html !== null) show(html);
        })
        .catch(function () {
          // A dropped connection or an ended session: keep the last view and try again.
          box.setAttribute('data-live-error', 'true');
        })
        .then(function () { busy = false; });
    }

    function poll() {
      box.setAttribute('data-live-mode', 'poll');
      window.setInterval(tick, interval(box));
      document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
    }

    follow(box, src, 'fragment', function (d) {
      // The same fragment again (a reconnection) leaves the charts alone.
      if (d.etag && d.etag === etag) return;
      etag = d.etag || null;
      show(d.html);
    }, poll);
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

    function apply(st) {
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
        .then(function (st) { if (st) apply(st); })
        .catch(function () {})
        .then(function () { busy = false; });
    }

    follow(el, src, 'state', apply, function () {
      el.setAttribute('data-live-mode', 'poll');
      window.setInterval(tick, interval(el));
      document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
    });
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
