// Jobs: newest first, filtered by type and status (kept in the address), paged; the unfinished jobs on
// the page follow their event streams, and the page is re-read every few seconds for new jobs.
import {
  el, fill, frame, getJson, follow, param, setParams, status, progressBar, table, jobLink, link, when, shortId,
  TERMINAL, run, clearError, showError,
} from './app.js';

const TYPES = ['train', 'masktune', 'evaluate', 'device-check'];
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const SIZES = ['10', '20', '50', '100'];
const MAX_STREAMS = 4; // a browser keeps 6 connections per host: leave room for the page's other requests
const REFRESH_MS = 4000;

const streams = new Map(); // job id -> stop()
let refreshing = false;

function select(name, label, options, value) {
  return el('label', {}, label, el('select', { name, id: 'filter-' + name },
    options.map(([v, text]) => el('option', { value: v, selected: v === value }, text))));
}

run(async () => {
  const main = frame('jobs', 'Jobs');
  const filters = el('form', { class: 'filters', id: 'filters' },
    select('type', 'Type', [['', 'all types'], ...TYPES.map((t) => [t, t])], param('type') || ''),
    select('status', 'Status', [['', 'any status'], ...STATUSES.map((s) => [s, s])], param('status') || ''),
    select('size', 'Per page', SIZES.map((s) => [s, s]), param('size') || '20'));
  filters.addEventListener('change', () => {
    const data = new FormData(filters);
    setParams({ type: data.get('type'), status: data.get('status'), size: data.get('size') === '20' ? '' : data.get('size'), page: '' });
    refresh();
  });
  filters.addEventListener('submit', (e) => e.preventDefault());
  main.append(filters,
    el('p', { class: 'muted' }, 'Statuses and progress update live. Pipelines: ', link('/ui/start.html', 'start one'),
      '; each job links to its pipeline.'),
    el('div', { id: 'jobs' }, 'Loading…'),
    el('div', { class: 'pager', id: 'pager' }));
  await refresh();
  setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
});

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const page = Number(param('page') || 0);
    const query = new URLSearchParams({ page, size: param('size') || '20' });
    if (param('type')) query.set('type', param('type'));
    if (param('status')) query.set('status', param('status'));
    const answer = await getJson('/api/v1/jobs?' + query);
    clearError();
    render(answer.content, answer.page);
    followUnfinished(answer.content);
  } catch (e) {
    showError(e);
  } finally {
    refreshing = false;
  }
}

function render(jobs, page) {
  if (jobs.length === 0) {
    fill('jobs', el('p', { class: 'notice' }, 'No jobs match these filters.'));
  } else {
    fill('jobs', table([
      { label: 'Job', value: (j) => jobLink(j.id) },
      { label: 'Type', value: (j) => j.type },
      { label: 'Status', value: (j) => status(j.status), className: 'job-status' },
      { label: 'Progress', value: (j) => progressCell(j.progress), className: 'job-progress' },
      { label: 'Created', value: (j) => when(j.createdAt) },
      { label: 'Pipeline', value: (j) => j.pipelineId ? link('/ui/pipeline.html?id=' + j.pipelineId, shortId(j.pipelineId)) : '–' },
    ], jobs, { className: 'jobs', rowAttrs: (j) => ({ 'data-job-id': j.id, 'data-status': j.status }) }));
  }
  const number = page.number;
  fill('pager',
    el('button', { type: 'button', class: 'secondary', disabled: number === 0, onclick: () => goTo(number - 1) }, '‹ Newer'),
    el('span', {}, `Page ${number + 1} of ${Math.max(1, page.totalPages)} · ${page.totalElements} jobs`),
    el('button', { type: 'button', class: 'secondary', disabled: number + 1 >= page.totalPages, onclick: () => goTo(number + 1) }, 'Older ›'));
}

function goTo(page) {
  setParams({ page: page === 0 ? '' : page });
  refresh();
}

function progressCell(progress) {
  return el('div', {}, progressBar(progress ? progress.fraction : 0),
    progress && progress.message ? el('div', { class: 'muted' }, progress.message) : null);
}

function row(id) {
  return document.querySelector(`tr[data-job-id="${id}"]`);
}

function update(id, newStatus, progress) {
  const tr = row(id);
  if (!tr) return;
  if (newStatus) {
    tr.dataset.status = newStatus;
    fill(tr.querySelector('td.job-status'), status(newStatus));
  }
  if (progress) fill(tr.querySelector('td.job-progress'), progressCell(progress));
}

function followUnfinished(jobs) {
  const wanted = jobs.filter((j) => !TERMINAL.includes(j.status)).slice(0, MAX_STREAMS).map((j) => j.id);
  for (const [id, stop] of streams) {
    if (!wanted.includes(id)) { stop(); streams.delete(id); }
  }
  for (const id of wanted) {
    if (streams.has(id)) continue;
    streams.set(id, follow(`/api/v1/jobs/${id}/events`, (name, data) => {
      if (name === 'state') update(id, data.to);
      else if (name === 'progress') update(id, null, data);
      else if (name === 'end') {
        update(id, data.status, data.progress);
        streams.delete(id);
      }
    }));
  }
}
