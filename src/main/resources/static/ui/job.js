// A job: state history with reasons, live progress with an ETA, epoch curves, checkpoints with their
// downloads, the log tail where the service keeps one, cancel; for MaskTune jobs the mask preview and the
// masking statistics per round; for evaluations a link to the results.
import {
  el, fill, frame, getJson, postJson, api, follow, param, status, progressBar, table, keyValues, jobLink, link,
  when, bytes, duration, eta, num, pct, pretty, downloadLink, apiImage, features, TERMINAL, run, showError,
} from './app.js';
import { lineChart } from './chart.js';

const id = param('id');
let job = null;
let history = [];
let metricsShown = -1;
let lastMetricsFetch = 0;

run(async () => {
  const main = frame('jobs', 'Job');
  if (!id) throw new Error('No job id in the address (…/ui/job.html?id=<job id>).');
  main.append(
    el('section', {}, el('h2', {}, 'Status'), el('div', { id: 'summary' }, 'Loading…'),
      el('div', { id: 'live' }), el('div', { class: 'toolbar', id: 'actions' })),
    el('section', { id: 'links-section', hidden: true }, el('h2', {}, 'Related'), el('div', { id: 'links' })),
    el('section', { id: 'result-section', hidden: true }, el('h2', {}, 'Result'), el('div', { id: 'result' })),
    el('section', { id: 'masktune-section', hidden: true }, el('h2', {}, 'Masks'), el('div', { id: 'masktune' })),
    el('section', { id: 'metrics-section', hidden: true }, el('h2', {}, 'Epoch curves'), el('div', { id: 'metrics' })),
    el('section', {}, el('h2', {}, 'State history'), el('div', { id: 'history' }, 'Loading…')),
    el('section', {}, el('h2', {}, 'Checkpoints'), el('div', { id: 'checkpoints' }, 'None yet.')),
    el('section', { id: 'log-section', hidden: true }, el('h2', {}, 'Log (tail)'), el('div', { id: 'log' })),
    el('section', {}, el('h2', {}, 'Configuration'), el('div', { id: 'config' })));

  job = await getJson('/api/v1/jobs/' + id);
  document.querySelector('h1').textContent = `${job.type} job ${id.slice(0, 8)}`;
  document.title = `${job.type} ${id.slice(0, 8)} · MaskTune`;
  renderJob();
  await Promise.all([loadMetrics(), loadCheckpoints(), loadLog()]);
  follow(`/api/v1/jobs/${id}/events`, onEvent, { onError: showError });
  setInterval(tick, 1000);
});

function onEvent(name, data) {
  if (name === 'state') {
    if (history.length && data.id <= history[history.length - 1].id) history = []; // a reconnect replays the history
    history.push(data);
    job.status = data.to;
    renderHistory();
    renderStatus();
    if (data.to === 'RUNNING' || TERMINAL.includes(data.to)) getJson('/api/v1/jobs/' + id).then((j) => { job = j; renderJob(); });
  } else if (name === 'progress') {
    job.progress = data;
    renderLive();
    if (Date.now() - lastMetricsFetch > 3000) loadMetrics();
  } else if (name === 'end') {
    job = data;
    renderJob();
    loadMetrics();
    loadCheckpoints();
    loadLog();
  }
}

function tick() {
  if (job && job.status === 'RUNNING') renderLive();
}

function renderJob() {
  renderStatus();
  renderLive();
  renderActions();
  renderLinks();
  fill('config', job.config ? pretty(job.config) : 'No configuration.');
  if (job.result) {
    document.getElementById('result-section').hidden = false;
    const r = job.result;
    fill('result', job.type === 'train' ? keyValues([
      ['Best epoch', r.bestEpoch],
      ['Best validation accuracy', r.bestValidationAccuracy !== undefined ? num(r.bestValidationAccuracy) : null],
      ['Last validation accuracy', r.lastValidationAccuracy !== undefined ? num(r.lastValidationAccuracy) : null],
      ['Images (train / validation)', r.trainImages !== undefined ? `${r.trainImages} / ${r.validationImages}` : null],
    ]) : null, el('details', {}, el('summary', {}, 'Show the stored result'), pretty(job.result)));
  }
  if (job.type === 'masktune') renderMaskTune();
}

