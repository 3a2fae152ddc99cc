/*
 * The insights dashboard: reads its settings from <body data-insights> (texts,
 * titles, the period to start with), fetches /insights/data.json for the period
 * in the form, and draws the tiles, the charts (Chart.js, served by this server)
 * and, beside every chart, a table with the same figures. Every text from the
 * data goes in with textContent, never as HTML. When everything is drawn the
 * body gets data-ready="<the query>", which the browser tests wait for.
 */
/* global window, document, fetch, history, location, URLSearchParams, getComputedStyle */
(function () {
  'use strict';

  var Chart = window.Chart;
  var settings = JSON.parse(document.body.dataset.insights);
  var texts = settings.texts;
  var locale = settings.locale;

  var integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var signedInteger = new Intl.NumberFormat(locale, { signDisplay: 'exceptZero', maximumFractionDigits: 0 });
  var signedPercent = new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 1 });
  var signedPoints = new Intl.NumberFormat(locale, { signDisplay: 'exceptZero', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var shortDate = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  var dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

  /* At least 3:1 against white (non-text contrast), and told apart by the legend and the tables too. */
  var COLORS = {
    resolved: '#107c10',
    escalated: '#0f6cbd',
    abandoned: '#c50f1f',
    other: '#8a8a8a',
    shown: '#616161',
    fixed: '#107c10',
    wentOn: '#8764b8',
    droppedOff: '#c50f1f',
  };
  var OUTCOMES = ['resolved', 'escalated', 'abandoned'];
  var DAY_MS = 86400000;

  /* Which way is better for each tile: 1 up, -1 down, 0 neither. */
  var KPIS = [
    { key: 'sessions', label: texts.kpi.sessions, kind: 'count', better: 0, of: function (d) { return d.sessions; } },
    { key: 'engagement', label: texts.kpi.engagementRate, kind: 'rate', better: 1, of: function (d) { return d.rates.engagement; } },
    { key: 'resolution', label: texts.kpi.resolutionRate, kind: 'rate', better: 1, of: function (d) { return d.rates.resolution; } },
    /* Beside it: the resolutions the follow-up confirmed after the next backup. */
    { key: 'confirmedResolution', label: texts.kpi.confirmedResolutionRate, kind: 'rate', better: 1, of: function (d) { return d.rates.confirmedResolution; } },
    { key: 'escalation', label: texts.kpi.escalationRate, kind: 'rate', better: -1, of: function (d) { return d.rates.escalation; } },
    { key: 'abandon', label: texts.kpi.abandonRate, kind: 'rate', better: -1, of: function (d) { return d.rates.abandon; } },
    { key: 'unrecognised', label: texts.kpi.unrecognised, kind: 'count', better: -1, of: function (d) { return d.unrecognised; } },
  ];

  var form = document.getElementById('period-form');
  var inputs = { since: document.getElementById('since'), until: document.getElementById('until'), abandonAfter: document.getElementById('abandon-after') };
  var csvLink = document.getElementById('csv-link');
  var languageLink = document.querySelector('.top__language');
  var status = document.getElementById('status');
  var presetButtons = Array.prototype.slice.call(document.querySelectorAll('[data-days]'));
  var generation = 0;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#424242';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.locale = locale;

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    apply();
  });
  presetButtons.forEach(function (button) {
    button.addEventListener('click', function () {
      var days = Number(button.getAttribute('data-days'));
      var until = today();
      inputs.since.value = addDays(until, 1 - days);
      inputs.until.value = until;
      apply();
    });
  });
  load({ since: settings.initial.period.since, until: settings.initial.period.until, abandonAfter: settings.initial.abandonAfterMinutes });

  // ---------------------------------------------------------------------------
  // Loading

  /** The form's period, checked, then loaded. */
  function apply() {
    var parameters = fromForm();
    var problem = problemWith(parameters);
    if (problem) return showInvalid(problem);
    load(parameters);
  }

  function fromForm() {
    return { since: inputs.since.value, until: inputs.until.value, abandonAfter: inputs.abandonAfter.value };
  }

  /** The server's rules (parameters.ts), checked here first so that a slip is said at once, in the page's language. */
  function problemWith(parameters) {
    clearInvalid();
    var isDay = function (value) {
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !isNaN(Date.parse(value + 'T00:00:00Z')) && new Date(value + 'T00:00:00Z').toISOString().slice(0, 10) === value;
    };
    if (!isDay(parameters.since)) return 'since';
    if (!isDay(parameters.until)) return 'until';
    var days = (Date.parse(parameters.until + 'T00:00:00Z') - Date.parse(parameters.since + 'T00:00:00Z')) / DAY_MS + 1;
    if (days < 1 || days > settings.limits.maxPeriodDays) return 'since';
    var minutes = Number(parameters.abandonAfter);
    if (!/^\d{1,5}$/.test(String(parameters.abandonAfter)) || minutes < 1 || minutes > settings.limits.maxAbandonAfterMinutes) return 'abandonAfter';
    return undefined;
  }

  function load(parameters) {
    var current = (generation += 1);
    var query = new URLSearchParams({ since: parameters.since, until: parameters.until, abandonAfter: String(parameters.abandonAfter) }).toString();
    document.body.removeAttribute('data-ready');
    clearInvalid();
    setStatus(texts.status.loading, false);
    fetch(settings.dataUrl + '?' + query, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (response.status === 401) {
          location.assign('/insights/sign-in?lang=' + settings.language);
          return undefined;
        }
        return response.json().then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (answer) {
        if (!answer || current !== generation) return;
        if (answer.status === 400 && answer.body && answer.body.error) return showInvalid(answer.body.error.parameter);
        if (!answer.ok) return setStatus(texts.status.failed, true);
        render(answer.body);
        csvLink.href = settings.csvUrl + '?' + query;
        history.replaceState(null, '', addressFor(settings.language, parameters));
        // The other language shows the same period.
        languageLink.href = addressFor(settings.language === 'ja' ? 'en' : 'ja', parameters);
        markPreset(answer.body.period);
        setStatus(format(texts.status.loaded, answer.body.period), false);
        document.body.setAttribute('data-ready', query);
      })
      .catch(function () {
        if (current === generation) setStatus(texts.status.failed, true);
      });
  }

  function addressFor(language, parameters) {
    return '/insights?' + new URLSearchParams({ lang: language, since: parameters.since, until: parameters.until, abandonAfter: String(parameters.abandonAfter) }).toString();
  }

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle('status--error', isError);
  }

  function showInvalid(parameter) {
    var input = inputs[parameter] || inputs.since;
    setStatus(texts.status.invalid[parameter] || texts.status.invalid.since, true);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  function clearInvalid() {
    Object.keys(inputs).forEach(function (name) {
      inputs[name].removeAttribute('aria-invalid');
    });
  }

  function markPreset(period) {
    presetButtons.forEach(function (button) {
      var days = Number(button.getAttribute('data-days'));
      var pressed = period.until === today() && period.since === addDays(period.until, 1 - days);
      button.setAttribute('aria-pressed', String(pressed));
    });
  }

  // ---------------------------------------------------------------------------
  // Drawing

  function render(data) {
    renderTiles(data);
    renderDays(data.days);
    renderBreakdown(data);
    renderErrors(data.errors);
    renderSegment('table-os', data.byOs, texts.names.os);
    renderSegment('table-language', data.byLanguage, texts.names.languages);
    renderSegment('table-channel', data.byChannel, texts.names.channels);
    renderSegment('table-entry', data.byEntry, texts.names.entries);
    renderTexts(data.unrecognisedTexts);
  }

  function renderTiles(data) {
    document.getElementById('kpi-compared').textContent = format(texts.period.previous, data.previous.period);
    var list = document.getElementById('kpis');
    list.replaceChildren.apply(
      list,
      KPIS.map(function (kpi) {
        var value = kpi.of(data);
        var before = kpi.of(data.previous);
        var shown = kpi.kind === 'rate' ? percent.format(value) : integer.format(value);
        var tile = element('li', 'tile');
        tile.setAttribute('data-kpi', kpi.key);
        tile.append(element('p', 'tile__label', kpi.label));
        var valueElement = element('p', 'tile__value', shown);
        valueElement.setAttribute('data-value', String(value));
        tile.append(valueElement, change(kpi, value, before));
        tile.append(element('p', 'tile__previous', format(texts.kpi.previousValue, { value: kpi.kind === 'rate' ? percent.format(before) : integer.format(before) })));
        return tile;
      }),
    );
  }

  /** "▲ +12 (+40%)" or "▼ -5.0 points": the arrow for the eye, the word for screen readers. */
  function change(kpi, value, before) {
    var difference = value - before;
    var paragraph = element('p', 'tile__change');
    if (Math.abs(difference) < 1e-9) {
      paragraph.classList.add('change--neutral');
      paragraph.textContent = texts.kpi.same;
      return paragraph;
    }
    var direction = difference > 0 ? 1 : -1;
    var judgement = kpi.better === 0 ? 'neutral' : direction === kpi.better ? 'good' : 'bad';
    paragraph.classList.add('change--' + judgement);
    var arrow = element('span', '', direction > 0 ? '▲ ' : '▼ ');
    arrow.setAttribute('aria-hidden', 'true');
    var words = element('span', 'visually-hidden', (direction > 0 ? texts.kpi.up : texts.kpi.down) + ' ');
    var amount =
      kpi.kind === 'rate'
        ? signedPoints.format(difference * 100) + ' ' + texts.kpi.points
        : signedInteger.format(difference) + (before > 0 ? ' (' + signedPercent.format(difference / before) + ')' : '');
    paragraph.append(arrow, words, document.createTextNode(amount));
    return paragraph;
  }

  function renderDays(days) {
    drawChart('chart-days', {
      type: 'bar',
      data: {
        labels: days.map(function (day) {
          return shortDate.format(new Date(day.date + 'T00:00:00Z'));
        }),
        datasets: OUTCOMES.map(function (outcome) {
          return {
            label: texts.outcomes[outcome],
            data: days.map(function (day) {
              return day[outcome];
            }),
            backgroundColor: COLORS[outcome],
            stack: 'outcomes',
          };
        }),
      },
      options: {
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    fillTable(
      'table-days',
      days.map(function (day) {
        return [day.date, number(day.sessions), number(day.resolved), number(day.escalated), number(day.abandoned)];
      }),
      5,
    );
  }

  function renderBreakdown(data) {
    var other = Math.max(0, data.sessions - data.resolved - data.escalated - data.abandoned);
    var parts = OUTCOMES.map(function (outcome) {
      return { key: outcome, label: texts.outcomes[outcome], count: data[outcome] };
    }).concat([{ key: 'other', label: texts.outcomes.other, count: other }]);
    drawChart('chart-breakdown', {
      type: 'doughnut',
      data: {
        labels: parts.map(function (part) {
          return part.label;
        }),
        datasets: [
          {
            data: parts.map(function (part) {
              return part.count;
            }),
            backgroundColor: parts.map(function (part) {
              return COLORS[part.key];
            }),
            borderColor: '#fff',
          },
        ],
      },
      options: { plugins: { legend: { position: 'bottom' } } },
    });
    fillTable(
      'table-breakdown',
      parts.map(function (part) {
        return [part.label, number(part.count), number(data.sessions === 0 ? 0 : part.count / data.sessions, percent)];
      }),
      3,
    );
  }

  function renderErrors(errors) {
    var container = document.getElementById('errors');
    container.querySelectorAll('canvas').forEach(function (canvas) {
      var chart = Chart.getChart(canvas);
      if (chart) chart.destroy();
    });
    container.replaceChildren.apply(container, errors.map(errorPanel));
    errors.forEach(function (figures) {
      var causes = Object.keys(figures.funnel);
      drawChart('chart-error-' + figures.category, {
        type: 'bar',
        data: {
          labels: causes.map(function (cause, index) {
            return wrap(causeLabel(cause, index));
          }),
          datasets: [
            funnelSet(texts.errors.shown, COLORS.shown, causes, function (f) { return f.shown; }, figures),
            funnelSet(texts.errors.fixedHere, COLORS.fixed, causes, function (f) { return f.fixed; }, figures),
            funnelSet(texts.errors.wentOn, COLORS.wentOn, causes, function (f) { return f.wentOn; }, figures),
            {
              label: texts.errors.droppedOff,
              backgroundColor: COLORS.droppedOff,
              data: causes.map(function (cause) {
                return figures.dropOff[cause] || 0;
              }),
            },
          ],
        },
        options: {
          indexAxis: 'y',
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom' } },
        },
      });
    });
  }

  function funnelSet(label, color, causes, pick, figures) {
    return {
      label: label,
      backgroundColor: color,
      data: causes.map(function (cause) {
        return pick(figures.funnel[cause]);
      }),
    };
  }

  function errorPanel(figures) {
    var title = settings.titles.errors[figures.category] || figures.category;
    var causes = Object.keys(figures.funnel);
    var panel = element('article', 'panel error-panel');
    panel.id = 'error-' + figures.category;
    panel.setAttribute('aria-labelledby', 'error-heading-' + figures.category);
    var heading = element('h3', '', title);
    heading.id = 'error-heading-' + figures.category;
    panel.append(heading, element('p', 'hint', figures.sessions === 0 ? texts.errors.noSessions : format(texts.errors.sessions, { sessions: integer.format(figures.sessions), resolved: integer.format(figures.resolved), escalated: integer.format(figures.escalated), abandoned: integer.format(figures.abandoned) })));

    var box = element('div', 'chart chart--funnel');
    box.style.height = 90 + causes.length * 58 + 'px';
    var canvas = element('canvas', '', format(texts.errors.chartLabel, { error: title }));
    canvas.id = 'chart-error-' + figures.category;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', format(texts.errors.chartLabel, { error: title }));
    box.append(canvas);

    var table = element('table', 'table');
    table.append(element('caption', '', format(texts.errors.tableCaption, { error: title })));
    table.append(headRow([texts.errors.cause, texts.errors.shown, texts.errors.fixedHere, texts.errors.wentOn, texts.errors.droppedOff]));
    var body = element('tbody', '');
    causes.forEach(function (cause, index) {
      var funnel = figures.funnel[cause];
      body.append(row([causeLabel(cause, index), number(funnel.shown), number(funnel.fixed), number(funnel.wentOn), number(figures.dropOff[cause] || 0)]));
    });
    table.append(body);
    panel.append(box, table);
    return panel;
  }

  function renderSegment(id, figures, names) {
    var keys = Object.keys(figures).sort(function (a, b) {
      return figures[b].sessions - figures[a].sessions || a.localeCompare(b);
    });
    fillTable(
      id,
      keys.map(function (key) {
        var f = figures[key];
        return [names[key] || key, number(f.sessions), number(f.engaged), number(f.resolved), number(f.escalated), number(f.abandoned)];
      }),
      6,
      texts.segments.none,
    );
  }

  function renderTexts(entries) {
    fillTable(
      'table-unrecognised',
      entries.map(function (entry) {
        return [entry.text, number(entry.count), { text: dateTime.format(new Date(entry.lastSeen)), number: true }];
      }),
      3,
      texts.unrecognised.none,
    );
  }

  // ---------------------------------------------------------------------------
  // Small helpers

  function drawChart(id, configuration) {
    var canvas = document.getElementById(id);
    var existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    return new Chart(canvas, configuration);
  }

  /** A right-aligned cell (numbers, and the times beside them): { text, number: true }. */
  function number(value, formatter) {
    return { text: (formatter || integer).format(value), number: true };
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function row(cells) {
    var tr = element('tr', '');
    cells.forEach(function (cell, index) {
      var isNumber = typeof cell === 'object';
      var td = element(index === 0 ? 'th' : 'td', isNumber ? 'number' : '', isNumber ? cell.text : cell);
      if (index === 0) td.setAttribute('scope', 'row');
      tr.append(td);
    });
    return tr;
  }

  function headRow(labels) {
    var thead = element('thead', '');
    var tr = element('tr', '');
    labels.forEach(function (label, index) {
      var th = element('th', index > 0 ? 'number' : '', label);
      th.setAttribute('scope', 'col');
      tr.append(th);
    });
    thead.append(tr);
    return thead;
  }

  /** Replaces a table's rows; with no rows, one row that says so (empty periods show zeros or "none", never an error). */
  function fillTable(id, rows, columns, emptyText) {
    var body = document.getElementById(id).querySelector('tbody');
    if (rows.length === 0 && emptyText) {
      var td = element('td', 'empty', emptyText);
      td.colSpan = columns;
      var tr = element('tr', '');
      tr.append(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren.apply(body, rows.map(row));
  }

  function causeTitle(cause) {
    return settings.titles.causes[cause] || cause;
  }

  /**
   * "2. title" for a cause of the article; an extra check of the current article
   * (issue 12, ids "current-…") is not numbered with them: its title says where it comes from.
   */
  function causeLabel(cause, index) {
    return cause.indexOf('current-') === 0 ? causeTitle(cause) : index + 1 + '. ' + causeTitle(cause);
  }

  /**
   * Chart labels on several lines, broken between words: English words, runs of
   * Latin letters and digits in Japanese ("Windows VM"), else between characters.
   */
  function wrap(text) {
    var max = settings.language === 'ja' ? 18 : 32;
    var tokens = text.match(/[A-Za-z0-9().,'-]+|\s+|[^A-Za-z0-9().,'\s-]/g) || [];
    var lines = [];
    var line = '';
    tokens.forEach(function (token) {
      if (line.length + token.length > max && line.trim() !== '') {
        lines.push(line.trim());
        line = /^\s+$/.test(token) ? '' : token;
      } else {
        line += token;
      }
    });
    if (line.trim() !== '') lines.push(line.trim());
    return lines;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function addDays(day, days) {
    return new Date(new Date(day + 'T00:00:00Z').getTime() + days * DAY_MS).toISOString().slice(0, 10);
  }
})();
