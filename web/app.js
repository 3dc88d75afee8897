/**
 * The dashboard page: flows, recent runs (refreshed every 2 s), open error records with Retry and
 * Resolve, and error groups with "Retry group". Everything comes from the REST API (api.js).
 */
import { ApiError, api, Unauthorized } from './api.js';
import { ago, badge, button, describeTrigger, duration, h, shortId, table, update } from './render.js';

const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);
const state = { classFilter: null, signedOut: false, timer: 0, toastTimer: 0, busy: false, again: false };

function drawFlows(flows) {
  return table(
    [
      { label: 'Flow', cell: (f) => h('strong', {}, f.id) },
      { label: 'Version', class: 'num', cell: (f) => f.version },
      { label: 'Description', cell: (f) => f.description ?? '' },
      { label: 'Triggers', cell: (f) => f.triggers.map(describeTrigger).join(', ') },
    ],
    flows,
    'No flows are registered.',
  );
}

function drawRuns(runs) {
  return table(
    [
      { label: 'Run', cell: (r) => shortId(r.id) },
      { label: 'Flow', cell: (r) => r.flowId },
      { label: 'Status', cell: (r) => badge(r.status) },
      { label: 'Trigger', cell: (r) => r.trigger },
      { label: 'Received', class: 'num', cell: (r) => r.received },
      { label: 'Succeeded', class: 'num', cell: (r) => r.succeeded },
      { label: 'Failed', class: 'num', cell: (r) => r.failed },
      { label: 'Skipped', class: 'num', cell: (r) => r.skipped },
      { label: 'Started', cell: (r) => ago(r.startedAt) },
      { label: 'Duration', class: 'num', cell: (r) => duration(r.startedAt, r.finishedAt) },
    ],
    runs,
    ['No runs yet. Start one with ', h('code', {}, 'tiksuite run selftest'), '.'],
    (r) => ({ 'data-run': r.id, title: r.error ?? undefined }),
  );
}

function drawClasses(counts) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return h('span');
  const chip = (cls, label) =>
    button(label, {
      class: `chip${state.classFilter === cls ? ' active' : ''}`,
      'data-action': 'filter',
      'data-class': cls ?? '',
      'aria-pressed': state.classFilter === cls ? 'true' : 'false',
    });
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return h('div', {}, chip(null, `all ${total}`), ...entries.map(([cls, n]) => chip(cls, `${cls} ${n}`)));
}

function drawErrors(errors) {
  const shown = state.classFilter ? errors.filter((e) => e.errorClass === state.classFilter) : errors;
  return table(
    [
      { label: 'Class', cell: (e) => badge(e.errorClass) },
      { label: 'Flow', cell: (e) => e.flowId },
      { label: 'Record', cell: (e) => h('code', {}, e.recordKey ?? '(discovery)') },
      { label: 'Message', class: 'message', cell: (e) => [h('div', {}, e.message), h('small', {}, e.code)] },
      { label: 'Attempts', class: 'num', cell: (e) => e.attempts },
      { label: 'Seen', cell: (e) => [ago(e.lastSeen), e.occurrences > 1 ? ` ×${e.occurrences}` : ''] },
      {
        label: '',
        class: 'actions',
        cell: (e) =>
          e.status === 'retrying'
            ? badge('retrying')
            : [
                button('Retry', { 'data-action': 'retry', 'data-id': e.id }),
                button('Resolve', { class: 'quiet', 'data-action': 'resolve', 'data-id': e.id }),
              ],
      },
    ],
    shown,
    state.classFilter ? `No open ${state.classFilter} errors.` : 'No open errors.',
    (e) => ({ 'data-error': e.id }),
  );
}

function drawGroups(groups) {
  return table(
    [
      { label: 'Records', class: 'num', cell: (g) => String(g.count) },
      { label: 'Class', cell: (g) => badge(g.error_class) },
      { label: 'Flow', cell: (g) => g.flow_id },
      { label: 'Message', class: 'message', cell: (g) => [h('div', {}, g.message), h('small', {}, g.code)] },
      { label: 'Last seen', cell: (g) => ago(g.last_seen) },
      {
        label: '',
        class: 'actions',
        cell: (g) =>
          button('Retry group', { 'data-action': 'retry-group', 'data-fingerprint': g.fingerprint }),
      },
    ],
    groups,
    'No error groups.',
  );
}

