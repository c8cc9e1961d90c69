// The CDF API client of the background. The token goes only to
// https://<the host it was taken from>/api/v1/… (assertApiTarget guards every
// request); the code download is a pre-signed URL and gets no Authorization
// header ever. Every failure becomes a CdfError with a protocol reasonCode.

export const API_TIMEOUT_MS = 15_000;
export const DOWNLOAD_TIMEOUT_MS = 60_000;
/** The size read of a download while its limit is not known yet (the default policy's limit). */
export const INTERIM_MAX_BYTES = 50 << 20;
const MAX_LIST_PAGES = 100;

/** A failed CDF request, classified for FunctionState.reasonCode. */
export class CdfError extends Error {
  /**
   * @param {string} reasonCode unauthorized|no-access|not-found|api-error|timeout|too-large|storage-permission
   * @param {string} message one sentence for people (never contains the token)
   * @param {{status?: number, origin?: string}} [extra]
   */
  constructor(reasonCode, message, extra = {}) {
    super(message);
    this.name = 'CdfError';
    this.reasonCode = reasonCode;
    Object.assign(this, extra);
  }
}

/**
 * Throws unless url is https://tokenHost/api/v1/… exactly: no other host,
 * scheme, port or credentials may ever receive the Authorization header.
 */
export function assertApiTarget(url, tokenHost) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new Error('refusing to send the token: not a URL');
  }
  if (
    typeof tokenHost !== 'string' || tokenHost === '' ||
    u.protocol !== 'https:' || u.hostname !== tokenHost.toLowerCase() || u.port !== '' ||
    u.username !== '' || u.password !== '' || !u.pathname.startsWith('/api/v1/')
  ) {
    throw new Error(`refusing to send the token to ${u.origin}${u.pathname.split('/').slice(0, 3).join('/')}`);
  }
}

/** The reasonCode for an HTTP status. */
export function classifyStatus(status) {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'no-access';
  if (status === 404) return 'not-found';
  return 'api-error';
}

const STATUS_TEXT = {
  unauthorized: 'The sign-in has expired (401): reload Fusion',
  'no-access': 'You have no access to this (403)',
  'not-found': 'Not found (404)',
  'api-error': 'The CDF API answered with an error',
};

