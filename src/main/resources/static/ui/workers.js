// Worker slots and what each runs (re-read every few seconds), and the datasets with splits, counts and groups.
import { el, fill, frame, getJson, table, jobLink, run, showError, clearError } from './app.js';

run(async () => {
  const main = frame('workers', 'Workers and datasets');
  main.append(
    el('section', {}, el('h2', {}, 'Workers'), el('div', { id: 'workers' }, 'Loading…')),
    el('section', {}, el('h2', {}, 'Datasets'), el('div', { id: 'datasets' }, 'Loading…')));
  await Promise.all([workers(), datasets()]);
  setInterval(() => { if (!document.hidden) workers(); }, 3000);
});

async function workers() {
  try {
    const view = await getJson('/api/v1/workers');
    clearError();
    fill('workers', el('p', {}, 'Instance ', el('strong', {}, view.instance), ` · ${view.slots.length} slot(s)`), table([
      { label: 'Slot', value: (s) => s.device },
      { label: 'Kind', value: (s) => s.kind },
      { label: 'Running', value: (s) => s.job ? jobLink(s.job, s.job) : 'idle' },
    ], view.slots, { className: 'slots', rowAttrs: (s) => ({ 'data-device': s.device }) }));
  } catch (e) {
    showError(e);
  }
}

async function datasets() {
  const list = await getJson('/api/v1/datasets');
  fill('datasets', list.map((d) => el('div', { class: 'dataset', 'data-dataset': d.name },
    el('h3', {}, d.name, ' ', el('span', { class: 'muted' }, d.builtIn ? '(built in)' : `(${d.spec.format}, ${d.spec.path || ''})`)),
    table([
      { label: 'Split', value: (s) => s.name },
      { label: 'Images', value: (s) => s.count, className: 'num count' },
      { label: 'Classes', value: (s) => s.classes.join(', ') },
      { label: 'Shape', value: (s) => `${s.channels}×${s.height}×${s.width}` },
      { label: 'Groups', value: (s) => s.groups ? s.groups.map((g) => `${g.name}: ${g.count}`).join('; ') : '–' },
    ], Object.entries(d.splits || {}).map(([name, s]) => ({ name, ...s })),
    { className: 'splits', rowAttrs: (s) => ({ 'data-split': s.name }) }))));
}
