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
        notice.querySelector('[data-keep-clear]').addEventListener('click', function () {
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
    chart.on('finished', function () { host.dataset.rendered = 'true'; });
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

  // fitRadar shrinks a radar on a narrow screen: axis names sit outside the polygon, and on
  // a phone the server's radius would push them out of the chart box.
  // A host may ask for larger type with data-chart-scale (the projector: "2.4"): axis names,
  // legend and lines grow by that factor, so the chart reads from the back of a room.
  function fitRadar(chart, host, option) {
    var radar = asArray(option.radar)[0];
    if (!radar) return;
    var scale = parseFloat(host.getAttribute('data-chart-scale')) || 1;
    var w = host.clientWidth;
    var many = asArray(radar.indicator).length > 12;
    var small = !printing && scale === 1 && w < 520 && window.innerWidth < 700;
    var name = radar.axisName || {};
    var legend = asArray(option.legend)[0] || {};
    var legendText = legend.textStyle || {};
    // On paper a few spokes get a smaller polygon (their box is half a page wide) and every
    // label is 8 pt.
    var radius = small ? (many ? '62%' : '48%') : radar.radius;
    if (printing && !many) radius = '44%';
    var update = {
      radar: {
        radius: radius,
        axisName: {
          fontSize: small || printing ? 11 : Math.round((name.fontSize || 12) * scale),
          lineHeight: small ? 13 : Math.round((name.lineHeight || 15) * scale),
          width: name.width ? Math.round(name.width * (printing ? 1.15 : scale)) : undefined,
          // With 21 spokes on a phone only the numbers fit; the table below has the names.
          formatter: small && many ? function (n) { return String(n).split(' ')[0]; } : function (n) { return n; }
        }
      }
    };
    // The legend follows the scale, and shrinks on paper; it is set every time, so that the
    // screen's legend returns after printing.
    var lf = printing ? 0.75 : scale;
    update.legend = { textStyle: { fontSize: Math.round((legendText.fontSize || 13) * lf) },
      itemWidth: Math.round(25 * lf), itemHeight: Math.round(14 * lf) };
    if (scale !== 1) {
      update.series = asArray(option.series).map(function (s) {
        return { lineStyle: { width: Math.round(((s.lineStyle && s.lineStyle.width) || 2) * scale) },
          symbolSize: Math.round((s.symbolSize || 4) * scale) };
      });
    }
    chart.setOption(update);
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
      if (!window.echarts || typeof window.echarts.init !== 'function') return;
      Array.prototype.forEach.call(root.querySelectorAll('[data-chart]'), initChart);
    }
  };

  // initActions wires the buttons that only work with script: copy the result link, print.
  // A link sent relative (the server has no base URL and does not trust the Host header) is
  // completed from the address this browser used, so the copy is a link that works.
  function initActions() {
    Array.prototype.forEach.call(document.querySelectorAll('input[data-complete-url]'), function (input) {
      if (input.value.charAt(0) === '/' && window.URL) input.value = new URL(input.value, window.location.href).href;
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
    focusErrors();
    initCharts();
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
