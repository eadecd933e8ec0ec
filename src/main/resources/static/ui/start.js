// Start a run: the one-request MaskTune pipeline (train → masktune → evaluate); lands on its page.
import { el, frame, getJson, postJson, run, showError, ApiError } from './app.js';

run(async () => {
  const main = frame('start', 'Start a run');
  const [datasets, models] = await Promise.all([getJson('/api/v1/datasets'), getJson('/api/v1/models')]);
  const field = (name, label, control, hint) => el('label', { for: name }, label, control,
    hint ? el('span', { class: 'hint' }, hint) : null, el('span', { class: 'field-error', 'data-field': name }));
  const form = el('form', { class: 'run', id: 'run-form', novalidate: true },
    field('dataset', 'Dataset', el('select', { id: 'dataset', name: 'dataset' },
      datasets.map((d) => el('option', { value: d.name, selected: d.name === 'biased-mnist' },
        `${d.name} (${Object.entries(d.splits || {}).map(([s, v]) => `${s} ${v.count}`).join(', ')})`)))),
    field('model', 'Model', el('select', { id: 'model', name: 'model' },
      models.map((m) => el('option', { value: m.name, selected: m.name === 'small-cnn' }, m.name)))),
    field('epochs', 'ERM epochs', el('input', { id: 'epochs', name: 'epochs', type: 'number', min: 1, max: 1000, value: 5 })),
    field('seed', 'Seed', el('input', { id: 'seed', name: 'seed', type: 'number', min: 0, value: 1 })),
    field('subsetSize', 'Subset size', el('input', { id: 'subsetSize', name: 'subsetSize', type: 'number', min: 1, placeholder: 'all images' }),
      'optional: a seeded subset of each split, for a quick run'),
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'start' }, 'Start the pipeline'), ' ',
      el('span', { class: 'muted' }, 'Train (ERM) → MaskTune → evaluate the pair; the other settings are the paper\'s defaults.')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
    const data = new FormData(form);
    const chosen = datasets.find((d) => d.name === data.get('dataset'));
    const subset = data.get('subsetSize');
    const body = {
      // the dataset's own spec, as listed, so registered datasets load the same way; a subset on top when asked
      dataset: subset ? { ...chosen.spec, subsetSize: Number(subset) } : chosen.spec,
      model: data.get('model'),
      training: { epochs: Number(data.get('epochs')), seed: Number(data.get('seed')) },
    };
    const button = document.getElementById('start');
    button.disabled = true;
    try {
      const pipeline = await postJson('/api/v1/pipelines/masktune', body);
      location.href = '/ui/pipeline.html?id=' + pipeline.id;
    } catch (e) {
      button.disabled = false;
      showError(e);
      if (e instanceof ApiError && e.problem && Array.isArray(e.problem.errors)) {
        for (const error of e.problem.errors) {
          const top = String(error.field || '').split('.')[0];
          const name = { training: String(error.field).split('.')[1] }[top] || top;
          const slot = form.querySelector(`.field-error[data-field="${name}"]`);
          if (slot) slot.textContent = ' ' + error.message;
        }
      }
    }
  });
  main.append(form);
});
