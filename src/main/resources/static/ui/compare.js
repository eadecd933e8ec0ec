// Several evaluations side by side: the API's comparison rows, one value column per evaluation.
import { el, fill, frame, getJson, param, setParams, table, jobLink, link, num, when, shortId, run, showError } from './app.js';

const METRIC_NAMES = { accuracy: 'Accuracy', worstGroupAccuracy: 'Worst-group accuracy', macroF1: 'Macro F1', aurc: 'AURC' };

run(async () => {
  const main = frame('compare', 'Compare evaluations');
  const input = el('input', { id: 'ids', name: 'ids', value: param('ids') || '', placeholder: 'evaluation ids, comma-separated', class: 'wide' });
  const form = el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); setParams({ ids: input.value.replace(/\s+/g, '') }); show(); } },
    el('label', { for: 'ids' }, 'Evaluations', input), el('button', { type: 'submit' }, 'Compare'));
  main.append(form, el('div', { id: 'pick' }), el('div', { id: 'comparison' }));
  pick(input);
  await show();
});

async function pick(input) {
  try {
    const recent = (await getJson('/api/v1/jobs?type=evaluate&status=SUCCEEDED&size=20')).content;
    if (recent.length === 0) return;
    const chosen = () => new Set(input.value.split(',').map((s) => s.trim()).filter(Boolean));
    fill('pick', el('details', { open: !param('ids') }, el('summary', {}, 'Recent finished evaluations'),
      el('div', { class: 'toolbar' }, recent.map((j) => el('label', {},
        el('input', {
          type: 'checkbox', value: j.id, checked: chosen().has(j.id),
          onchange: (e) => {
            const ids = chosen();
            if (e.target.checked) ids.add(j.id); else ids.delete(j.id);
            input.value = [...ids].join(',');
          },
        }), ' ', shortId(j.id), ' ', el('span', { class: 'muted' }, '(', when(j.createdAt), ')'))))));
  } catch (e) {
    showError(e);
  }
}

async function show() {
  const ids = (param('ids') || '').split(',').filter(Boolean);
  if (ids.length === 0) {
    fill('comparison', el('p', { class: 'notice' }, 'Choose one or more evaluations.'));
    return;
  }
  const comparison = await getJson('/api/v1/evaluations/compare?ids=' + ids.join(','));
  const evaluations = comparison.evaluations;
  fill('comparison',
    el('h2', {}, 'Evaluations'),
    table([
      { label: '#', value: (e) => String(evaluations.indexOf(e) + 1), className: 'num' },
      { label: 'Evaluation', value: (e) => link('/ui/evaluation.html?id=' + e.id, shortId(e.id)) },
      { label: 'Status', value: (e) => e.status },
      { label: 'Dataset', value: (e) => e.dataset ? (e.dataset.name || e.dataset.path) + (e.dataset.subsetSize ? ` (${e.dataset.subsetSize})` : '') : '–' },
      { label: 'Models', value: (e) => (e.models || []).map((m, i) => [i ? ', ' : '', m.label, ' ', m.job ? jobLink(m.job) : '']) },
    ], evaluations, { className: 'compared' }),
    el('h2', {}, 'Numbers'),
    table([
      { label: 'Metric', value: (r) => METRIC_NAMES[r.metric] || r.metric },
      { label: 'Split', value: (r) => r.split },
      { label: 'Model', value: (r) => r.method ? `${r.model} (${r.method})` : r.model },
      ...evaluations.map((e, i) => ({ label: `#${i + 1} ${shortId(e.id)}`, value: (r) => num(r.values[i]), className: 'num' })),
    ], comparison.rows, { className: 'comparison', rowAttrs: (r) => ({ 'data-metric': r.metric, 'data-split': r.split, 'data-model': r.model }) }));
}
