/**
 * The web page's only script, inlined and allowed by its hash (page-html.ts).
 * It is a string, not compiled TypeScript: the handler bundle ships it as
 * is, so there is no build step and nothing a bundler could rename (esbuild's
 * keepNames would inject helpers into a serialized function). Everything it
 * shows goes through textContent or DOM attributes, never innerHTML, so job
 * descriptions, variables and result cells stay text. The chart arrives as
 * SVG from GET analyses/{id}/chart (rendered by src/report on the server) and
 * is parsed as XML, then imported.
 *
 * Configuration comes from data- attributes on #app: data-api (the prefix of
 * the API routes, relative), data-auth-domain and data-client-id (Cognito
 * hosted UI, OAuth code flow with PKCE; absent offline).
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var app = document.getElementById('app');
  var cfg = {
    api: app.getAttribute('data-api') || '',
    authDomain: app.getAttribute('data-auth-domain') || '',
    clientId: app.getAttribute('data-client-id') || '',
    pollMs: Number(app.getAttribute('data-poll-ms')) || 2000
  };
  var TERMINAL = { SUCCEEDED: true, FAILED: true, CANCELLED: true };
  var TOKEN_KEY = 'loghive.token';
  var PKCE_KEY = 'loghive.pkce';
  var LIST_KEY = 'loghive.analyses';
  var jobs = [];
  var analyses = new Map();
  var order = [];
  var polling = new Set();
  var selected = null;
  var shown = null;
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = String(v);
      else e.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) e.append(c); });
    return e;
  }

  function say(message) { byId('status').textContent = message; }

  // ---- sign-in (deployed with webPage=true): Cognito hosted UI, code flow with PKCE ----
  function b64url(bytes) {
    var s = '';
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function randomText(n) { return b64url(crypto.getRandomValues(new Uint8Array(n))); }
  function redirectUri() { return location.origin + location.pathname; }
  function token() {
    if (!cfg.authDomain) return null;
    try {
      var t = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
      if (t && typeof t.access === 'string' && t.expires > Date.now() + 30000) return t.access;
    } catch (e) { /* a damaged entry is a signed-out session */ }
    return null;
  }
  async function signIn() {
    var verifier = randomText(48);
    var digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    var state = randomText(24);
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier: verifier, state: state }));
    location.assign('https://' + cfg.authDomain + '/oauth2/authorize?' + new URLSearchParams({
      response_type: 'code', client_id: cfg.clientId, redirect_uri: redirectUri(), scope: 'openid email',
      state: state, code_challenge: b64url(new Uint8Array(digest)), code_challenge_method: 'S256'
    }));
  }
  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    location.assign('https://' + cfg.authDomain + '/logout?' + new URLSearchParams({ client_id: cfg.clientId, logout_uri: redirectUri() }));
  }
  /** Back from the hosted UI with ?code=…&state=…: trade the code (and our verifier) for tokens. */
  async function finishSignIn() {
    var q = new URLSearchParams(location.search);
    if (!q.has('code') && !q.has('error')) return;
    history.replaceState(null, '', location.pathname);
    if (q.has('error')) throw new Error('Sign-in failed: ' + (q.get('error_description') || q.get('error')));
    var pkce = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
    sessionStorage.removeItem(PKCE_KEY);
    if (!pkce || pkce.state !== q.get('state')) throw new Error('Sign-in did not come from this page; sign in again.');
    var res = await fetch('https://' + cfg.authDomain + '/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: cfg.clientId, code: q.get('code'), redirect_uri: redirectUri(), code_verifier: pkce.verifier })
    });
    if (!res.ok) throw new Error('Sign-in failed: the token endpoint answered ' + res.status);
    var body = await res.json();
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ access: body.access_token, expires: Date.now() + Number(body.expires_in || 3600) * 1000 }));
  }
  function showAccount() {
    var box = byId('account');
    box.replaceChildren();
    if (!cfg.authDomain) return;
    var b = token()
      ? el('button', { type: 'button', class: 'lh-button lh-secondary', text: 'Sign out' })
      : el('button', { type: 'button', class: 'lh-button', text: 'Sign in' });
    b.addEventListener('click', token() ? signOut : function () { signIn().catch(fail); });
    box.append(b);
  }

  // ---- the API (relative URLs: the page works behind API Gateway and serverless-offline alike) ----
  function SignInNeeded() { this.message = 'Sign in to use loghive.'; }
  async function api(method, path, body, accept) {
    var headers = { accept: accept || 'application/json' };
    if (cfg.authDomain) {
      var t = token();
      if (!t) { showAccount(); throw new SignInNeeded(); }
      headers.authorization = 'Bearer ' + t;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    var res = await fetch(cfg.api + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    if (res.status === 401 && cfg.authDomain) {
      sessionStorage.removeItem(TOKEN_KEY);
      showAccount();
      throw new Error('Your sign-in has expired: sign in again.');
    }
    if (res.status === 403 && !cfg.authDomain) {
      throw new Error('The API refused the request (403). A deployed loghive API is IAM-authorized: deploy with --param="webPage=true" to sign in from a browser.');
    }
    if (!res.ok) {
      var message = res.status + ' ' + res.statusText;
      try {
        var e = await res.json();
        if (e && e.message) message = (e.error ? e.error + ': ' : '') + e.message;
      } catch (ignored) { /* not JSON: keep the status line */ }
      var failure = new Error(message);
      failure.status = res.status;
      throw failure;
    }
    return res;
  }
  function fail(err) { say(err && err.message ? err.message : String(err)); }

  // ---- jobs ----
  async function loadJobs() {
    say('Loading jobs…');
    var data = await (await api('GET', 'jobs')).json();
    jobs = data.jobs || [];
    var list = byId('jobs');
    list.replaceChildren();
    jobs.forEach(function (job) {
      var descId = 'job-desc-' + job.name;
      var b = el('button', { type: 'button', class: 'lh-pick', 'data-job': job.name, 'aria-describedby': descId, 'aria-controls': 'run', text: job.name });
      b.addEventListener('click', function () { pickJob(job); });
      list.append(el('li', null, [b, el('p', { id: descId, text: job.description })]));
    });
    say(jobs.length + ' jobs. Pick one to run it.');
  }

  function isDateVariable(v) { return v.name === 'FROM' || v.name === 'TO' || v.description.indexOf('yyyy-MM-dd') >= 0; }

  function pickJob(job) {
    document.querySelectorAll('#jobs button[data-job]').forEach(function (b) {
      if (b.getAttribute('data-job') === job.name) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
    });
    byId('run').hidden = false;
    byId('run-title').textContent = 'Run ' + job.name;
    byId('run-desc').textContent = job.description;
    byId('run-error').textContent = '';
    var fields = byId('run-fields');
    fields.replaceChildren();
    var first = null;
    job.variables.filter(function (v) { return !v.setByService; }).forEach(function (v) {
      var id = 'var-' + v.name;
      var date = isDateVariable(v);
      var input = el('input', {
        id: id, name: v.name, type: date ? 'date' : 'text', required: true, 'aria-describedby': id + '-hint',
        value: date && /^\\d{4}-\\d{2}-\\d{2}$/.test(v.example) ? v.example : null,
        placeholder: date ? null : v.example || null, autocomplete: 'off'
      });
      first = first || input;
      fields.append(el('div', { class: 'lh-field' }, [
        el('label', { for: id }, [v.name + ' ', el('span', { class: 'lh-required', text: '(required)' })]),
        input,
        el('p', { id: id + '-hint', class: 'lh-hint', text: v.description })
      ]));
    });
    byId('run-form').setAttribute('data-job', job.name);
    (first || byId('engine')).focus();
  }

  async function submitRun(ev) {
    ev.preventDefault();
    var form = byId('run-form');
    if (!form.reportValidity()) return;
    var vars = {};
    form.querySelectorAll('#run-fields input').forEach(function (i) { vars[i.name] = i.value; });
    var button = byId('run-submit');
    button.disabled = true;
    byId('run-error').textContent = '';
    say('Starting ' + form.getAttribute('data-job') + '…');
    try {
      var record = await (await api('POST', 'analyses', { job: form.getAttribute('data-job'), vars: vars, engine: byId('engine').value })).json();
      update(record);
      select(record.id, true);
      say('Analysis ' + record.id + ' is ' + record.state + '.');
    } catch (err) {
      byId('run-error').textContent = err.message;
      say('The analysis was not started.');
    } finally {
      button.disabled = false;
    }
  }

  // ---- analyses: a list of buttons (Tab, or the arrow keys, moves between them) ----
  function remember() {
    try { sessionStorage.setItem(LIST_KEY, JSON.stringify(order.slice(0, 20))); } catch (e) { /* private mode: the list is per page then */ }
  }
  function update(record) {
    var known = analyses.has(record.id);
    analyses.set(record.id, record);
    if (!known) { order.unshift(record.id); remember(); }
    renderList();
    if (selected === record.id) renderDetail(record);
    if (!TERMINAL[record.state]) poll(record.id);
  }
  function poll(id) {
    if (polling.has(id)) return;
    polling.add(id);
    setTimeout(function () {
      api('GET', 'analyses/' + encodeURIComponent(id))
        .then(function (res) { return res.json(); })
        .then(function (record) { polling.delete(id); update(record); })
        .catch(function (err) {
          polling.delete(id);
          fail(err);
          // Network trouble, throttling and 5xx pass; a 4xx (the record is gone, sign-in is needed) will not.
          if (!(err instanceof SignInNeeded) && !(err.status >= 400 && err.status < 500 && err.status !== 429)) poll(id);
        });
    }, cfg.pollMs);
  }
  function renderList() {
    var list = byId('analyses');
    byId('analyses-empty').hidden = order.length > 0;
    order.forEach(function (id, i) {
      var r = analyses.get(id);
      if (!r) return;
      var b = list.querySelector('button[data-id="' + id + '"]');
      if (!b) {
        b = el('button', { type: 'button', class: 'lh-pick', 'data-id': id, 'aria-controls': 'detail' });
        b.addEventListener('click', function () { select(id, false); });
        var li = el('li', null, [b]);
        list.insertBefore(li, list.children[i] || null);
      }
      b.replaceChildren(r.job + ' ', el('span', { class: 'lh-state lh-state-' + r.state, text: r.state }),
        el('span', { class: 'lh-when', text: new Date(r.createdAt).toLocaleString() + ' · ' + r.engine }));
      b.setAttribute('data-state', r.state);
      if (id === selected) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
    });
  }
  function onListKey(ev) {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    var buttons = Array.prototype.slice.call(byId('analyses').querySelectorAll('button[data-id]'));
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    ev.preventDefault();
    var next = buttons[Math.min(buttons.length - 1, Math.max(0, at + (ev.key === 'ArrowDown' ? 1 : -1)))];
    next.focus();
  }
  function select(id, moveFocus) {
    selected = id;
    shown = null;
    renderList();
    renderDetail(analyses.get(id));
    if (moveFocus) byId('detail-title').focus();
  }

  // ---- one analysis: state, failure, counters, chart and table ----
  function counter(label, value) {
    return el('div', null, [el('dt', { text: label }), el('dd', { text: value === undefined || value === null ? '—' : Number(value).toLocaleString('en-US') })]);
  }
  function renderDetail(r) {
    var box = byId('detail');
    box.hidden = false;
    byId('detail-title').textContent = r.job + ' — ' + r.state;
    if (shown === r.id + ':' + r.state) return;
    shown = r.id + ':' + r.state;
    var body = byId('detail-body');
    body.replaceChildren();
    var vars = Object.keys(r.vars || {}).map(function (k) { return k + '=' + r.vars[k]; }).join(', ');
    body.append(el('dl', { class: 'lh-meta' }, [
      el('dt', { text: 'Analysis' }), el('dd', { text: r.id }),
      el('dt', { text: 'State' }), el('dd', null, [el('span', { class: 'lh-state lh-state-' + r.state, text: r.state })]),
      el('dt', { text: 'Variables' }), el('dd', { text: vars || 'none' }),
      el('dt', { text: 'Engine' }), el('dd', { text: r.engine + (r.engineReason ? ' (' + r.engineReason + ')' : '') })
    ]));
    if (r.error) {
      var where = r.error.position ? 'line ' + r.error.position.line + ', column ' + r.error.position.column : '';
      if (r.error.location) where += (where ? ', ' : '') + 'reading ' + r.error.location;
      body.append(el('div', { class: 'lh-error', role: 'alert' }, [
        el('p', null, [el('strong', { text: 'Error: ' }), r.error.message]),
        el('p', null, [el('strong', { text: 'Cause: ' }), r.error.type + (where ? ' (' + where + ')' : '')])
      ]));
    }
    if (!TERMINAL[r.state]) body.append(el('p', { class: 'lh-placeholder', text: 'Waiting for the analysis; the state is checked every ' + Math.round(cfg.pollMs / 1000) + ' s.' }));
    if (r.state !== 'SUCCEEDED') return;
    var c = r.counters || {};
    body.append(el('dl', { class: 'lh-counters' }, [counter('Records read', c.recordsRead), counter('Malformed records', c.malformedRecords), counter('Rows', r.rowCount)]));
    if (!r.counters) body.append(el('p', { class: 'lh-note', text: 'EMR does not report record counters to loghive.' }));
    var figure = el('figure', { id: 'chart' }, [el('p', { class: 'lh-placeholder', text: 'Loading the chart…' })]);
    var table = el('div', { id: 'table' }, [el('p', { class: 'lh-placeholder', text: 'Loading the rows…' })]);
    body.append(figure, table);
    var id = r.id;
    showChart(id, figure).catch(function (err) { figure.replaceChildren(el('p', { class: 'lh-error', text: 'No chart: ' + err.message })); });
    showTable(id, table).catch(function (err) { table.replaceChildren(el('p', { class: 'lh-error', text: 'No rows: ' + err.message })); });
  }

  async function showChart(id, figure) {
    var res = await api('GET', 'analyses/' + encodeURIComponent(id) + '/chart', undefined, 'image/svg+xml');
    var text = res.status === 204 ? '' : await res.text();
    if (selected !== id) return;
    if (!text) { figure.replaceChildren(el('p', { class: 'lh-note', text: 'This job has no chart.' })); return; }
    var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    var svg = doc.documentElement;
    if (svg.namespaceURI !== 'http://www.w3.org/2000/svg' || svg.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) throw new Error('the chart is not SVG');
    // Defence in depth (the CSP blocks them anyway): no scripts, handlers or links in an imported chart.
    doc.querySelectorAll('script, foreignObject, a').forEach(function (n) { n.remove(); });
    doc.querySelectorAll('*').forEach(function (n) {
      Array.prototype.slice.call(n.attributes).forEach(function (a) { if (/^on/i.test(a.name) || a.name === 'style' || /href$/i.test(a.name)) n.removeAttribute(a.name); });
    });
    figure.replaceChildren(document.importNode(svg, true));
  }

  function cellText(v) { return v === null || v === undefined ? 'NULL' : Array.isArray(v) ? JSON.stringify(v) : String(v); }
  var NUMERIC = /^(tinyint|smallint|int|integer|bigint|float|double|decimal)\\b/i;
  async function showTable(id, box) {
    var page = await (await api('GET', 'analyses/' + encodeURIComponent(id) + '/results?limit=1000')).json();
    if (selected !== id) return;
    var caption = el('caption', { id: 'results-caption', text: 'Rows of ' + analyses.get(id).job });
    var head = el('tr');
    page.columns.forEach(function (c, i) {
      var numeric = NUMERIC.test(c.type);
      head.append(el('th', { scope: 'col', 'aria-sort': 'none', 'data-type': numeric ? 'num' : 'text', class: numeric ? 'lh-num' : null }, [
        el('button', { type: 'button', 'data-col': i, title: 'Sort by ' + c.name }, [el('span', { class: 'lh-name', text: c.name }), el('span', { class: 'lh-type', text: c.type })])
      ]));
    });
    var tbody = el('tbody');
    page.rows.forEach(function (row) {
      var tr = el('tr');
      page.columns.forEach(function (c) {
        var v = row[c.name];
        var numeric = NUMERIC.test(c.type);
        if (v === null || v === undefined) tr.append(el('td', { class: 'lh-null' + (numeric ? ' lh-num' : ''), text: 'NULL' }));
        else tr.append(el('td', { class: numeric ? 'lh-num' : null, 'data-v': cellText(v), text: numeric && typeof v === 'number' ? v.toLocaleString('en-US') : cellText(v) }));
      });
      tbody.append(tr);
    });
    var table = el('table', { class: 'lh-table lh-sortable', id: 'results' }, [caption, el('thead', null, [head]), tbody]);
    var parts = [el('div', { class: 'lh-table-wrap', role: 'region', tabindex: '0', 'aria-labelledby': 'results-caption' }, [table])];
    if (page.rows.length === 0) parts.push(el('p', { class: 'lh-note', text: 'No rows.' }));
    else if (page.nextCursor) parts.push(el('p', { class: 'lh-note', text: 'Showing the first ' + page.rows.length.toLocaleString('en-US') + (page.rowCount ? ' of ' + page.rowCount.toLocaleString('en-US') : '') + ' rows; GET analyses/{id}/results pages through all of them.' }));
    box.replaceChildren.apply(box, parts);
  }

  async function start() {
    byId('run-form').addEventListener('submit', function (ev) { submitRun(ev); });
    byId('analyses').addEventListener('keydown', onListKey);
    if (cfg.authDomain) await finishSignIn();
    showAccount();
    if (cfg.authDomain && !token()) { say('Sign in to use loghive.'); return; }
    await loadJobs();
    var saved = [];
    try { saved = JSON.parse(sessionStorage.getItem(LIST_KEY) || '[]'); } catch (e) { saved = []; }
    for (var i = saved.length - 1; i >= 0; i--) {
      try { update(await (await api('GET', 'analyses/' + encodeURIComponent(saved[i]))).json()); } catch (e) { /* gone or not readable: drop it */ }
    }
  }
  start().catch(fail);
})();`;
