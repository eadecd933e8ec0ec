// The dashboard's shared module: every page gets all of its data from the REST API through here.
// Requests carry "Authorization: Bearer <token>" once the user has stored a token in the header field;
// live updates read the API's Server-Sent Events with fetch (EventSource cannot send that header).

const TOKEN_KEY = 'masktune.apiToken';

export const token = {
  get: () => localStorage.getItem(TOKEN_KEY) || '',
  set: (value) => value ? localStorage.setItem(TOKEN_KEY, value) : localStorage.removeItem(TOKEN_KEY),
};

function authHeaders(extra = {}) {
  const t = token.get();
  return t ? { ...extra, Authorization: 'Bearer ' + t } : extra;
}

/** An API answer that was not 2xx/304, with the problem+json detail when the service sent one. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    const detail = problem && (problem.detail || problem.title);
    super(status === 401 || status === 403
      ? `The API refused the request (${status}): store a valid token under "API token" above.`
      : `${path}: ${status} ${detail || ''}`.trim());
    this.status = status;
    this.problem = problem;
  }
}

/** fetch() against the API with the stored token; throws ApiError on an error status. */
export async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: authHeaders(options.headers) });
  if (!response.ok && response.status !== 304) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, problem, path);
  }
  return response;
}

export async function getJson(path) {
  return (await api(path, { headers: { Accept: 'application/json' } })).json();
}

export async function postJson(path, body) {
  const response = await api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/**
 * Long-polls a job: answers its new JSON as soon as it differs from the version with this ETag, or null
 * when nothing changed within the wait.
 */
export async function awaitJobChange(id, etag, seconds = 30) {
  const response = await api(`/api/v1/jobs/${id}?waitSeconds=${seconds}`,
    { headers: { Accept: 'application/json', ...(etag ? { 'If-None-Match': etag } : {}) } });
  if (response.status === 304) return null;
  return { job: await response.json(), etag: response.headers.get('ETag') };
}

/**
 * Follows a Server-Sent Events endpoint: calls onEvent(name, data) for each event (data parsed as JSON
 * when it is JSON). Reconnects after a network error; stops when an "end" event arrived and the server
 * closed the stream, or when stop() is called. Returns stop.
 */
export function follow(path, onEvent, { onError } = {}) {
  const controller = new AbortController();
  let ended = false;
  let delay = 1000;
  (async () => {
    while (!ended && !controller.signal.aborted) {
      try {
        const response = await api(path, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
        delay = 1000;
        for await (const event of readEvents(response.body, controller.signal)) {
          if (event.name === 'end') ended = true;
          onEvent(event.name, event.data);
        }
        if (ended) return;
      } catch (e) {
        if (controller.signal.aborted) return;
        if (e instanceof ApiError && e.status < 500) { // a wrong id or token: retrying will not help
          if (onError) onError(e);
          return;
        }
        if (onError) onError(e);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 15000);
    }
  })();
  return () => controller.abort();
}

/** Parses a text/event-stream body into {name, id, data} records (the WHATWG rules we need). */
async function* readEvents(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
        const event = parseBlock(block);
        if (event) yield event;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseBlock(block) {
  let name = 'message', id = null;
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return null;
  const text = data.join('\n');
  let parsed = text;
  try { parsed = JSON.parse(text); } catch (e) { /* plain text */ }
  return { name, id, data: parsed };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What this service's API offers beyond the basics (added by other features over time), read from its
 * OpenAPI document once per browser session, so pages show e.g. the log tail only where the endpoint
 * exists instead of probing it and logging 404s.
 */
let capabilities;
export function features() {
  if (!capabilities) {
    capabilities = (async () => {
      let doc;
      try {
        doc = JSON.parse(sessionStorage.getItem('masktune.openapi') || 'null');
        if (!doc) {
          const paths = (await getJson('/v3/api-docs')).paths || {};
          doc = {
            logs: Boolean(paths['/api/v1/jobs/{id}/logs']),
            safetensors: (((paths['/api/v1/checkpoints/{id}/content'] || {}).get || {}).parameters || [])
              .some((p) => p.name === 'format'),
          };
          sessionStorage.setItem('masktune.openapi', JSON.stringify(doc));
        }
      } catch (e) {
        doc = { logs: false, safetensors: false };
      }
      return doc;
    })();
  }
  return capabilities;
}

// ---------- DOM helpers ----------

/** el('a', {href: '/x', class: 'btn'}, 'text', childNode...) — text is always inserted as text, never as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Replaces the content of the element with the given id (or element). */
export function fill(target, ...children) {
  const node = typeof target === 'string' ? document.getElementById(target) : target;
  node.replaceChildren();
  append(node, children);
  return node;
}

/**
 * A table that stacks into label/value lines on a phone. columns: [{label, value: row => node|text,
 * className, attrs: row => attributes}]; each cell carries its column label for the narrow layout.
 */
export function table(columns, rows, { className = '', rowAttrs } = {}) {
  return el('table', { class: 'stack ' + className },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.className }, c.label)))),
    el('tbody', {}, rows.map((row) => el('tr', rowAttrs ? rowAttrs(row) : {},
      columns.map((c) => el('td', { 'data-label': c.label, class: c.className, ...(c.attrs ? c.attrs(row) : {}) },
        c.value(row)))))));
}

