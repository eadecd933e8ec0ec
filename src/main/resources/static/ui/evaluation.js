// An evaluation: metrics per model and split, the risk–coverage and accuracy–coverage plots of a split,
// AURC per method, downloads, and a way into the side-by-side comparison.
import {
  el, fill, frame, api, getJson, awaitJobChange, param, setParams, status, progressBar, table, keyValues, jobLink,
  link, when, num, bytes, downloadLink, run, showError, shortId, TERMINAL,
} from './app.js';
import { lineChart } from './chart.js';

const id = param('id');
let evaluation = null;
let curves = [];

run(async () => {
  const main = frame('jobs', 'Evaluation');
  if (!id) throw new Error('No evaluation id in the address (…/ui/evaluation.html?id=<evaluate job id>).');
  main.append(
    el('section', {}, el('h2', {}, 'What was measured'), el('div', { id: 'overview' }, 'Loading…'), el('div', { id: 'downloads' })),
    el('section', {}, el('h2', {}, 'Metrics per model and split'), el('div', { id: 'metrics' })),
    el('section', {}, el('h2', {}, 'Selective classification'), el('div', { id: 'plots' })),
    el('section', {}, el('h2', {}, 'AURC per method'), el('div', { id: 'aurc' })),
    el('section', {}, el('h2', {}, 'Compare'), el('div', { id: 'compare' })));
  // The results are read once the evaluate job has finished; until then the page shows the job's progress
  // (long-polling the job, which has no results to ask for yet).
  const response = await api('/api/v1/jobs/' + id, { headers: { Accept: 'application/json' } });
  let job = await response.json();
  let etag = response.headers.get('ETag');
  if (job.type !== 'evaluate') throw new Error(`Job ${id} is a ${job.type} job, not an evaluation.`);
  while (!TERMINAL.includes(job.status)) {
    fill('overview', keyValues([
      ['Status', status(job.status)],
      ['Job', jobLink(id, id)],
      ['Progress', progressBar(job.progress ? job.progress.fraction : 0, 'evaluation progress')],
      ['Step', job.progress && job.progress.message],
    ]), el('p', { class: 'muted' }, 'The results appear here when the evaluation has finished.'));
    const changed = await awaitJobChange(id, etag);
    if (changed) ({ job, etag } = changed);
  }
  evaluation = await getJson('/api/v1/evaluations/' + id);
  curves = await getJson(`/api/v1/evaluations/${id}/curves`);
  render();
  renderCompare();
});

function render() {
  document.querySelector('h1').textContent = `Evaluation ${shortId(id)}`;
  renderOverview();
  renderMetrics();
  renderPlots();
  renderAurc();
}

function renderOverview() {
  const models = Array.isArray(evaluation.models) ? evaluation.models : [];
  fill('overview', keyValues([
    ['Status', status(evaluation.status)],
    ['Job', jobLink(id, id)],
    ['Error', evaluation.error],
    ['Created', when(evaluation.createdAt)],
    ['Dataset', evaluation.dataset ? (evaluation.dataset.name || evaluation.dataset.path)
      + (evaluation.dataset.subsetSize ? ` (subset of ${evaluation.dataset.subsetSize})` : '') : null],
    ['Splits', (evaluation.splits || []).join(', ')],
  ]), models.length ? table([
    { label: 'Model', value: (m) => m.label },
    { label: 'Job', value: (m) => m.job ? jobLink(m.job) : '–' },
    { label: 'Job type', value: (m) => m.jobType || '–' },
    { label: 'Checkpoint', value: (m) => m.kind || '–' },
    { label: 'Architecture', value: (m) => m.architecture || '–' },
    { label: 'SHA-256', value: (m) => el('span', { class: 'mono' }, m.sha256 || '–') },
  ], models, { className: 'models' }) : null);
  const p = evaluation.predictions;
  fill('downloads', el('p', {},
    p ? [downloadLink(p.url, 'Per-sample predictions (CSV, ' + bytes(p.sizeBytes) + ')', `predictions-${id}.csv`), ' · '] : null,
    downloadLink(`/api/v1/evaluations/${id}/curves.csv`, 'All curve points (CSV)', `curves-${id}.csv`), ' · ',
    link(`/api/v1/evaluations/${id}/curves.svg`, 'Plots as SVG')));
}