function renderStatus() {
  fill('summary', keyValues([
    ['Status', status(job.status)],
    ['Type', job.type],
    ['Id', el('span', { class: 'mono' }, job.id)],
    ['Device', job.device ? `${job.device} on ${job.worker}` : null],
    ['Attempt', `${job.attempt} of ${job.maxAttempts}`],
    ['Priority', job.priority],
    ['Created', when(job.createdAt)],
    ['Started', job.startedAt ? when(job.startedAt) : null],
    ['Finished', job.finishedAt ? when(job.finishedAt) : null],
    ['Took', job.startedAt && job.finishedAt
      ? duration((new Date(job.finishedAt) - new Date(job.startedAt)) / 1000) : null],
    ['Error', job.error ? `${job.error.code}: ${job.error.message}` : null],
    ['Cancel requested', job.cancelRequested && !TERMINAL.includes(job.status) ? 'yes, stopping at the next step' : null],
  ]));
}

function renderLive() {
  const progress = job.progress || { fraction: 0 };
  const left = job.status === 'RUNNING' ? eta(progress.fraction, job.startedAt) : null;
  fill('live',
    progressBar(TERMINAL.includes(job.status) && job.status === 'SUCCEEDED' ? 1 : progress.fraction, 'job progress'),
    el('p', { class: 'muted', id: 'progress-message' }, progress.message || ''),
    job.status === 'RUNNING' ? el('p', { id: 'eta' }, left === null ? 'Time left: not known yet' : 'Time left: about ' + duration(left)) : null);
}

function renderActions() {
  const actions = document.getElementById('actions');
  if (TERMINAL.includes(job.status)) { fill(actions); return; }
  fill(actions, el('button', {
    type: 'button', class: 'danger', id: 'cancel', disabled: job.cancelRequested,
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        job = await postJson(`/api/v1/jobs/${id}/cancel`);
        renderJob();
      } catch (e) {
        showError(e);
        event.target.disabled = false;
      }
    },
  }, job.cancelRequested ? 'Cancel requested' : 'Cancel this job'));
}

function renderLinks() {
  const items = [];
  if (job.pipelineId) items.push(['Pipeline', link('/ui/pipeline.html?id=' + job.pipelineId, job.pipelineId)]);
  if (job.config && job.config.sourceJob) items.push(['Source (ERM) job', jobLink(job.config.sourceJob, job.config.sourceJob)]);
  if (job.type === 'evaluate') items.push(['Results', link('/ui/evaluation.html?id=' + job.id, 'the evaluation page')]);
  if (job.type === 'evaluate' && Array.isArray(job.config && job.config.models)) {
    job.config.models.filter((m) => m.job).forEach((m, i) => items.push([`Model ${i + 1}`, jobLink(m.job, m.job)]));
  }
  document.getElementById('links-section').hidden = items.length === 0;
  fill('links', keyValues(items));
}

function renderHistory() {
  fill('history', history.length === 0 ? 'No changes recorded.' : table([
    { label: 'When', value: (e) => when(e.at) },
    { label: 'From', value: (e) => e.from ? status(e.from) : '–' },
    { label: 'To', value: (e) => status(e.to) },
    { label: 'Reason', value: (e) => e.reason },
  ], history, { className: 'history' }));
}

