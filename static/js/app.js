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
    var small = scale === 1 && w < 520 && window.innerWidth < 700;
    var name = radar.axisName || {};
    var legend = asArray(option.legend)[0] || {};
    var legendText = legend.textStyle || {};
    var update = {
      radar: {
        radius: small ? (many ? '62%' : '48%') : radar.radius,
        axisName: {
          fontSize: small ? 11 : Math.round((name.fontSize || 12) * scale),
          lineHeight: small ? 13 : Math.round((name.lineHeight || 15) * scale),
          width: name.width ? Math.round(name.width * scale) : undefined,
          // With 21 spokes on a phone only the numbers fit; the table below has the names.
          formatter: small && many ? function (n) { return String(n).split(' ')[0]; } : function (n) { return n; }
        }
      }
    };
    if (scale !== 1) {
      update.legend = { textStyle: { fontSize: Math.round((legendText.fontSize || 13) * scale) },
        itemWidth: Math.round(25 * scale), itemHeight: Math.round(14 * scale) };
      update.series = asArray(option.series).map(function (s) {
        return { lineStyle: { width: Math.round(((s.lineStyle && s.lineStyle.width) || 2) * scale) },
          symbolSize: Math.round((s.symbolSize || 4) * scale) };
      });
    }
    chart.setOption(update);
    chart.__fit = function () { fitRadar(chart, host, option); };
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

  function init() {
    document.documentElement.classList.remove('no-js');
    initActions();
    initProgress();
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