function renderMetrics() {
  const results = evaluation.results || [];
  const splits = evaluation.splits && evaluation.splits.length ? evaluation.splits : [...new Set(results.map((r) => r.split))];
  const host = fill('metrics');
  if (results.length === 0) { host.append(el('p', { class: 'muted' }, 'No results yet.')); return; }
  for (const split of splits) {
    const rows = results.filter((r) => r.split === split);
    if (rows.length === 0) continue;
    host.append(el('h3', {}, split));
    const multiLabel = rows.some((r) => Array.isArray(r.metrics.attributes));
    host.append(multiLabel ? multiLabelTable(rows) : singleLabelTable(rows));
    const grouped = rows.filter((r) => Array.isArray(r.metrics.groups) && r.metrics.groups.length);
    if (grouped.length) host.append(groupsTable(split, grouped));
  }
}

const rowAttrs = (r) => ({ 'data-model': r.model, 'data-split': r.split });

function singleLabelTable(rows) {
  return table([
    { label: 'Model', value: (r) => r.model },
    { label: 'Samples', value: (r) => r.metrics.count ?? '–', className: 'num' },
    { label: 'Accuracy', value: (r) => num(r.metrics.accuracy), className: 'num accuracy' },
    { label: 'Worst group', value: (r) => num(r.metrics.worstGroupAccuracy), className: 'num worst-group' },
    { label: 'Mean group', value: (r) => num(r.metrics.meanGroupAccuracy), className: 'num' },
    { label: 'ECE', value: (r) => num(r.metrics.expectedCalibrationError), className: 'num' },
    { label: 'NLL', value: (r) => num(r.metrics.negativeLogLikelihood), className: 'num' },
  ], rows, { className: 'metrics', rowAttrs });
}

function multiLabelTable(rows) {
  return table([
    { label: 'Model', value: (r) => r.model },
    { label: 'Samples', value: (r) => r.metrics.count ?? '–', className: 'num' },
    { label: 'Macro F1', value: (r) => num(r.metrics.macroF1), className: 'num' },
    { label: 'Mean accuracy', value: (r) => num(r.metrics.meanAccuracy), className: 'num' },
    { label: 'Exact match', value: (r) => num(r.metrics.exactMatchAccuracy), className: 'num' },
  ], rows, { className: 'metrics', rowAttrs });
}

/** One row per group, one accuracy column per model. */
function groupsTable(split, rows) {
  const names = [...new Set(rows.flatMap((r) => r.metrics.groups.map((g) => g.name)))];
  const lines = names.map((name) => ({
    name,
    count: (rows[0].metrics.groups.find((g) => g.name === name) || {}).count,
    byModel: Object.fromEntries(rows.map((r) => [r.model, r.metrics.groups.find((g) => g.name === name)])),
  }));
  return el('details', { class: 'numbers' }, el('summary', {}, `Per group (${split})`), table([
    { label: 'Group', value: (l) => l.name },
    { label: 'Samples', value: (l) => l.count ?? '–', className: 'num' },
    ...rows.map((r) => ({
      label: r.model + ' accuracy', className: 'num',
      value: (l) => l.byModel[r.model] ? num(l.byModel[r.model].accuracy) : '–',
    })),
  ], lines, { className: 'groups' }));
}

function curveLabel(c) {
  return c.method === 'max-softmax' ? `max-softmax (${c.model})` : c.method;
}

