/**
 * The CLI's HTTP client for the internal API. It only speaks HTTP (any `fetch`): the same code runs in Node for
 * operators and against the Worker itself in the Vitest pool. Failures become CliError with a documented exit code.
 */
export const EXIT = {
  OK: 0,
  /** The job (or one of its children) ended failed, exhausted or cancelled. */
  FAILED: 1,
  /** Bad command line: unknown command or option, malformed --param / --json. */
  USAGE: 2,
  /** The seed's "already complete": the event was ingested in full before, nothing was fetched. */
  ALREADY_COMPLETE: 3,
  /** The API could not be reached (connection refused, DNS, TLS). */
  UNREACHABLE: 4,
  /** The API refused the token (401) or its role (403). */
  AUTH: 5,
  /** The API rejected the request (4xx other than auth: validation, not found, conflict) or answered 5xx. */
  REJECTED: 6,
  /** --wait gave up before the job finished (it keeps running). */
  TIMEOUT: 7,
} as const;

export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  readonly base: string;
  constructor(
    baseUrl: string,
    private readonly token: string | undefined,
    private readonly fetchFn: FetchFn = (i, init) => fetch(i, init),
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** GET/POST/PUT under /internal/v1; answers the parsed JSON body of a 2xx, throws CliError otherwise. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/internal/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        EXIT.UNREACHABLE,
        `cannot reach the API at ${this.base}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
        'API_UNREACHABLE',
      );
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // a non-JSON answer (a proxy's error page) is reported by status below
    }
    if (res.ok) return json as T;
    const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const detail = e ? `${e.code}: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}` : `HTTP ${res.status}`;
    if (res.status === 401) throw new CliError(EXIT.AUTH, `the API refused the token (${detail}); set --token or INGEST_TOKEN`, e?.code);
    if (res.status === 403) throw new CliError(EXIT.AUTH, `the token may not do this (${detail})`, e?.code);
    throw new CliError(EXIT.REJECTED, `${method} ${path} failed with ${res.status}: ${detail}`, e?.code);
  }
}