async function refresh() {
  const [flows, runs, open, retrying, groups] = await Promise.all([
    api.flows(),
    api.runs(20),
    api.errors('open'),
    api.errors('retrying'),
    api.groups(),
  ]);
  // Relative times ("12 s ago") are redrawn every 10 s even when nothing else changed.
  const tick = Math.floor(Date.now() / 10_000);
  update($('flows'), flows, drawFlows);
  update($('runs'), { runs, tick }, (d) => drawRuns(d.runs));
  update($('error-classes'), { c: open.countsByClass, f: state.classFilter }, (d) => drawClasses(d.c));
  const errors = [...retrying.errors, ...open.errors];
  update($('errors'), { errors, f: state.classFilter, tick }, (d) => drawErrors(d.errors));
  update($('groups'), { groups, tick }, (d) => drawGroups(d.groups));
}

function showBanner(text, kind) {
  const b = $('banner');
  b.replaceChildren(...(Array.isArray(text) ? text : [text]));
  b.className = `banner banner-${kind}`;
  b.hidden = false;
}

function signedOut() {
  state.signedOut = true;
  $('status').textContent = 'signed out';
  document.querySelector('main').classList.add('stale');
  showBanner(
    [
      'The API answered 401: you are not signed in, the session expired, or the admin token changed. ',
      h('a', { href: '/login' }, 'Sign in again'),
      ' with the login URL that ',
      h('code', {}, 'tiksuite serve'),
      ' prints (or the admin token).',
    ],
    'auth',
  );
}

async function refreshOnce() {
  try {
    await refresh();
    $('banner').hidden = true;
    $('status').textContent = `live · updated ${new Date().toLocaleTimeString()}`;
  } catch (err) {
    if (err instanceof Unauthorized) return signedOut();
    $('status').textContent = 'offline';
    showBanner(`Cannot reach the TikSuite API (${err.message}); retrying every 2 s.`, 'error');
  }
}

/** Refreshes now (once, even when asked again meanwhile), then every REFRESH_MS until signed out. */
async function loop() {
  clearTimeout(state.timer);
  if (state.busy) {
    state.again = true;
    return;
  }
  state.busy = true;
  do {
    state.again = false;
    await refreshOnce();
  } while (state.again && !state.signedOut);
  state.busy = false;
  if (!state.signedOut) state.timer = setTimeout(loop, REFRESH_MS);
}

function toast(text, kind = 'ok') {
  const t = $('toast');
  t.textContent = text;
  t.className = `toast toast-${kind}`;
  t.hidden = false;
  clearTimeout(state.toastTimer);
  state.toastTimer = setTimeout(() => {
    t.hidden = true;
  }, 5000);
}

const ACTIONS = {
  retry: async (el) => `Retrying as run ${(await api.retry(el.dataset.id)).runId.slice(0, 8)}.`,
  resolve: async (el) => {
    await api.resolve(el.dataset.id, 'resolved in the dashboard');
    return 'Resolved.';
  },
  'retry-group': async (el) =>
    `Retried ${(await api.retryGroup(el.dataset.fingerprint)).retried.length} records.`,
  filter: async (el) => {
    state.classFilter = el.dataset.class || null;
    return null;
  },
};

async function onClick(event) {
  const el = event.target.closest('button[data-action]');
  const action = el && ACTIONS[el.dataset.action];
  if (!action || state.signedOut) return;
  el.disabled = true;
  try {
    const message = await action(el);
    if (message) toast(message);
  } catch (err) {
    if (err instanceof Unauthorized) return signedOut();
    toast(err instanceof ApiError ? err.message : `Failed: ${err.message}`, 'error');
  } finally {
    el.disabled = false;
  }
  // Show the outcome now rather than at the next tick.
  await loop();
}

document.addEventListener('click', (event) => void onClick(event));
void loop();