function renderPlots() {
  const host = fill('plots');
  const splits = [...new Set(curves.map((c) => c.split))];
  if (splits.length === 0) { host.append(el('p', { class: 'muted' }, 'No curves yet.')); return; }
  const wanted = param('split');
  const split = splits.includes(wanted) ? wanted : (splits.find((s) => s !== 'validation') || splits[0]);
  const chooser = el('select', { id: 'plot-split' }, splits.map((s) => el('option', { value: s, selected: s === split }, s)));
  chooser.addEventListener('change', () => { setParams({ split: chooser.value }); renderPlots(); });
  const shown = curves.filter((c) => c.split === split);
  const series = (key) => shown.map((c) => ({
    label: curveLabel(c),
    points: (c.curve || []).filter((p) => p[key] !== null && p[key] !== undefined).map((p) => [p.coverage, p[key]]),
  }));
  host.append(
    el('div', { class: 'toolbar' }, el('label', { for: 'plot-split' }, 'Split '), chooser),
    el('p', { class: 'muted' }, 'Samples are accepted from the most confident down; coverage is the fraction accepted, '
      + 'risk the error rate among them. Lower risk at the same coverage is better.'),
    el('div', { class: 'charts' },
      lineChart({ id: 'risk-chart', title: `Risk–coverage (${split})`, xLabel: 'coverage', yLabel: 'risk',
        xRange: [0, 1], series: series('risk'), numbers: calibratedTable(shown) }),
      lineChart({ id: 'accuracy-chart', title: `Accuracy–coverage (${split})`, xLabel: 'coverage', yLabel: 'accuracy',
        xRange: [0, 1], series: series('accuracy'), numbers: calibratedTable(shown) })));
}

/** The calibrated points and AURC of the plotted curves; every point is in curves.csv. */
function calibratedTable(shown) {
  const rows = shown.flatMap((c) => (c.calibrated || []).map((p) => ({ c, p })));
  return el('div', {},
    table([
      { label: 'Method', value: (r) => curveLabel(r.c) },
      { label: 'Target coverage', value: (r) => r.p.targetCoverage !== null ? r.p.targetCoverage + ' %' : '–', className: 'num' },
      { label: 'Threshold', value: (r) => num(r.p.threshold), className: 'num' },
      { label: 'Coverage', value: (r) => num(r.p.coverage), className: 'num' },
      { label: 'Accuracy', value: (r) => num(r.p.accuracy), className: 'num' },
      { label: 'Risk', value: (r) => num(r.p.risk), className: 'num' },
    ], rows, { className: 'calibrated' }),
    el('p', { class: 'muted' }, 'Thresholds calibrated on the validation split. Every curve point: ',
      downloadLink(`/api/v1/evaluations/${id}/curves.csv`, 'curves.csv', `curves-${id}.csv`), '.'));
}

/** AURC: one row per selective method, one column per split. */
function renderAurc() {
  const selective = evaluation.selective || [];
  if (selective.length === 0) { fill('aurc', el('p', { class: 'muted' }, 'Not measured yet.')); return; }
  const splits = [...new Set(selective.map((c) => c.split))];
  const methods = [...new Map(selective.map((c) => [curveLabel(c), c])).values()];
  const find = (m, split) => selective.find((c) => c.split === split && c.method === m.method && c.model === m.model);
  fill('aurc', el('p', { class: 'muted' }, 'Area under the risk–coverage curve: lower is better.'), table([
    { label: 'Method', value: (m) => curveLabel(m) },
    ...splits.map((split) => ({
      label: split, className: 'num',
      value: (m) => find(m, split) ? num(find(m, split).aurc) : '–',
      attrs: (m) => ({ 'data-split': split, 'data-method': m.method, 'data-model': m.model }),
    })),
  ], methods, { className: 'aurc' }));
}

async function renderCompare() {
  let others = [];
  try {
    others = (await getJson('/api/v1/jobs?type=evaluate&status=SUCCEEDED&size=20')).content.filter((j) => j.id !== id);
  } catch (e) {
    showError(e);
  }
  const boxes = others.map((j) => el('label', { class: 'choice' },
    el('input', { type: 'checkbox', value: j.id }), ' ', shortId(j.id), ' ', el('span', { class: 'muted' }, '(', when(j.createdAt), ')')));
  const go = el('a', { class: 'button', href: '/ui/compare.html?ids=' + id, id: 'compare-link' }, 'Compare');
  const update = () => {
    const ids = [id, ...boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value)];
    go.href = '/ui/compare.html?ids=' + ids.join(',');
  };
  boxes.forEach((b) => b.addEventListener('change', update));
  fill('compare',
    others.length ? el('p', {}, 'Pick evaluations to put beside this one:') : el('p', { class: 'muted' }, 'No other finished evaluations yet.'),
    el('div', { class: 'toolbar' }, boxes), go);
}
