// The console's JSON API (/admin/api/*) on this origin. Changes carry the session's CSRF token;
// a refusal (signed out, session ended, no longer an admin) reloads the page, which then shows
// the server's refusal and how to sign in.

const API = '/admin/api';

let csrfToken = '';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The token every POST sends in X-CSRF-Token (from GET /admin/api/session).
export function setCsrf(token) {
  csrfToken = token;
}

export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(API + path, init);
  } catch (_) {
    throw new ApiError(0, 'The server does not answer. Is `starmine serve` running?');
  }
  const data = await res.json().catch(() => null);
  if (res.status === 401 || (res.status === 403 && data && data.code === 'not_admin')) {
    window.location.replace('/admin/');
    throw new ApiError(res.status, data && data.error ? data.error : 'signed out');
  }
  if (!res.ok) throw new ApiError(res.status, data && data.error ? data.error : `HTTP ${res.status}`);
  return data || {};
}
