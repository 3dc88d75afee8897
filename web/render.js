/**
 * Small DOM helpers. Everything from the API is set as text, never as HTML, so an error message
 * or a payload value can never inject markup into the page.
 */

/** Creates an element: h('td', { class: 'num', title: 'x' }, 'text', childNode, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('data-')) el.setAttribute(k, String(v));
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * A table from column definitions ({ label, cell(row) -> node|text, class }) and rows, or a short
 * line saying there is nothing to show.
 */
export function table(columns, rows, empty, rowAttrs = () => ({})) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { class: c.class }, c.label)))),
    h(
      'tbody',
      {},
      ...rows.map((r) => h('tr', rowAttrs(r), ...columns.map((c) => h('td', { class: c.class }, c.cell(r))))),
    ),
  );
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z_]/gi, '')}` }, text);
}

export function button(label, attrs) {
  return h('button', { type: 'button', ...attrs }, label);
}

/** "12 s ago", "3 min ago", with the exact time as a tooltip. */
export function ago(iso) {
  if (!iso) return '–';
  const t = new Date(iso);
  const s = Math.max(0, Math.round((Date.now() - t.getTime()) / 1000));
  const text =
    s < 60
      ? `${s} s ago`
      : s < 3600
        ? `${Math.floor(s / 60)} min ago`
        : s < 86400
          ? `${Math.floor(s / 3600)} h ago`
          : t.toISOString().slice(0, 10);
  return h('time', { datetime: t.toISOString(), title: t.toLocaleString() }, text);
}

export function duration(startIso, endIso) {
  const ms = (endIso ? new Date(endIso) : new Date()).getTime() - new Date(startIso).getTime();
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The first 8 characters of an id, the whole id as a tooltip. */
export function shortId(id) {
  return h('code', { title: id }, String(id).slice(0, 8));
}

export function describeTrigger(t) {
  return t.type === 'schedule' ? `schedule (${t.cron})` : t.type;
}

/** Replaces a container's content only when the data changed, so clicks are not lost to a redraw. */
export function update(container, data, draw) {
  const key = JSON.stringify(data);
  if (container.dataset.key === key) return;
  container.dataset.key = key;
  container.replaceChildren(draw(data));
}
