// Cumbre organizers' dashboard. Vanilla JS, no build step, served as /admin/app.js under a CSP
// that allows only this origin. Data reaches the DOM through textContent and attributes only.
(function () {
  'use strict';
  var M = JSON.parse(document.getElementById('admin-messages').textContent);
  var main = document.getElementById('main');
  var EVENT = main.getAttribute('data-event');
  var LANG = main.getAttribute('data-lang');
  var LOCALE = { es: 'es-MX', en: 'en-US', fr: 'fr-CA' }[LANG] || 'en-US';
  var STORE_KEY = 'cumbre.admin.session';
  var REFRESH_MS = 10000;
  var $ = function (id) { return document.getElementById(id); };

  function fmt(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) { return vars && vars[k] !== undefined ? String(vars[k]) : ''; });
  }

  /** el('td', { class: 'x' }, 'text', child) — text children become text nodes, never markup. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? '' : String(attrs[k]));
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) node.setAttribute(k, String(attrs[k]));
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function show(node, on) { node.hidden = !on; }
  function humanize(id) { var s = String(id).replace(/-/g, ' '); return s.charAt(0).toUpperCase() + s.slice(1); }

  // ---- session (sign-in token kept for this tab only) ----
  var session = null;
  try { session = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null'); } catch (e) { session = null; }
  if (session && !(session.expiresAt > Date.now())) session = null;
  var challenge = null;
  var timer = null;

  function setError(node, message) { node.textContent = message || ''; show(node, Boolean(message)); }

  function signedIn(result, username) {
    session = { idToken: result.idToken, expiresAt: Date.now() + (result.expiresIn || 3600) * 1000 - 30000, username: username };
    sessionStorage.setItem(STORE_KEY, JSON.stringify(session));
    start();
  }

  function signOut(message) {
    session = null;
    sessionStorage.removeItem(STORE_KEY);
    if (timer) clearInterval(timer);
    timer = null;
    show($('app'), false);
    show($('signin'), true);
    setError($('signin-error'), message);
    $('password').value = '';
    $('username').focus();
  }

  $('signin-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var username = $('username').value.trim();
    var body = challenge
      ? { username: username, session: challenge.session, challenge: challenge.name, code: $('mfa-code').value.trim() || undefined, newPassword: $('new-password').value || undefined }
      : { username: username, password: $('password').value };
    var button = $('signin-submit');
    button.disabled = true;
    button.textContent = M.signingIn;
    fetch('/admin/session', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'omit' })
      .then(function (res) { return res.json().catch(function () { return {}; }).then(function (data) { return { res: res, data: data }; }); })
      .then(function (r) {
        if (r.res.ok && r.data.idToken) { challenge = null; setError($('signin-error'), ''); signedIn(r.data, username); return; }
        if (r.res.ok && r.data.challenge) {
          challenge = { name: r.data.challenge, session: r.data.session };
          show($('signin-credentials'), false);
          show($('signin-mfa'), challenge.name === 'SOFTWARE_TOKEN_MFA');
          show($('signin-new-password'), challenge.name === 'NEW_PASSWORD_REQUIRED');
          button.textContent = M.continue;
          (challenge.name === 'SOFTWARE_TOKEN_MFA' ? $('mfa-code') : $('new-password')).focus();
          return;
        }
        challenge = null;
        show($('signin-credentials'), true);
        show($('signin-mfa'), false);
        show($('signin-new-password'), false);
        setError($('signin-error'), r.res.status === 401 ? M.invalidCredentials : fmt(M.failed, { message: r.data.message || r.res.status }));
      })
      .catch(function (err) { setError($('signin-error'), fmt(M.failed, { message: err.message })); })
      .then(function () { button.disabled = false; if (!challenge) button.textContent = M.signIn; });
  });

  // The shell ships the button disabled so that, without this script, nothing is submitted.
  $('signin-submit').disabled = false;

  $('signout').addEventListener('click', function () { signOut(''); });

  /** The JSON API with the organizer's token; a 401 means the token expired. */
  function api(path, options) {
    if (!session || !(session.expiresAt > Date.now())) { signOut(M.sessionExpired); return Promise.reject(new Error(M.sessionExpired)); }
    options = options || {};
    var headers = Object.assign({ authorization: 'Bearer ' + session.idToken, accept: 'application/json' }, options.headers || {});
    return fetch(path, Object.assign({}, options, { headers: headers, credentials: 'omit' })).then(function (res) {
      if (res.status === 401) { signOut(M.sessionExpired); throw new Error(M.sessionExpired); }
      return res;
    });
  }
  function apiJson(path, options) {
    return api(path, options).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) { var err = new Error(data.message || String(res.status)); err.status = res.status; err.body = data; throw err; }
        return data;
      });
    });
  }
  var base = '/events/' + encodeURIComponent(EVENT);

  // ---- capacity ----
  var lastReport = null;

  /** One stacked bar: confirmed, free, then waitlisted seats beyond capacity, drawn to scale. */
  function bar(parts, label) {
    var total = parts.reduce(function (t, p) { return t + p.value; }, 0) || 1;
    var x = 0;
    var g = svg('svg', { viewBox: '0 0 100 8', preserveAspectRatio: 'none', width: '100%', height: '24', role: 'img', 'aria-label': label, focusable: 'false' });
    g.appendChild(svg('title', {}, document.createTextNode(label)));
    parts.forEach(function (p) {
      if (!p.value) return;
      var w = (p.value / total) * 100;
      g.appendChild(svg('rect', { x: x.toFixed(3), y: 0, width: w.toFixed(3), height: 8, fill: p.color, 'data-part': p.name, 'data-value': p.value }));
      x += w;
    });
    return g;
  }
  var COLORS = { confirmed: '#1a7f37', waitlisted: '#b35900', free: '#d0d5dc', other: '#e7eaee' };

  function drawCapacity(report) {
    lastReport = report;
    var bars = clear($('capacity-bars'));
    report.sessions.forEach(function (s) {
      var summary = fmt(M.seatsSummary, { confirmed: s.confirmed, waitlisted: s.waitlistedSeats, free: s.free, capacity: s.capacity });
      bars.appendChild(el('div', { class: 'capacity-session', 'data-session': s.sessionId },
        el('p', { class: 'bar-label' }, el('strong', {}, humanize(s.sessionId)), ' — ', summary),
        bar([
          { name: 'confirmed', value: s.confirmed, color: COLORS.confirmed },
          { name: 'free', value: s.free, color: COLORS.free },
          { name: 'waitlisted', value: s.waitlistedSeats, color: COLORS.waitlisted },
        ], humanize(s.sessionId) + ': ' + summary)));
    });
    var select = $('capacity-session');
    var chosen = select.value;
    if (select.options.length !== report.sessions.length) {
      clear(select);
      report.sessions.forEach(function (s) { select.appendChild(el('option', { value: s.sessionId }, humanize(s.sessionId))); });
      if (chosen) select.value = chosen;
    }
    drawBreakdown();
    $('capacity-updated').textContent = fmt(M.updatedAt, { time: new Date().toLocaleTimeString(LOCALE) });
  }

  function drawBreakdown() {
    if (!lastReport) return;
    var s = lastReport.sessions.filter(function (x) { return x.sessionId === $('capacity-session').value; })[0] || lastReport.sessions[0];
    if (!s) return;
    [['capacity-category', s.byCategory], ['capacity-country', s.byCountry]].forEach(function (pair) {
      var node = clear($(pair[0]));
      var keys = Object.keys(pair[1]).sort();
      var max = keys.reduce(function (m, k) { var t = pair[1][k]; return Math.max(m, t.confirmed + t.waitlisted + t.declined + t.pending); }, 1);
      keys.forEach(function (k) {
        var t = pair[1][k];
        var label = k + ': ' + t.confirmed + ' ' + M.confirmed + ' · ' + t.waitlisted + ' ' + M.waitlisted + ' · ' + t.declined + ' ' + M.declined + ' · ' + t.pending + ' ' + M.pending;
        node.appendChild(el('div', { 'data-key': k }, el('p', { class: 'bar-label' }, label), bar([
          { name: 'confirmed', value: t.confirmed, color: COLORS.confirmed },
          { name: 'waitlisted', value: t.waitlisted, color: COLORS.waitlisted },
          { name: 'other', value: t.declined + t.pending + (max - (t.confirmed + t.waitlisted + t.declined + t.pending)), color: COLORS.other },
        ], label)));
      });
    });
  }
  $('capacity-session').addEventListener('change', drawBreakdown);

  function refreshCapacity() {
    if (document.hidden) return Promise.resolve();
    return apiJson(base + '/capacity').then(drawCapacity).catch(appError);
  }

  // ---- invitations ----
  var cursor = null;
  function query(extra) {
    var form = $('filters');
    var params = new URLSearchParams();
    ['q', 'status', 'category', 'country', 'sort'].forEach(function (name) { var v = form.elements[name].value.trim(); if (v) params.set(name, v); });
    params.set('limit', '50');
    if (extra) params.set('cursor', extra);
    return params.toString();
  }
  function statusPill(status) { return el('span', { class: 'status status-' + status }, M['status.' + status] || status); }

  function row(inv) {
    var sessions = el('ul', { class: 'plain' });
    inv.sessions.forEach(function (id) {
      var r = inv.responses[id];
      sessions.appendChild(el('li', {}, humanize(id), ': ', statusPill(r ? r.status : 'pending')));
    });
    var open = el('button', { type: 'button', class: 'secondary', 'data-open': inv.id }, M.open);
    return el('tr', { 'data-id': inv.id },
      el('td', {}, el('strong', {}, inv.name), el('br'), el('span', { class: 'meta' }, inv.email)),
      el('td', {}, inv.organization || ''),
      el('td', {}, inv.country),
      el('td', {}, inv.category),
      el('td', {}, sessions),
      el('td', { 'data-delivery': inv.delivery ? inv.delivery.state : '' }, inv.delivery ? inv.delivery.state : '—'),
      el('td', {}, open));
  }

  function loadInvitations(more) {
    var rows = $('inv-rows');
    if (!more) { clear(rows); cursor = null; }
    return apiJson(base + '/invitations?' + query(more ? cursor : null)).then(function (page) {
      page.items.forEach(function (inv) { rows.appendChild(row(inv)); });
      cursor = page.nextCursor || null;
      show($('inv-more'), Boolean(cursor));
      $('inv-total').textContent = fmt(M.total, { count: page.total });
    }).catch(appError);
  }
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); loadInvitations(false); });
  $('inv-more').addEventListener('click', function () { loadInvitations(true); });

  // ---- one invitation: history, resend, badge ----
  var openId = null;
  $('inv-rows').addEventListener('click', function (e) {
    var target = e.target.closest ? e.target.closest('[data-open]') : null;
    if (target) openInvitation(target.getAttribute('data-open'));
  });
  function openInvitation(id) {
    openId = id;
    var body = clear($('detail-body'));
    $('detail-status').textContent = '';
    $('detail-title').textContent = M.loading;
    body.appendChild(el('p', {}, M.loading));
    if (typeof $('detail').showModal === 'function') $('detail').showModal(); else $('detail').setAttribute('open', '');
    apiJson(base + '/invitations/' + encodeURIComponent(id)).then(function (inv) {
      $('detail-title').textContent = inv.name;
      clear(body);
      var dl = el('dl', { class: 'summary' });
      [[M.colEmail, inv.email], [M.colOrganization, inv.organization], [M.colCountry, inv.country], [M.colCategory, inv.category], [M.colDelivery, inv.delivery ? inv.delivery.state + (inv.delivery.detail ? ' — ' + inv.delivery.detail : '') : '—']]
        .forEach(function (p) { dl.appendChild(el('dt', {}, p[0])); dl.appendChild(el('dd', {}, p[1] || '—')); });
      body.appendChild(dl);
      body.appendChild(el('h3', {}, M.historyHeading));
      var history = inv.history || [];
      if (!history.length) body.appendChild(el('p', {}, M.noHistory));
      var list = el('ol', { id: 'detail-history' });
      history.forEach(function (h) {
        var at = h.at || h.occurredAt || '';
        var when = at ? new Date(at).toLocaleString(LOCALE) : '';
        var rest = Object.keys(h).filter(function (k) { return ['at', 'occurredAt', 'type', 'id', 'eventId', 'invitationId'].indexOf(k) < 0; })
          .map(function (k) { return k + ': ' + (typeof h[k] === 'object' ? JSON.stringify(h[k]) : h[k]); }).join(', ');
        list.appendChild(el('li', {}, el('strong', {}, h.type || ''), ' ', el('span', { class: 'meta' }, when), rest ? el('br') : null, rest));
      });
      body.appendChild(list);
    }).catch(function (err) { $('detail-title').textContent = ''; clear(body).appendChild(el('p', { class: 'error-message' }, err.status === 404 ? M.notAvailable : fmt(M.failed, { message: err.message }))); });
  }
  $('detail-close').addEventListener('click', function () { if ($('detail').close) $('detail').close(); else $('detail').removeAttribute('open'); });
  $('detail-resend').addEventListener('click', function () {
    if (!openId) return;
    apiJson(base + '/invitations/' + encodeURIComponent(openId) + '/resend', { method: 'POST' })
      .then(function () { $('detail-status').textContent = M.resent; })
      .catch(function (err) { $('detail-status').textContent = err.status === 404 ? M.notAvailable : fmt(M.failed, { message: err.message }); });
  });
  // Badge routes answer with a short-lived S3 link. Following their redirect from fetch() would need
  // the storage origin in connect-src, so the link is asked for as JSON and opened as a navigation.
  function openLink(path) {
    return apiJson(path).then(function (d) {
      if (!d.url) throw Object.assign(new Error(M.notAvailable), { status: 404 });
      window.location.assign(d.url);
    });
  }
  $('detail-badge').addEventListener('click', function () {
    if (!openId) return;
    openLink(base + '/invitations/' + encodeURIComponent(openId) + '/badge')
      .catch(function (err) { $('detail-status').textContent = err.status === 404 ? M.notAvailable : fmt(M.failed, { message: err.message }); });
  });

  // ---- import with a preview ----
  var checkedCsv = null;
  $('import-file').addEventListener('change', function () { checkedCsv = null; $('import-commit').disabled = true; clear($('import-result')); });
  function importErrors(details) {
    var table = el('table', { id: 'import-errors' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, M.colRow), el('th', { scope: 'col' }, M.colField), el('th', { scope: 'col' }, M.colMessage))));
    var tbody = el('tbody');
    (details || []).forEach(function (d) { tbody.appendChild(el('tr', {}, el('td', {}, d.row === undefined ? '' : d.row), el('td', {}, d.field), el('td', {}, d.message))); });
    table.appendChild(tbody);
    return el('div', { class: 'table-wrap' }, table);
  }
  function postCsv(csv, dryRun) {
    return api(base + '/invitations' + (dryRun ? '?dryRun=true' : ''), { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })
      .then(function (res) { return res.json().catch(function () { return {}; }).then(function (data) { return { ok: res.ok, status: res.status, data: data }; }); });
  }
  $('import-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var file = $('import-file').files[0];
    var out = clear($('import-result'));
    checkedCsv = null;
    $('import-commit').disabled = true;
    if (!file) return;
    out.appendChild(el('p', {}, M.loading));
    file.text().then(function (csv) {
      return postCsv(csv, true).then(function (r) {
        clear(out);
        if (r.ok) {
          checkedCsv = csv;
          $('import-commit').disabled = false;
          out.appendChild(el('p', { class: 'notice', id: 'import-preview-ok' }, fmt(M.previewOk, r.data)));
        } else {
          out.appendChild(el('p', { class: 'error-message', id: 'import-preview-errors' }, r.data.details ? M.previewErrors : fmt(M.failed, { message: r.data.message || r.status })));
          if (r.data.details) out.appendChild(importErrors(r.data.details));
        }
      });
    }).catch(appError);
  });
  $('import-commit').addEventListener('click', function () {
    if (!checkedCsv) return;
    var out = clear($('import-result'));
    $('import-commit').disabled = true;
    postCsv(checkedCsv, false).then(function (r) {
      if (r.ok) {
        out.appendChild(el('p', { class: 'notice', id: 'import-done' }, fmt(M.imported, r.data)));
        checkedCsv = null;
        loadInvitations(false);
        refreshCapacity();
      } else {
        out.appendChild(el('p', { class: 'error-message' }, fmt(M.failed, { message: r.data.message || r.status })));
        if (r.data.details) out.appendChild(importErrors(r.data.details));
      }
    }).catch(appError);
  });

  // ---- exports: fetched with the token, handed to the browser as a download ----
  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }
  var EXPORTS = {
    attendees: { path: '/attendees.csv', name: '-attendees.csv' },
    accreditation: { path: '/accreditation', name: '-accreditation.csv' },
    badges: { path: '/badges.pdf', link: true },
  };
  document.querySelectorAll('[data-download]').forEach(function (button) {
    button.addEventListener('click', function () {
      var spec = EXPORTS[button.getAttribute('data-download')];
      $('export-status').textContent = M.loading;
      if (spec.link) {
        openLink(base + spec.path).then(function () { $('export-status').textContent = ''; })
          .catch(function (err) { $('export-status').textContent = err.status === 404 ? M.notAvailable : fmt(M.failed, { message: err.message }); });
        return;
      }
      api(base + spec.path, { headers: { accept: '*/*' } }).then(function (res) {
        if (res.status === 404) throw new Error(M.notAvailable);
        if (!res.ok) throw new Error(String(res.status));
        return res.blob();
      }).then(function (blob) { download(blob, EVENT + spec.name); $('export-status').textContent = ''; })
        .catch(function (err) { $('export-status').textContent = fmt(M.failed, { message: err.message }); });
    });
  });

  function appError(err) {
    if (err && err.message === M.sessionExpired) return;
    setError($('app-error'), fmt(M.failed, { message: err && err.message }));
  }

  function start() {
    show($('signin'), false);
    show($('app'), true);
    setError($('app-error'), '');
    $('whoami').textContent = fmt(M.signedInAs, { name: session.username || '' });
    refreshCapacity();
    loadInvitations(false);
    if (timer) clearInterval(timer);
    timer = setInterval(refreshCapacity, REFRESH_MS);
  }

  if (session) start(); else show($('signin'), true);
})();