export function keyValues(pairs) {
  return el('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/** A status in words, with a symbol and a colour as extras (never the colour alone). */
export function status(value) {
  const symbols = { QUEUED: '…', RUNNING: '▶', SUCCEEDED: '✓', FAILED: '✗', CANCELLED: '■' };
  if (!value) return el('span', { class: 'status status-none' }, 'not started');
  return el('span', { class: 'status status-' + value.toLowerCase(), 'data-status': value },
    el('span', { 'aria-hidden': 'true' }, symbols[value] || ''), ' ', value);
}

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** A progress bar with its percentage in text. */
export function progressBar(fraction, label) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  return el('div', { class: 'progress' },
    el('progress', { max: 100, value: pct, 'aria-label': label || 'progress' }, pct + ' %'),
    el('span', { class: 'progress-text' }, pct + ' %'));
}

export function link(href, text) {
  return el('a', { href }, text);
}

export const jobLink = (id, text) => link('/ui/job.html?id=' + encodeURIComponent(id), text || shortId(id));
export const shortId = (id) => id ? String(id).slice(0, 8) : '';

/**
 * A download link: a plain link without a token (the browser streams the file); with a token the file
 * is fetched with the Authorization header and saved from memory.
 */
export function downloadLink(href, text, filename) {
  return el('a', {
    href, download: filename || '', class: 'download',
    onclick: async (event) => {
      if (!token.get()) return;
      event.preventDefault();
      try {
        const blob = await (await api(href)).blob();
        const url = URL.createObjectURL(blob);
        const a = el('a', { href: url, download: filename || href.split('/').pop() });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      } catch (e) {
        showError(e);
      }
    },
  }, text);
}

/** An image from the API (fetched with the token when there is one). */
export function apiImage(src, alt, attrs = {}) {
  const img = el('img', { alt, ...attrs });
  if (!token.get()) {
    img.src = src;
  } else {
    api(src).then((r) => r.blob()).then((blob) => { img.src = URL.createObjectURL(blob); }).catch(showError);
  }
  return img;
}

// ---------- formatting ----------

export function num(value, digits = 4) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

export function pct(value, digits = 1) {
  return value === null || value === undefined ? '–' : (value * 100).toFixed(digits) + ' %';
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return el('time', { datetime: iso, title: iso }, d.toLocaleString());
}

/** Seconds left, from the fraction done and the time since the start (null when it cannot be told). */
export function eta(fraction, startedAt, now = Date.now()) {
  if (!startedAt || !(fraction > 0.01) || fraction >= 1) return null;
  const elapsed = (now - new Date(startedAt).getTime()) / 1000;
  return elapsed * (1 - fraction) / fraction;
}

export function pretty(json) {
  return el('pre', { class: 'json' }, JSON.stringify(json, null, 2));
}

// ---------- URL parameters ----------

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** Writes the given parameters into the address (without reloading); empty values are removed. */
export function setParams(values) {
  const params = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
}

// ---------- page frame ----------

const NAV = [
  ['jobs', '/', 'Jobs'],
  ['start', '/ui/start.html', 'Start a run'],
  ['compare', '/ui/compare.html', 'Compare'],
  ['workers', '/ui/workers.html', 'Workers & datasets'],
];

/** The header every page shares: navigation and the API token field. */
export function frame(active, title) {
  document.title = title + ' · MaskTune';
  const tokenInput = el('input', {
    type: 'password', id: 'api-token', autocomplete: 'off', placeholder: 'Bearer token', value: token.get(),
  });
  const saved = el('span', { class: 'muted', 'aria-live': 'polite' }, token.get() ? 'stored' : 'none stored');
  const header = el('header', { class: 'top' },
    el('a', { href: '/', class: 'brand' }, 'MaskTune'),
    el('nav', {}, NAV.map(([key, href, text]) =>
      el('a', { href, 'aria-current': key === active ? 'page' : null }, text))),
    el('details', { class: 'token' },
      el('summary', {}, 'API token'),
      el('form', {
        onsubmit: (event) => {
          event.preventDefault();
          token.set(tokenInput.value.trim());
          location.reload();
        },
      }, el('label', { for: 'api-token' }, 'Token (kept in this browser)'), tokenInput, ' ',
      el('button', { type: 'submit' }, 'Save'), ' ', saved)));
  document.body.prepend(header);
  const main = document.querySelector('main');
  main.prepend(el('h1', {}, title), el('div', { id: 'error', class: 'error', role: 'alert', hidden: true }));
  return main;
}

export function showError(error) {
  const box = document.getElementById('error');
  if (!box) return;
  box.hidden = false;
  box.textContent = error && error.message ? error.message : String(error);
}

export function clearError() {
  const box = document.getElementById('error');
  if (box) { box.hidden = true; box.textContent = ''; }
}

/** Runs a page's async main and shows what went wrong instead of leaving the page empty. */
export function run(main) {
  main().catch(showError);
}
