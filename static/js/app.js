/*
 * app.js: progressive enhancement for the LOYALTY assessment.
 *
 * No framework, no inline script, no eval or new Function: it runs under a Content Security
 * Policy of script-src 'self'. Pages work without it; it adds a live progress counter to the
 * test form and starts the ECharts charts whose options the server embedded as JSON.
 *
 * Load after ECharts, both deferred:
 *   <script src="/static/vendor/echarts/echarts.min.HASH.js" defer></script>
 *   <script src="/static/js/app.HASH.js" defer></script>
 */
(function () {
  'use strict';

  // ---- Progress counter -------------------------------------------------------------------
  //
  // <form data-progress-form data-progress-total="21"> … radios named c1_as_is, c1_to_be … </form>
  // <p data-progress-count data-progress-template="{n} of {total} answered" aria-live="polite"></p>
  //
  // An item counts as answered when both its AS-IS and TO-BE groups have a checked radio.
  // data-progress-total and data-progress-template are read from the counter element first,
  // then from the form; without a total, the number of items found in the form is used.
  // Counters are looked up inside the form and, if there are none, in the whole document
  // (one test form per page).

  var ITEM = /^c(\d+)_(as_is|to_be)$/;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function countAnswered(form) {
    var items = {};
    var inputs = form.querySelectorAll('input[type="radio"]');
    for (var i = 0; i < inputs.length; i++) {
      var m = ITEM.exec(inputs[i].name);
      if (!m) continue;
      var item = items[m[1]] || (items[m[1]] = { as_is: false, to_be: false });
      if (inputs[i].checked) item[m[2]] = true;
    }
    var found = 0;
    var answered = 0;
    for (var k in items) {
      if (!Object.prototype.hasOwnProperty.call(items, k)) continue;
      found++;
      if (items[k].as_is && items[k].to_be) answered++;
    }
    return { answered: answered, found: found };
  }

  function attr(el, form, name) {
    var v = el.getAttribute(name);
    if (v === null || v === '') v = form.getAttribute(name);
    return v;
  }

  function totalOf(el, form, found) {
    var total = parseInt(attr(el, form, 'data-progress-total'), 10);
    return total > 0 ? total : found;
  }

  function updateProgress(form, counters) {
    var c = countAnswered(form);
    for (var i = 0; i < counters.length; i++) {
      var el = counters[i];
      var total = totalOf(el, form, c.found);
      var n = Math.min(c.answered, total);
      var template = attr(el, form, 'data-progress-template') || '{n} / {total}';
      el.textContent = fill(template, { n: n, total: total });
      if (el.tagName === 'PROGRESS') {
        el.max = total;
        el.value = n;
      }
      el.setAttribute('data-progress-n', String(n));
      el.setAttribute('data-progress-complete', n >= total ? 'true' : 'false');
    }
    var formTotal = totalOf(form, form, c.found);
    form.setAttribute('data-progress-complete', formTotal > 0 && c.answered >= formTotal ? 'true' : 'false');
  }

  function initProgress() {
    var forms = document.querySelectorAll('form[data-progress-form]');
    Array.prototype.forEach.call(forms, function (form) {
      var counters = form.querySelectorAll('[data-progress-count]');
      if (counters.length === 0) counters = document.querySelectorAll('[data-progress-count]');
      var update = function () { updateProgress(form, counters); };
      form.addEventListener('change', update);
      form.addEventListener('reset', function () { window.setTimeout(update, 0); });
      // Back/forward navigation restores checked radios after load.
      window.addEventListener('pageshow', update);
      update();
    });
  }

  // ---- Never lose an answer ---------------------------------------------------------------
  //
  // The test form keeps what was given (answers and profile) in this browser's localStorage
  // under its data-keep key, on every change, so a reload, back and forward, a language
  // switch or a closed tab loses nothing. Nothing leaves the device before the form is sent.
  // A sent form leaves a mark for this tab (sessionStorage); the result page it leads to
  // (data-keep-done) then forgets the kept answers. An earlier result opened in another tab
  // forgets nothing.
  var keepSent = 'loyalty-keep-sent';

  function storage(kind) {
    try {
      var s = window[kind];
      s.setItem('loyalty-probe', '1');
      s.removeItem('loyalty-probe');
      return s;
    } catch (e) {
      return null;
    }
  }

  function keptFields(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'hidden' || el.type === 'submit' || el.type === 'button') return;
      if (el.type === 'radio') {
        if (el.checked) out[el.name] = el.value;
      } else if (el.type === 'checkbox') {
        out[el.name] = el.checked;
      } else {
        out[el.name] = el.value;
      }
    });
    return out;
  }

  // restoreFields fills in what the page does not show already: a radio group with nothing
  // chosen, an empty field, a select on its empty choice. It returns how many were filled.
  function restoreFields(form, fields) {
    var filled = 0;
    Object.keys(fields).forEach(function (name) {
      var v = fields[name];
      var el = form.elements[name];
      if (!el) return;
      if (el.length !== undefined && el.tagName !== 'SELECT') {
        var any = Array.prototype.some.call(el, function (r) { return r.checked; });
        if (any) return;
        Array.prototype.forEach.call(el, function (r) {
          if (r.value === v) { r.checked = true; filled++; }
        });
      } else if (el.type === 'checkbox') {
        if (v === true && !el.checked) { el.checked = true; filled++; }
      } else if (el.value === '' && typeof v === 'string' && v !== '') {
        el.value = v;
        if (el.value === v) filled++;
      }
    });
    return filled;
  }

  function initKeep() {
    var local = storage('localStorage');
    var session = storage('sessionStorage');
    if (!local) return;
    if (document.querySelector('[data-keep-done]') && session) {
      var sent = session.getItem(keepSent);
      if (sent) {
        local.removeItem(sent);
        session.removeItem(keepSent);
      }
    }
    var form = document.querySelector('form[data-keep]');
    if (!form) return;
    var key = form.getAttribute('data-keep');
    var save = function () {
      try {
        local.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), fields: keptFields(form) }));
      } catch (e) { /* full or forbidden: the form still works */ }
    };
    var kept = null;
    try { kept = JSON.parse(local.getItem(key) || 'null'); } catch (e) { kept = null; }
    if (kept && kept.fields && restoreFields(form, kept.fields) > 0) {
      form.dispatchEvent(new Event('change', { bubbles: true }));
      var notice = document.querySelector('[data-keep-notice]');
      if (notice) {
        var c = countAnswered(form);
        var text = notice.querySelector('[data-keep-text]');
        text.textContent = fill(form.getAttribute('data-keep-template') || '', { n: c.answered, total: totalOf(form, form, c.found) });
        notice.hidden = false;
        var ask = notice.querySelector('[data-keep-ask]');
        var confirmRow = notice.querySelector('[data-keep-confirm]');
        // Continue jumps to the first statement without both answers (or to the profile).
        notice.querySelector('[data-keep-continue]').addEventListener('click', function (ev) {
          ev.preventDefault();
          var items = form.querySelectorAll('[data-item]'), target = null;
          for (var i = 0; i < items.length && !target; i++) {
            var groups = items[i].querySelectorAll('fieldset');
            for (var j = 0; j < groups.length; j++) {
              if (!groups[j].querySelector('input:checked')) { target = items[i]; break; }
            }
          }
          if (!target) target = form.querySelector('.about') || form;
          target.scrollIntoView({ block: 'start' });
          var first = target.querySelector('fieldset:not(:has(input:checked)) input, input, select');
          if (first) first.focus({ preventScroll: true });
        });
        // Start over asks first: one tap must not wipe 21 answers.
        notice.querySelector('[data-keep-clear]').addEventListener('click', function () {
          ask.hidden = true;
          confirmRow.hidden = false;
          notice.querySelector('[data-keep-clear-no]').focus();
        });
        notice.querySelector('[data-keep-clear-no]').addEventListener('click', function () {
          confirmRow.hidden = true;
          ask.hidden = false;
          notice.querySelector('[data-keep-clear]').focus();
        });
        notice.querySelector('[data-keep-clear-yes]').addEventListener('click', function () {
          local.removeItem(key);
          Array.prototype.forEach.call(form.elements, function (el) {
            if (el.type === 'radio' || el.type === 'checkbox') el.checked = false;
            else if (el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button') el.value = '';
          });
          form.dispatchEvent(new Event('change', { bubbles: true }));
          local.removeItem(key);
          notice.hidden = true;
        });
      }
    }
    form.addEventListener('change', save);
    form.addEventListener('input', save);
    form.addEventListener('submit', function () {
      save();
      if (session) session.setItem(keepSent, key);
    });
  }

  // ---- Sending ----------------------------------------------------------------------------
  //
  // <form> … <input type="hidden" name="once" value="…"> … <button type="submit" data-sending="Sending…">
  //
  // A form that creates something (it carries a one-time id) shows that it is on its way: the
  // button is disabled and says data-sending, and further submits are ignored, so impatient
  // taps on a slow network send it once. The server does not rely on this: a form sent twice
  // with the same id stores one result. Back to a page kept in the back/forward cache finds
  // the button as it was before sending.
  function initSending() {
    var forms = document.querySelectorAll('form');
    Array.prototype.forEach.call(forms, function (form) {
      if (!form.querySelector('input[type="hidden"][name="once"]')) return;
      var button = form.querySelector('button[type="submit"][data-sending]');
      var label = button ? button.textContent : '';
      var once = form.querySelector('input[type="hidden"][name="once"]');
      var sent = document.querySelector('[data-sent-notice]');
      // Back after sending: the browser may put the sent answers back into the form (the
      // result page has forgotten the kept copy). The notice leads to the result; the form
      // starts empty with the page's own new id, so that sending it again is a new test on
      // purpose, never the same answers by accident. A new test begun on this page has a kept
      // copy (app.js keeps every change) and is left as it is.
      var keepKey = form.getAttribute('data-keep');
      // Coming Back to this page must show its top, where the notice is, not the button at
      // the bottom where it was left.
      if (keepKey && 'scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
      var kept = function () {
        try { return keepKey && window.localStorage.getItem(keepKey); } catch (e) { return false; }
      };
      var forgetSent = function () {
        if (!sent || kept()) return;
        form.reset();
        once.value = once.getAttribute('data-once');
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.type === 'radio' || el.type === 'checkbox') el.checked = false;
          else if (el.tagName === 'SELECT') el.selectedIndex = 0;
          else if (el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button') el.value = '';
        });
        form.dispatchEvent(new Event('change', { bubbles: true }));
        try { if (keepKey) window.localStorage.removeItem(keepKey); } catch (e) { /* nothing kept */ }
      };
      if (sent) {
        // The notice takes the focus and the view, also after the browser has restored the
        // scroll position of the page left behind (at its bottom, by the button).
        var show = function () {
          forgetSent();
          sent.focus({ preventScroll: true });
          sent.scrollIntoView({ block: 'start' });
        };
        show();
        window.addEventListener('load', show);
        window.addEventListener('pageshow', show);
      }
      form.addEventListener('submit', function (ev) {
        if (form.getAttribute('data-sending-now') === 'true') {
          ev.preventDefault();
          return;
        }
        form.setAttribute('data-sending-now', 'true');
        form.setAttribute('aria-busy', 'true');
        if (button) {
          button.disabled = true;
          button.textContent = button.getAttribute('data-sending');
        }
      });
      window.addEventListener('pageshow', function (ev) {
        if (!ev.persisted) return;
        form.removeAttribute('data-sending-now');
        form.removeAttribute('aria-busy');
        if (button) {
          button.disabled = false;
          button.textContent = label;
        }
      });
    });
  }

  // ---- Charts -----------------------------------------------------------------------------
  //
  // <div data-chart="radar-categories" role="img" aria-label="…"></div>
  // <script id="radar-categories" type="application/json">{ …ECharts option… }</script>
  //
  // The option is data only. The tooltip is the one place ECharts renders HTML, so its
  // formatter is replaced by safeTooltip, which builds DOM nodes with textContent: a name
  // such as "</script><script>…" is shown as text, never parsed. Legends and axis names are
  // SVG <text> elements, whose content the renderer sets as text, and need nothing.

  var numberFormat = (function () {
    var lang = document.documentElement.getAttribute('lang') || undefined;
    try {
      return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    } catch (e) {
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    }
  })();

  function formatValue(v) {
    if (typeof v === 'number' && isFinite(v)) return numberFormat.format(v);
    if (v === null || v === undefined || v === '-') return '–';
    return String(v);
  }

  function node(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function asArray(x) {
    if (x === undefined || x === null) return [];
    return Array.isArray(x) ? x : [x];
  }

  // radarOrder lists indicator indices in the order the eye reads them: ECharts draws
  // indicator 0 at the top and the rest counter-clockwise, so clockwise is 0, n-1, …, 1.
  function radarOrder(n) {
    var order = [0];
    for (var i = n - 1; i > 0; i--) order.push(i);
    return order;
  }

  function safeTooltip(option) {
    var radars = asArray(option.radar);
    var series = asArray(option.series);
    return function (params) {
      var root = node('div', undefined, 'chart-tip');
      asArray(params).forEach(function (p) {
        var head = node('div', undefined, 'chart-tip-head');
        head.style.fontWeight = '600';
        var swatch = node('span', undefined, 'chart-tip-swatch');
        swatch.style.cssText = 'display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px';
        if (typeof p.color === 'string') swatch.style.backgroundColor = p.color;
        head.appendChild(swatch);
        var title = p.seriesName || '';
        if (p.name && p.name !== p.seriesName) title = title ? title + ' · ' + p.name : p.name;
        head.appendChild(document.createTextNode(title));
        root.appendChild(head);

        var values = asArray(p.value);
        var s = series[p.seriesIndex] || {};
        var radar = p.seriesType === 'radar' ? radars[s.radarIndex || 0] : null;
        if (radar && Array.isArray(radar.indicator)) {
          radarOrder(values.length).forEach(function (i) {
            var ind = radar.indicator[i] || {};
            root.appendChild(row(ind.name === undefined ? '' : String(ind.name), values[i]));
          });
        } else if (values.length === 1) {
          root.appendChild(row('', values[0]));
        } else {
          values.forEach(function (v, i) { root.appendChild(row(String(i + 1), v)); });
        }
      });
      return root;
    };
  }

  function row(label, value) {
    var r = node('div', undefined, 'chart-tip-row');
    r.style.cssText = 'display:flex;justify-content:space-between;gap:12px';
    if (label) r.appendChild(node('span', label));
    var v = node('strong', formatValue(value));
    r.appendChild(v);
    return r;
  }

  var charts = [];

  function initChart(host) {
    var source = document.getElementById(host.getAttribute('data-chart'));
    if (!source || source.tagName !== 'SCRIPT' || source.type !== 'application/json') {
      host.setAttribute('data-chart-error', 'missing option');
      return;
    }
    var option;
    try {
      option = JSON.parse(source.textContent);
    } catch (e) {
      host.setAttribute('data-chart-error', 'invalid option');
      return;
    }
    if (option === null || typeof option !== 'object') {
      host.setAttribute('data-chart-error', 'invalid option');
      return;
    }
    var format = safeTooltip(option);
    var tooltips = asArray(option.tooltip).map(function (t) {
      var copy = {};
      for (var k in t) if (Object.prototype.hasOwnProperty.call(t, k)) copy[k] = t[k];
      copy.renderMode = 'html';
      copy.formatter = format;
      copy.confine = true;
      return copy;
    });
    if (tooltips.length) option.tooltip = tooltips;
    // A formatter or template from the data must not reach the HTML tooltip either.
    asArray(option.series).forEach(function (s) {
      if (s && s.tooltip) delete s.tooltip.formatter;
    });

    // SVG: the vendored build (static/echarts-build) registers no canvas renderer. Text is
    // real <text>, sharp when printed and zoomed.
    var chart = window.echarts.init(host, null, { renderer: 'svg' });
    // Someone who asked their system for less motion gets the chart drawn at once.
    if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches) option.animation = false;
    chart.on('finished', function () { host.dataset.rendered = 'true'; });
    // Axis names may carry soft hyphens (where a long name may break): fitRadar wraps with
    // them; ECharts, its tooltip and the drawn text get the names without.
    asArray(option.radar).forEach(function (r, i) {
      var inds = asArray(r.indicator);
      if (i === 0) host.__names = inds.map(function (ind) { return String(ind.name || ''); });
      inds.forEach(function (ind) { if (typeof ind.name === 'string') ind.name = plain(ind.name); });
    });
    chart.setOption(option);
    fitRadar(chart, host, option);
    charts.push(chart);
    addSaveButton(host, chart);
  }

  // ---- Saving a chart as an image ---------------------------------------------------------
  //
  // <body data-chart-save="Save image (SVG)"> puts a button of that label below every chart;
  // it saves the chart as drawn, as an SVG file with an XML header on a white background
  // (an SVG is transparent; the chart sits on a white card). The file is made here and handed
  // to the browser as a Blob URL: no request, no inline script, nothing the CSP forbids.
  // Pages without the attribute (the projector's presentation) get no button.

  function chartSVG(chart) {
    var svg = chart.renderToSVGString();
    svg = svg.replace(/<svg\b[^>]*>/, function (open) {
      return open + '<rect width="100%" height="100%" fill="#ffffff"/>';
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg;
  }

  function saveSVG(host, chart) {
    var url = URL.createObjectURL(new Blob([chartSVG(chart)], { type: 'image/svg+xml' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = 'loyalty-' + (host.id || 'chart') + '.svg';
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function addSaveButton(host, chart) {
    var label = document.body.getAttribute('data-chart-save');
    if (!label || typeof chart.renderToSVGString !== 'function' || !window.Blob || !window.URL) return;
    var old = host.nextElementSibling;
    if (old && old.classList.contains('chart-save')) old.parentNode.removeChild(old);
    var wrap = node('p', undefined, 'chart-save');
    var btn = node('button', label, 'button button--small');
    btn.type = 'button';
    btn.setAttribute('data-testid', 'chart-save');
    btn.addEventListener('click', function () { saveSVG(host, chart); });
    wrap.appendChild(btn);
    host.parentNode.insertBefore(wrap, host.nextSibling);
  }

  // ---- Radar labels ------------------------------------------------------------------------
  //
  // ECharts places a radar's axis names at a fixed distance from the polygon, whatever the
  // box: on a phone they are cut at the edges, and with 21 spokes the names near the top and
  // the bottom cover each other. fitRadar lays them out itself: it measures every name,
  // finds the largest polygon for which every name fits the box with the legend below it,
  // pushes a name that would cover its neighbour further out along its spoke, and draws the
  // names as text of its own (ECharts "graphic"). If no size fits, it tries smaller type,
  // then names shortened to their numbers (the table beside the chart has them in full).
  // A host may ask for larger type with data-chart-scale (a factor), or with data-chart-rem
  // for type that many rem of the page (the projector, whose rem is a share of the screen:
  // its labels grow and shrink with the screen as its text does); printing draws at 11 px.

  var measureCtx = null;

  function textWidth(text, font) {
    if (!measureCtx) measureCtx = document.createElement('canvas').getContext('2d');
    measureCtx.font = font;
    return measureCtx.measureText(text).width;
  }

  var labelFont = 'sans-serif';

  // wrapLabel splits a name into lines no wider than maxWidth: at its own line breaks, then
  // between words, then inside a word at a soft hyphen the server put there from the
  // language's hyphenation patterns ("Ledelses-forankring"); only a word without one that
  // fits is cut by width, with three letters or more on each side. Lines come back without
  // soft hyphens.
  var SHY = '\u00AD';

  function plain(s) { return s.split(SHY).join(''); }

  function wrapLabel(text, maxWidth, font) {
    var out = [];
    text.split('\n').forEach(function (line) {
      if (maxWidth === Infinity || textWidth(plain(line), font) <= maxWidth) { out.push(plain(line)); return; }
      var cur = '';
      line.split(' ').forEach(function (word) {
        var next = cur ? cur + ' ' + word : word;
        if (textWidth(plain(next), font) <= maxWidth) { cur = next; return; }
        if (cur) out.push(plain(cur));
        cur = word;
        while (textWidth(plain(cur), font) > maxWidth) {
          var parts = cur.split(SHY), k;
          for (k = parts.length - 1; k > 0; k--) {
            var head = parts.slice(0, k).join('');
            if (textWidth(head + '-', font) <= maxWidth) break;
          }
          if (k > 0) {
            out.push(parts.slice(0, k).join('') + '-');
            cur = parts.slice(k).join(SHY);
            continue;
          }
          var p = plain(cur);
          if (p.length <= 6) { cur = p; break; }
          var c = p.length - 3;
          while (c > 3 && textWidth(p.slice(0, c) + '-', font) > maxWidth) c--;
          out.push(p.slice(0, c) + '-');
          cur = p.slice(c);
        }
      });
      if (cur) out.push(plain(cur));
    });
    return out;
  }

  // radarKey lists number → competency under a radar whose spokes show only numbers (a
  // phone, 21 spokes), and hides the list when the names fit on the spokes.
  function radarKey(host, names) {
    var key = host.id ? document.getElementById(host.id + '-key') : null;
    if (!names) {
      if (key) key.hidden = true;
      return;
    }
    if (!key) {
      key = document.createElement('ol');
      key.className = 'radar-key';
      if (host.id) key.id = host.id + '-key';
      key.setAttribute('data-testid', 'radar-key');
      host.parentNode.insertBefore(key, host.nextSibling);
    }
    key.textContent = '';
    // The spokes run counter-clockwise in the option (so that they read clockwise); the key
    // reads in number order.
    names = names.slice().sort(function (a, b) { return parseInt(plain(a), 10) - parseInt(plain(b), 10); });
    names.forEach(function (n) {
      var li = document.createElement('li');
      li.textContent = n.replace(/\n/g, ' ');
      key.appendChild(li);
    });
    key.hidden = false;
  }

  // legendHeight is how tall ECharts' legend at the bottom will be: its items wrap in rows
  // across the width.
  function legendHeight(names, width, size, itemWidth, itemHeight) {
    if (names.length === 0) return 0;
    var font = size + 'px ' + labelFont, rows = 1, x = 0, avail = width - 10;
    names.forEach(function (n) {
      var w = itemWidth + 5 + textWidth(n, font);
      if (x > 0 && x + 10 + w > avail) { rows++; x = 0; }
      x += (x > 0 ? 10 : 0) + w;
    });
    var rowH = Math.max(itemHeight, Math.ceil(size * 1.3));
    return rows * rowH + (rows - 1) * 10 + 10;
  }

  // layoutLabels places one label per spoke for a polygon of radius r centred at (cx, cy) in
  // a box of w × h, and returns the placed labels, or null when one would leave the box or
  // none can avoid covering another.
  function layoutLabels(lines, widths, lh, n, r, cx, cy, w, h) {
    var gap = 6, margin = 2, placed = [];
    for (var i = 0; i < n; i++) {
      var a = Math.PI / 2 + i * 2 * Math.PI / n, cos = Math.cos(a), sin = Math.sin(a);
      var lw = widths[i], lhgt = lines[i].length * lh;
      var ha = cos > 0.2 ? 'left' : cos < -0.2 ? 'right' : 'center';
      var va = sin > 0.2 ? 'bottom' : sin < -0.2 ? 'top' : 'middle';
      var ok = false;
      for (var push = 0; push <= 3 * lh; push += 2) {
        var d = r + gap + push;
        var x = cx + d * cos, y = cy - d * sin;
        var left = ha === 'left' ? x : ha === 'right' ? x - lw : x - lw / 2;
        var top = va === 'top' ? y : va === 'bottom' ? y - lhgt : y - lhgt / 2;
        var box = { l: left, r: left + lw, t: top, b: top + lhgt };
        if (box.l < margin || box.r > w - margin || box.t < margin || box.b > h - margin) return null;
        var clear = placed.every(function (p) {
          return box.r + 3 <= p.box.l || p.box.r + 3 <= box.l || box.b + 1 <= p.box.t || p.box.b + 1 <= box.t;
        });
        if (clear) {
          placed.push({ x: x, y: y, ha: ha, va: va, box: box, text: lines[i].join('\n') });
          ok = true;
          break;
        }
      }
      if (!ok) return null;
    }
    return placed;
  }

  function fitRadar(chart, host, option) {
    var radar = asArray(option.radar)[0];
    if (!radar) return;
    var scale = parseFloat(host.getAttribute('data-chart-scale')) || 1;
    var rem = parseFloat(host.getAttribute('data-chart-rem'));
    if (rem > 0) scale = rem * parseFloat(getComputedStyle(document.documentElement).fontSize) / 12;
    var w = chart.getWidth(), h = chart.getHeight();
    var indicators = asArray(radar.indicator);
    var n = indicators.length;
    var many = n > 12;
    var name = radar.axisName || {};
    var legend = asArray(option.legend)[0] || {};
    var legendText = legend.textStyle || {};
    // The legend follows the scale and shrinks on paper; it is set every time, so that the
    // screen's legend returns after printing.
    var lf = printing ? 0.75 : scale;
    var legendSize = Math.round((legendText.fontSize || 13) * lf);
    var itemW = Math.round(25 * lf), itemH = Math.round(14 * lf);
    var legendNames = asArray(option.series).reduce(function (all, s) {
      return all.concat(asArray(s.data).map(function (d) { return d && d.name ? String(d.name) : String(s.name || ''); }));
    }, []).filter(function (x, i, all) { return x && all.indexOf(x) === i; });
    var area = h - legendHeight(legendNames, w, legendSize, itemW, itemH) - 4;

    var base = printing ? 11 : Math.round((name.fontSize || 12) * scale);
    // The names with their soft hyphens, kept from before ECharts got them without (initChart).
    var names = host.__names || indicators.map(function (ind) { return String(ind.name || ''); });
    var numbers = names.map(function (s) { return plain(s).split(/\s/)[0]; });
    // Full names at the base size, then wrapped narrower and set smaller; then, for many
    // spokes, numbers only (they name competencies; a category's repeated letter would not).
    var attempts = [[0, Infinity], [0, 110 * scale], [0, 90 * scale], [1, 90 * scale], [1, 72 * scale], [2, 72 * scale], [2, 60 * scale]]
      .map(function (a) { return { size: base - a[0], wrap: a[1], texts: names }; });
    if (many) attempts.push({ size: Math.max(base - 1, 10), wrap: Infinity, texts: numbers });
    var min = Math.min(w, area), best = null;
    for (var t = 0; t < attempts.length && !best; t++) {
      var size = attempts[t].size, lh = Math.round(size * 1.25), font = size + 'px ' + labelFont;
      var wrapAt = attempts[t].wrap;
      var lines = attempts[t].texts.map(function (s) { return wrapLabel(s, wrapAt, font); });
      var widths = lines.map(function (ls) { return Math.max.apply(null, ls.map(function (l) { return textWidth(l, font); })); });
      for (var r = Math.floor(min / 2) - 4; r >= Math.max(24, min * 0.2); r -= 3) {
        var placed = layoutLabels(lines, widths, lh, n, r, w / 2, area / 2, w, area);
        if (placed) { best = { r: r, size: size, lh: lh, placed: placed, numbered: attempts[t].texts === numbers }; break; }
      }
    }
    var update = {
      legend: { textStyle: { fontSize: legendSize }, itemWidth: itemW, itemHeight: itemH },
      graphic: { elements: [] }
    };
    if (best) {
      update.radar = { radius: best.r, center: [w / 2, area / 2], axisName: { show: false } };
      update.graphic.elements = best.placed.map(function (p, i) {
        return { type: 'text', id: 'axis-name-' + i, silent: true, x: Math.round(p.x), y: Math.round(p.y),
          style: { text: p.text, fill: name.color || '#333', font: best.size + 'px ' + labelFont, lineHeight: best.lh,
            align: p.ha, verticalAlign: p.va } };
      });
    } else {
      update.radar = { radius: radar.radius, center: ['50%', '48%'], axisName: { show: true } };
    }
    if (scale !== 1) {
      update.series = asArray(option.series).map(function (s) {
        return { lineStyle: { width: Math.round(((s.lineStyle && s.lineStyle.width) || 2) * scale) },
          symbolSize: Math.round((s.symbolSize || 4) * scale) };
      });
    }
    chart.setOption(update, { replaceMerge: ['graphic'] });
    host.setAttribute('data-labels', best ? (best.placed.length + ' at ' + best.size + 'px') : 'echarts');
    radarKey(host, best && best.numbered ? names : null);
    chart.__fit = function () { fitRadar(chart, host, option); };
  }

  // ---- Print --------------------------------------------------------------------------
  //
  // A printed page draws its charts again at the size its print stylesheet gives them
  // (--print-w, --print-h on the chart's box, in mm), with the desktop's labels, and the
  // running footer takes the page's title and date (set from data attributes through the
  // CSSOM, which the Content-Security-Policy allows where a style attribute is not).
  var printing = false;
  var mmToPx = 96 / 25.4;

  function cssString(s) {
    return '"' + String(s).replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ') + '"';
  }

  function printSize(host) {
    var style = window.getComputedStyle(host);
    var w = parseFloat(style.getPropertyValue('--print-w'));
    var h = parseFloat(style.getPropertyValue('--print-h'));
    if (!(w > 0 && h > 0)) return null;
    return { width: Math.round(w * mmToPx), height: Math.round(h * mmToPx) };
  }

  function redraw(toPrint) {
    printing = toPrint;
    charts.forEach(function (c) {
      if (c.isDisposed()) return;
      var size = toPrint ? printSize(c.getDom()) : null;
      if (toPrint && !size) return;
      // No transition: the page is captured at once, and a moving symbol would print halfway.
      c.setOption({ animation: !toPrint });
      // 'auto' hands the size back to the box: a number given once would stay.
      c.resize(size ? { width: size.width, height: size.height, animation: { duration: 0 } } : { width: 'auto', height: 'auto', animation: { duration: 0 } });
      if (c.__fit) c.__fit();
      // Paint now: the page is laid out for print right after this handler returns.
      var zr = c.getZr && c.getZr();
      if (zr && zr.refreshImmediately) zr.refreshImmediately();
    });
  }

  function initPrint() {
    var root = document.documentElement;
    var footer = root.getAttribute('data-print-footer');
    if (footer) root.style.setProperty('--print-footer', cssString(footer));
    var page = root.getAttribute('data-print-page');
    if (page) root.style.setProperty('--print-page', cssString(page));
    window.addEventListener('beforeprint', function () { redraw(true); });
    window.addEventListener('afterprint', function () { redraw(false); });
  }

  function initCharts() {
    var hosts = document.querySelectorAll('[data-chart]');
    if (hosts.length === 0) return;
    if (!window.echarts || typeof window.echarts.init !== 'function') {
      Array.prototype.forEach.call(hosts, function (h) { h.setAttribute('data-chart-error', 'echarts not loaded'); });
      return;
    }
    Array.prototype.forEach.call(hosts, initChart);

    var pending = false;
    window.addEventListener('resize', function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        charts.forEach(function (c) {
          if (c.isDisposed()) return;
          c.resize();
          if (c.__fit) c.__fit();
        });
      });
    });
  }

  // ---- Hook for live pages ---------------------------------------------------------------
  //
  // workshop.js replaces a live fragment every few seconds: it calls dispose(root) before
  // and init(root) after, so the charts inside root are started again from their new JSON.
  window.LoyaltyCharts = {
    dispose: function (root) {
      charts = charts.filter(function (c) {
        if (c.isDisposed()) return false;
        if (root.contains(c.getDom())) {
          c.dispose();
          return false;
        }
        return true;
      });
    },
    init: function (root) {
      tableRoles(root);
      if (!window.echarts || typeof window.echarts.init !== 'function') return;
      Array.prototype.forEach.call(root.querySelectorAll('[data-chart]'), initChart);
    }
  };

  // ---- Tables that stack ------------------------------------------------------------------
  //
  // On a phone some tables lay their rows out as grids (CSS display: block and grid), and
  // WebKit then stops telling screen readers that they are tables. The roles the elements
  // have anyway are added here, to the DOM: HTML does not allow them in the markup of a
  // table's own elements, and they are only needed where CSS changed the display.
  var tableRoleOf = { TABLE: 'table', THEAD: 'rowgroup', TBODY: 'rowgroup', TFOOT: 'rowgroup', TR: 'row', TD: 'cell' };

  function tableRoles(root) {
    var tables = root.querySelectorAll('table.stack-table, table.ws-stats--stack, table.delta, table.token-table');
    Array.prototype.forEach.call(tables, function (table) {
      Array.prototype.forEach.call([table].concat(Array.prototype.slice.call(table.querySelectorAll('thead, tbody, tfoot, tr, th, td'))), function (el) {
        var role = tableRoleOf[el.tagName];
        if (el.tagName === 'TH') role = el.getAttribute('scope') === 'row' ? 'rowheader' : 'columnheader';
        if (role && !el.hasAttribute('role')) el.setAttribute('role', role);
      });
    });
  }

  // initActions wires the buttons that only work with script: copy the result link, print.
  // A link sent relative (the server has no base URL and does not trust the Host header) is
  // completed from the address this browser used, so the copy is a link that works.
  function initActions() {
    Array.prototype.forEach.call(document.querySelectorAll('input[data-complete-url]'), function (input) {
      if (input.value.charAt(0) !== '/' || !window.URL) return;
      var rel = input.value, abs = new URL(rel, window.location.href).href;
      input.value = abs;
      // The "email it to myself" link carries the same address in its body.
      Array.prototype.forEach.call(document.querySelectorAll('a[data-mail-for="' + input.id + '"]'), function (a) {
        a.href = a.href.split(encodeURIComponent(rel)).join(encodeURIComponent(abs));
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (btn) {
      btn.addEventListener('click', function () {
        var input = document.getElementById(btn.getAttribute('data-copy'));
        if (!input) return;
        var done = function () {
          var label = btn.textContent;
          btn.textContent = btn.getAttribute('data-copied') || label;
          window.setTimeout(function () { btn.textContent = label; }, 2000);
        };
        input.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(input.value).then(done, function () {});
        } else if (document.execCommand && document.execCommand('copy')) {
          done();
        }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (btn) {
      btn.addEventListener('click', function () { window.print(); });
    });
  }

  // focusErrors moves the focus to a form's error summary, so a screen reader reads it and a
  // keyboard continues from it.
  function focusErrors() {
    var summary = document.getElementById('error-summary');
    if (summary) summary.focus();
  }

  function init() {
    document.documentElement.classList.remove('no-js');
    initActions();
    initPrint();
    initProgress();
    initKeep();
    initSending();
    focusErrors();
    initCharts();
    tableRoles(document);
    // The data tables are open for readers without JavaScript; with a drawn chart they fold.
    Array.prototype.forEach.call(document.querySelectorAll('details[data-chart-table]'), function (d) {
      var card = d.closest('.chart-card');
      var host = card && card.querySelector('[data-chart]');
      if (host && !host.hasAttribute('data-chart-error')) d.removeAttribute('open');
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
