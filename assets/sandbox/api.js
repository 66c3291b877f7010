// The sandbox control API (/sandbox/api/*) on this same origin; whether it answers shows in the
// status line.

import { setOnline } from './status.js';

const API = '/sandbox/api';

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(API + path, init);
  } catch (_) {
    setOnline(false);
    throw new ApiError(0, 'The sandbox server does not answer. Is `starmine serve` still running?');
  }
  setOnline(true);
  let data = null;
  try {
    data = await res.json();
  } catch (_) {
    data = null;
  }
  if (!res.ok) {
    const msg = data && data.error ? data.error : `HTTP ${res.status}`;
    throw new ApiError(res.status, msg);
  }
  return data || {};
}