/** Runs fn(signal) with a timeout; an abort becomes CdfError 'timeout'. */
async function withTimeout(ms, what, fn) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    return await fn(ctl.signal);
  } catch (err) {
    if (err instanceof CdfError) throw err;
    if (ctl.signal.aborted) throw new CdfError('timeout', `${what} timed out after ${Math.round(ms / 1000)} s`);
    throw new CdfError('api-error', `${what} failed: ${err?.message ?? err}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * @param {{fetch?: typeof fetch, hasOrigin?: (origin: string) => Promise<boolean>,
 *          apiTimeoutMs?: number, downloadTimeoutMs?: number}} deps
 *   hasOrigin: whether the extension holds a host permission for an origin
 */
export function createCdfClient({
  fetch: fetchFn = (...a) => globalThis.fetch(...a),
  hasOrigin,
  apiTimeoutMs = API_TIMEOUT_MS,
  downloadTimeoutMs = DOWNLOAD_TIMEOUT_MS,
} = {}) {
  /** One authorised API request; resolves with the parsed JSON body. */
  async function request(host, token, method, path, body) {
    const url = `https://${host}${path}`;
    assertApiTarget(url, host);
    const what = `${method} ${path.replace(/^\/api\/v1\/projects\/[^/]+/, '')}`;
    return withTimeout(apiTimeoutMs, what, async (signal) => {
      const res = await fetchFn(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        signal,
      });
      if (!res.ok) {
        const code = classifyStatus(res.status);
        throw new CdfError(code, `${STATUS_TEXT[code]}: ${what} → ${res.status}`, { status: res.status });
      }
      try {
        return await res.json();
      } catch {
        throw new CdfError('api-error', `${what}: the answer is not JSON`);
      }
    });
  }

  const projectPath = (project) => `/api/v1/projects/${encodeURIComponent(project)}`;

  return {
    request,

    /** GET /api/v1/token/inspect → the parsed answer. */
    tokenInspect(host, token) {
      return request(host, token, 'GET', '/api/v1/token/inspect');
    },

    /** POST functions/byids for one id → the function object (CdfError not-found when absent). */
    async functionById(host, token, project, id) {
      const ans = await request(host, token, 'POST', `${projectPath(project)}/functions/byids`, {
        items: [{ id }],
        ignoreUnknownIds: true,
      });
      const fn = ans?.items?.find((f) => f?.id === id);
      if (!fn) throw new CdfError('not-found', `Function ${id} was not found in project ${project}`);
      return fn;
    },

    /** GET functions/{id} → the function object. */
    getFunction(host, token, project, id) {
      return request(host, token, 'GET', `${projectPath(project)}/functions/${encodeURIComponent(id)}`);
    },

    /** Every function of the project (POST functions/list, following nextCursor). */
    async listFunctions(host, token, project) {
      const all = [];
      let cursor;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const ans = await request(host, token, 'POST', `${projectPath(project)}/functions/list`, {
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        all.push(...(Array.isArray(ans?.items) ? ans.items : []));
        cursor = ans?.nextCursor;
        if (!cursor) break;
      }
      return all;
    },

    /** POST files/byids for one id → the file metadata, or undefined. */
    async fileById(host, token, project, id) {
      const ans = await request(host, token, 'POST', `${projectPath(project)}/files/byids`, {
        items: [{ id }],
        ignoreUnknownIds: true,
      });
      return ans?.items?.find((f) => f?.id === id);
    },

    /** POST files/downloadlink → the pre-signed download URL of a file. */
    async downloadLink(host, token, project, fileId) {
      const ans = await request(host, token, 'POST', `${projectPath(project)}/files/downloadlink`, {
        items: [{ id: fileId }],
      });
      const url = ans?.items?.find((f) => f?.id === fileId)?.downloadUrl ?? ans?.items?.[0]?.downloadUrl;
      if (typeof url !== 'string') throw new CdfError('api-error', 'files/downloadlink gave no download URL');
      return url;
    },

    /**
     * Downloads a pre-signed URL (no Authorization, no cookies) over https
     * from an origin the extension holds a permission for, reading at most
     * maxBytes. Resolves with the bytes.
     * @param {string} url
     * @param {number|Promise<number>} maxBytes the limit, or a promise of it
     *   (the download starts before the policy is known): until it settles,
     *   reading pauses at INTERIM_MAX_BYTES; a rejected limit fails the download.
     */
    async download(url, maxBytes) {
      let u;
      try {
        u = new URL(url);
      } catch {
        throw new CdfError('api-error', 'The download link is not a URL');
      }
      if (u.protocol !== 'https:') throw new CdfError('api-error', `The download link is not https (${u.protocol})`);
      let limit = typeof maxBytes === 'number' ? maxBytes : undefined;
      const settled = Promise.resolve(maxBytes).then((n) => { limit = n; });
      settled.catch(() => {});
      /** Whether n bytes exceed the limit; waits for it past the interim size, or when final. */
      const over = async (n, final = false) => {
        if (limit === undefined && (final || n > INTERIM_MAX_BYTES)) await settled;
        return limit !== undefined && n > limit;
      };
      if (!hasOrigin || !(await hasOrigin(u.origin))) {
        throw new CdfError('storage-permission', `Downloading the code from ${u.origin} needs your permission`, { origin: u.origin });
      }
      return withTimeout(downloadTimeoutMs, 'The code download', async (signal) => {
        const res = await fetchFn(u.href, {
          method: 'GET',
          headers: { Accept: 'application/zip, application/octet-stream, */*' },
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          cache: 'no-store',
          signal,
        });
        if (!res.ok) {
          const code = res.status === 403 ? 'no-access' : res.status === 404 ? 'not-found' : 'api-error';
          throw new CdfError(code, `The code download answered ${res.status}`, { status: res.status });
        }
        const tooLarge = () => new CdfError('too-large', `The code is larger than the policy's limit of ${limit} bytes`);
        const declared = Number(res.headers?.get?.('content-length'));
        if (Number.isFinite(declared) && (await over(declared))) {
          res.body?.cancel?.().catch(() => {});
          throw tooLarge();
        }
        if (!res.body?.getReader) {
          const buf = new Uint8Array(await res.arrayBuffer());
          if (await over(buf.length)) throw tooLarge();
          return buf;
        }
        const reader = res.body.getReader();
        const chunks = [];
        let total = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (await over(total)) {
            reader.cancel().catch(() => {});
            throw tooLarge();
          }
          chunks.push(value);
        }
        if (await over(total, true)) throw tooLarge();
        const out = new Uint8Array(total);
        let off = 0;
        for (const c of chunks) {
          out.set(c, off);
          off += c.byteLength;
        }
        return out;
      });
    },
  };
}
