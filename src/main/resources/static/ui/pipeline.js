// A pipeline: its three stages as a strip whose states follow the pipeline's event stream; the summary
// table (the evaluation's headline numbers) once it has succeeded.
import {
  el, fill, frame, getJson, postJson, follow, param, status, progressBar, table, keyValues, jobLink, link, when,
  num, pretty, TERMINAL, run, showError, shortId,
} from './app.js';

const id = param('id');
let view = null;

run(async () => {
  const main = frame('jobs', 'Pipeline');
  if (!id) throw new Error('No pipeline id in the address (…/ui/pipeline.html?id=<pipeline id>).');
  main.append(
    el('section', {}, el('h2', {}, 'Stages'), el('div', { id: 'overall' }, 'Loading…'),
      el('ol', { class: 'stages', id: 'stages' }), el('div', { class: 'toolbar', id: 'actions' })),
    el('section', { id: 'summary-section', hidden: true }, el('h2', {}, 'Summary'), el('div', { id: 'summary' })),
    el('section', {}, el('h2', {}, 'Configuration'), el('div', { id: 'config' })));
  render(await getJson('/api/v1/pipelines/' + id));
  follow(`/api/v1/pipelines/${id}/events`, (name, data) => {
    if (name === 'pipeline' || name === 'end') render(data);
  }, { onError: showError });
});

function render(next) {
  view = next;
  document.querySelector('h1').textContent = `Pipeline ${shortId(view.id)} (${view.kind})`;
  document.body.dataset.status = view.status;
  fill('overall', keyValues([
    ['Status', status(view.status)],
    ['Reason', view.reason],
    ['Progress', progressBar(view.progress, 'pipeline progress')],
    ['Created', when(view.createdAt)],
    ['Dataset', datasetName(view.config && view.config.dataset)],
    ['Model', view.config && view.config.model],
  ]));
  fill('stages', view.stages.map((s) => el('li', { 'data-stage': s.name, 'data-status': s.status || 'NONE' },
    el('span', { class: 'stage-name' }, s.name),
    status(s.status),
    progressBar(s.progress, s.name + ' progress'),
    s.progressMessage ? el('div', { class: 'muted' }, s.progressMessage) : null,
    s.error ? el('div', { class: 'error' }, s.error) : null,
    s.jobId ? el('div', {}, 'Job ', jobLink(s.jobId)) : el('div', { class: 'muted' }, 'starts when the previous stage has succeeded'))));
  renderActions();
  fill('config', pretty(view.config));
  if (view.summary) renderSummary(view.summary);
}

function datasetName(dataset) {
  if (!dataset) return null;
  if (typeof dataset === 'string') return dataset;
  return (dataset.name || dataset.path || dataset.format) + (dataset.subsetSize ? ` (subset of ${dataset.subsetSize})` : '');
}

function renderActions() {
  if (TERMINAL.includes(view.status)) { fill('actions'); return; }
  fill('actions', el('button', {
    type: 'button', class: 'danger', id: 'cancel', disabled: view.cancelRequested,
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        render(await postJson(`/api/v1/pipelines/${id}/cancel`));
      } catch (e) {
        showError(e);
      }
    },
  }, view.cancelRequested ? 'Cancel requested' : 'Cancel the pipeline'));
}

const METRIC_NAMES = { accuracy: 'Accuracy', worstGroupAccuracy: 'Worst-group accuracy', macroF1: 'Macro F1', aurc: 'AURC' };

/** The evaluation's headline numbers: one row per metric and model, one column per split. */
function renderSummary(summary) {
  document.getElementById('summary-section').hidden = false;
  const evaluation = view.stages.find((s) => s.name === 'evaluate');
  const rows = summary.rows || [];
  const splits = [...new Set(rows.map((r) => r.split))];
  const lines = [];
  for (const r of rows) {
    const key = [r.metric, r.model, r.method || ''].join('|');
    let line = lines.find((l) => l.key === key);
    if (!line) lines.push(line = { key, metric: r.metric, model: r.model, method: r.method, values: {} });
    line.values[r.split] = r.values[0];
  }
  fill('summary',
    evaluation && evaluation.jobId
      ? el('p', {}, 'All numbers of this run: ', link('/ui/evaluation.html?id=' + evaluation.jobId, 'the evaluation page'), '.') : null,
    table([
      { label: 'Metric', value: (l) => METRIC_NAMES[l.metric] || l.metric },
      { label: 'Model', value: (l) => l.method ? `${l.model} (${l.method})` : l.model },
      ...splits.map((split) => ({
        label: split, className: 'num value', value: (l) => num(l.values[split]),
        attrs: (l) => ({ 'data-metric': l.metric, 'data-model': l.model, 'data-method': l.method, 'data-split': split }),
      })),
    ], lines, { className: 'summary' }));
}
