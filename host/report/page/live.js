// The served page's live side (liqmap serve): Server-Sent Events from /api/events say when a new
// run generation is there; the page fetches its window from /api/heatmap?format=page and hands
// it to heatmap.js (window.liqmapPage.update), which keeps the user's zoom, pan and hover. A
// control switches between the time presets; alerts are listed under the header.
'use strict';

(function () {
  const page = window.liqmapPage;
  if (!page || !window.EventSource) return;
  const PRESETS = ['all', '12h', '24h', '3d', '1w', '1m', '3m', '6m', '1y'];
  const params = new URLSearchParams(window.location.search);
  const served = (page.data().window || {}).range;  // the server's --range when the address names none
  let range = PRESETS.includes(params.get('range')) ? params.get('range') : PRESETS.includes(served) ? served : 'all';
  let generation = page.data().generation || 0;
  let updates = 0, requested = 0, shown = 0;
  const alerts = [];

  // ---- controls: the preset picker, the live status, the alerts list (styled here, so the
  // file page's heatmap.css stays the file page's) ----
  const style = document.createElement('style');
  style.textContent =
    '.live { font-size: 12px; padding-left: 14px; position: relative; }' +
    '.live::before { content: ""; position: absolute; left: 2px; top: 4px; width: 8px; height: 8px; border-radius: 50%; background: #888; }' +
    '.live.open::before { background: #2abd85; } .live.error::before { background: #f5455c; }' +
    '#alerts { flex-basis: 100%; margin: 2px 0 0; padding: 0; list-style: none; font-size: 12px; }' +
    '#alerts li { color: #ffd27a; } #alerts li::before { content: "⚑ "; }';
  document.head.appendChild(style);
  const controls = document.querySelector('#bar .controls');
  const label = document.createElement('label');
  label.textContent = 'Range ';
  const picker = document.createElement('select');
  picker.id = 'range';
  for (const p of PRESETS) {
    const option = document.createElement('option');
    option.value = p;
    option.textContent = p;
    picker.appendChild(option);
  }
  picker.value = range;
  label.appendChild(picker);
  controls.insertBefore(label, controls.firstChild);
  const status = document.createElement('span');
  status.id = 'live-status';
  status.className = 'live connecting';
  controls.appendChild(status);
  const alertList = document.createElement('ul');
  alertList.id = 'alerts';
  alertList.hidden = true;
  document.getElementById('bar').appendChild(alertList);

  function describeStatus(text, state) {
    status.textContent = text;
    status.className = 'live ' + state;
  }

  // ---- the window: fetched whole for each generation (the map's newest columns change as the
  // history grows, so a column is never patched alone), dropped when a newer request came ----
  function load(options) {
    const ticket = ++requested;
    const query = new URLSearchParams({ format: 'page', bins: String(Math.max(1, page.data().grid.bins)) });
    if (range !== 'all') query.set('range', range);
    return fetch('/api/heatmap?' + query.toString(), { cache: 'no-store' })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
      .then(({ ok, body }) => {
        if (ticket < shown) return;
        if (!ok) { describeStatus('live · ' + body.error, 'error'); return; }
        shown = ticket;
        page.update(body, options);
        generation = body.generation;
        updates++;
        const ts = body.ts[body.ts.length - 1];
        describeStatus('live · generation ' + generation + ' · last ' + new Date(ts).toISOString().slice(0, 16).replace('T', ' ') + ' UTC', 'open');
      })
      .catch((error) => describeStatus('live · ' + error.message, 'error'));
  }

  picker.addEventListener('change', () => {
    range = picker.value;
    const url = new URL(window.location.href);
    if (range === 'all') url.searchParams.delete('range'); else url.searchParams.set('range', range);
    window.history.replaceState(null, '', url.toString());
    load({ resetView: true });
  });

  function showAlert(alert) {
    alerts.push(alert);
    const item = document.createElement('li');
    item.textContent = alert.line;
    alertList.insertBefore(item, alertList.firstChild);
    while (alertList.children.length > 5) alertList.removeChild(alertList.lastChild);
    alertList.hidden = false;
  }

  const source = new EventSource('/api/events');
  source.addEventListener('open', () => describeStatus('live · generation ' + generation, 'open'));
  source.addEventListener('error', () => describeStatus('live · reconnecting', 'connecting'));
  source.addEventListener('hello', (e) => {
    // A generation that came while the page was loading (or while the stream was down).
    if (JSON.parse(e.data).generation !== generation) load();
  });
  source.addEventListener('generation', (e) => {
    if (JSON.parse(e.data).generation !== generation) load();
  });
  source.addEventListener('alert', (e) => showAlert(JSON.parse(e.data)));

  // ---- the hook the browser test drives ----
  window.liqmapLive = {
    generation: () => generation,
    updates: () => updates,
    alerts: () => alerts.slice(),
    range: () => range,
    setRange: (r) => { picker.value = r; picker.dispatchEvent(new Event('change')); },
    status: () => status.textContent,
  };
})();
