/**
 * The dashboard's only way to the server: the REST API under /api, authenticated by the session
 * cookie the login URL set (same origin, HttpOnly, so this code never sees the token).
 */

/** The API answered 401: not signed in, the session expired, or the admin token changed. */
export class Unauthorized extends Error {}

/** The API answered with an error body ({ error: { code, message } }). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body) {
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) throw new Unauthorized('not signed in');
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const err = json?.error ?? {};
    throw new ApiError(res.status, err.code ?? 'http_error', err.message ?? `HTTP ${res.status}`);
  }
  return json;
}

export const api = {
  flows: async () => (await call('GET', '/flows')).flows,
  runs: async (limit = 20) => (await call('GET', `/runs?limit=${limit}`)).runs,
  /** Open errors plus the counts by class. */
  errors: (status = 'open', limit = 200) => call('GET', `/errors?status=${status}&limit=${limit}`),
  groups: async () => (await call('GET', '/errors?grouped=true')).groups,
  retry: (id) => call('POST', `/errors/${encodeURIComponent(id)}/retry`, {}),
  resolve: (id, note) => call('POST', `/errors/${encodeURIComponent(id)}/resolve`, { note }),
  retryGroup: (fingerprint) => call('POST', `/error-groups/${encodeURIComponent(fingerprint)}/retry`),
};