async function loadMetrics() {
  lastMetricsFetch = Date.now();
  let metrics;
  try {
    metrics = await getJson(`/api/v1/jobs/${id}/metrics`);
  } catch (e) {
    showError(e);
    return;
  }
  if (metrics.length === metricsShown) return;
  metricsShown = metrics.length;
  document.getElementById('metrics-section').hidden = metrics.length === 0;
  if (metrics.length === 0) return;
  const points = (key) => metrics.filter((m) => m[key] !== null && m[key] !== undefined).map((m) => [m.epoch, m[key]]);
  const numbers = table([
    { label: 'Epoch', value: (m) => m.epoch, className: 'num' },
    { label: 'Train loss', value: (m) => num(m.trainLoss), className: 'num' },
    { label: 'Validation loss', value: (m) => num(m.validationLoss), className: 'num' },
    { label: 'Train accuracy', value: (m) => num(m.trainAccuracy), className: 'num' },
    { label: 'Validation accuracy', value: (m) => num(m.validationAccuracy), className: 'num' },
    { label: 'Learning rate', value: (m) => m.learningRate, className: 'num' },
    { label: 'Seconds', value: (m) => num(m.seconds, 1), className: 'num' },
    { label: 'Images/s', value: (m) => num(m.imagesPerSecond, 0), className: 'num' },
  ], metrics, { className: 'epochs' });
  fill('metrics', el('div', { class: 'charts' },
    lineChart({
      id: 'loss-chart', title: 'Loss', xLabel: 'epoch', yLabel: 'loss', integerX: true,
      series: [{ label: 'train', points: points('trainLoss') }, { label: 'validation', points: points('validationLoss') }],
    }),
    lineChart({
      id: 'accuracy-chart', title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', yRange: [0, 1], integerX: true,
      series: [{ label: 'train', points: points('trainAccuracy') }, { label: 'validation', points: points('validationAccuracy') }],
    })),
  el('details', { class: 'numbers', id: 'epoch-numbers' }, el('summary', {}, `Numbers (${metrics.length} epoch${metrics.length === 1 ? '' : 's'})`), numbers));
}

async function loadCheckpoints() {
  let checkpoints;
  try {
    checkpoints = await getJson(`/api/v1/jobs/${id}/artifacts`);
  } catch (e) {
    showError(e);
    return;
  }
  if (checkpoints.length === 0) { fill('checkpoints', 'None yet.'); return; }
  // every model checkpoint downloads as safetensors too; no need to wait for the OpenAPI probe before drawing
  const canConvert = true;
  fill('checkpoints', table([
    { label: 'Kind', value: (c) => c.kind },
    { label: 'Epoch', value: (c) => c.epoch ?? '–', className: 'num' },
    { label: 'Size', value: (c) => bytes(c.sizeBytes), className: 'num' },
    { label: 'SHA-256', value: (c) => el('span', { class: 'mono sha' }, c.sha256) },
    { label: 'Download', value: (c) => el('span', {},
      downloadLink(c.contentUrl, c.architecture ? 'native' : 'file', c.fileName || `${c.jobId}-${c.kind}.ckpt`),
      safetensorsUrl(c, canConvert) ? [' · ', downloadLink(safetensorsUrl(c, canConvert), 'PyTorch (safetensors)',
        `${c.jobId}-${c.kind}.safetensors`)] : null) },
  ], checkpoints, { className: 'checkpoints', rowAttrs: (c) => ({ 'data-kind': c.kind }) }));
  if (job && job.type === 'masktune') renderMaskTune(checkpoints);
}

/** The safetensors download of a model checkpoint, where the API offers one (a link it sends, or the format parameter). */
function safetensorsUrl(checkpoint, canConvert) {
  for (const value of Object.values(checkpoint)) {
    if (typeof value === 'string' && value.includes('safetensors') && value.startsWith('/')) return value;
  }
  if (Array.isArray(checkpoint.formats) && checkpoint.formats.includes('safetensors')) {
    return checkpoint.contentUrl + '?format=safetensors';
  }
  return canConvert && checkpoint.architecture ? checkpoint.contentUrl + '?format=safetensors' : null;
}

let previewShown = false;
function renderMaskTune(checkpoints) {
  document.getElementById('masktune-section').hidden = false;
  const result = job.result || {};
  const rounds = Array.isArray(result.rounds) ? result.rounds : [];
  const host = document.getElementById('masktune');
  if (!host.querySelector('#mask-stats')) {
    fill(host, el('div', { id: 'mask-rule' }), el('div', { id: 'mask-preview' }, 'The preview appears once the masks are made.'),
      el('div', { id: 'mask-stats' }));
  }
  fill('mask-rule', keyValues([
    ['Rule', result.maskingRule || (job.config && job.config.strategy)],
    ['Source job', job.config && job.config.sourceJob ? jobLink(job.config.sourceJob, job.config.sourceJob) : null],
    ['Validation accuracy after fine-tuning', result.validationAccuracy !== undefined ? num(result.validationAccuracy) : null],
  ]));
  if (rounds.length) {
    fill('mask-stats', el('h3', {}, 'Masked fraction of each image, per round'), table([
      { label: 'Round', value: (r) => r.masking.iteration ?? '–', className: 'num' },
      { label: 'Images', value: (r) => r.masking.images ?? '–', className: 'num' },
      { label: 'Mean', value: (r) => num(mf(r).mean), className: 'num mean' },
      { label: 'p10', value: (r) => num(mf(r).p10), className: 'num' },
      { label: 'Median', value: (r) => num(mf(r).p50), className: 'num' },
      { label: 'p90', value: (r) => num(mf(r).p90), className: 'num' },
      { label: 'Images keeping a shortcut pixel', value: (r) => r.masking.shortcut ? pct(r.masking.shortcut.imagesWithResidualPixels) : '–', className: 'num residual' },
      { label: 'Shortcut masked (mean)', value: (r) => r.masking.shortcut ? pct(r.masking.shortcut.regionMaskedFraction.mean) : '–', className: 'num' },
      { label: 'Masked place tells the label', value: (r) => r.masking.shortcut ? pct(r.masking.shortcut.regionPredictivenessAfter) : '–', className: 'num' },
      { label: 'Fine-tune val. accuracy', value: (r) => r.fineTune ? num(r.fineTune.validationAccuracy) : '–', className: 'num' },
    ], rounds.filter((r) => r.masking), { className: 'rounds' }),
    extraDiagnostics(rounds));
  }
  const hasPreview = checkpoints ? checkpoints.some((c) => c.kind === 'mask-preview') : false;
  if (hasPreview && !previewShown) {
    previewShown = true;
    const count = Math.min(16, (job.config && job.config.previewCount) || 8);
    fill('mask-preview', el('p', { class: 'muted' }, 'Each row: original | xGradCAM of the ERM model | masked image | mask (on Biased MNIST the shortcut\'s pixels green where masked, magenta where left visible).'),
      el('div', { class: 'preview-wrap' },
        apiImage(`/api/v1/jobs/${id}/masks/preview.png?count=${count}`, 'Mask preview: original, saliency and masked image per row',
          { class: 'preview', id: 'preview-image', onload: (e) => { e.target.style.width = (e.target.naturalWidth * 2) + 'px'; } })));
  }
}

const mf = (round) => round.masking.maskedFraction || {};

/** Whatever else a round's masking reports (diagnostics added later), as name/value lines. */
function extraDiagnostics(rounds) {
  const known = ['iteration', 'images', 'maskedFraction', 'shortcut', 'rule', 'imagesPerSecond'];
  const blocks = rounds.filter((r) => r.masking).map((r) => {
    const extra = Object.entries(r.masking).filter(([k]) => !known.includes(k));
    if (extra.length === 0) return null;
    return el('div', {}, el('h3', {}, `Round ${r.masking.iteration ?? ''} diagnostics`),
      keyValues(extra.map(([k, v]) => [k, typeof v === 'number' ? num(v) : typeof v === 'object' ? pretty(v) : String(v)])));
  }).filter(Boolean);
  return blocks.length ? blocks : null;
}

let logOffset = 0;
let logText = '';
let logTimer = null;
let logLoading = false;
async function loadLog() {
  if (logLoading || !(await features()).logs) return;
  logLoading = true;
  try {
    await readLog();
  } finally {
    logLoading = false;
  }
}

async function readLog() {
  document.getElementById('log-section').hidden = false;
  try {
    const response = await api(`/api/v1/jobs/${id}/logs?offset=${logOffset}`, { headers: { Accept: 'text/plain' } });
    const text = await response.text();
    const next = Number(response.headers.get('Log-Next-Offset'));
    logOffset = Number.isFinite(next) && next > 0 ? next : logOffset + new TextEncoder().encode(text).length;
    logText = (logText + text).split('\n').slice(-200).join('\n');
    fill('log', logText ? el('pre', { id: 'log-text' }, logText) : el('p', { class: 'muted' }, 'Nothing logged yet.'));
  } catch (e) {
    fill('log', el('p', { class: 'muted' }, 'No log: ' + e.message));
    return;
  }
  clearTimeout(logTimer);
  if (job && !TERMINAL.includes(job.status)) logTimer = setTimeout(loadLog, 3000);
}
