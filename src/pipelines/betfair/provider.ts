/**
 * The Betfair provider profile. Historic files and CSVs come from the FILES bucket (source `r2`) and cost no
 * provider request; the profile matters for the Historic Data API and live polling, which go through the
 * transport (rate limiter, UPSTREAM_OVERRIDE). Betfair's documented guidance for the Historic Data API is modest
 * request rates; 2/s fleet-wide with a burst of 4 stays well inside it.
 */
import type { ProviderLogin, ProviderProfile } from '../../core/provider';

const IDENTITY = 'https://identitysso.betfair.com/api/';

function readToken(status: number, body: string): { token: string } | { error: string } {
  let j: { token?: unknown; status?: unknown; error?: unknown } = {};
  try {
    j = JSON.parse(body) as typeof j;
  } catch {
    return { error: `HTTP ${status}, not JSON` };
  }
  if (status === 200 && j.status === 'SUCCESS' && typeof j.token === 'string' && j.token) return { token: j.token };
  return { error: typeof j.error === 'string' && j.error ? j.error : `HTTP ${status} status ${String(j.status)}` };
}

/**
 * Betfair's interactive login (identitysso `login` with the app key and form-encoded credentials; `keepAlive` with
 * the token) as betfairlightweight and Betfair's API docs describe it. The Historic Data API takes the token in an
 * `ssoid` header, Exchange API-NG in `X-Authentication`. A session idles out after hours of inactivity: kept alive after an hour of use, never used past
 * four hours without one. A 401 from a data endpoint means the session expired.
 */
export const BETFAIR_LOGIN: ProviderLogin = {
  loginUrl: `${IDENTITY}login`,
  keepAliveUrl: `${IDENTITY}keepAlive`,
  credentials: ['app_key', 'username', 'password'],
  loginRequest: (c) => ({
    headers: { accept: 'application/json', 'x-application': c.app_key!, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: c.username!, password: c.password! }).toString(),
  }),
  keepAliveHeaders: (c, token) => ({ accept: 'application/json', 'x-application': c.app_key!, 'x-authentication': token }),
  readToken,
  // The Historic Data API reads `ssoid`; Exchange API-NG (listMarketBook) reads `X-Authentication`: one session, both.
  sessionHeaders: (c, token) => ({ ssoid: token, 'x-authentication': token, 'x-application': c.app_key! }),
  ttlSec: 4 * 3600,
  keepAliveAfterSec: 3600,
  expiredStatuses: [401],
};

export const BETFAIR_PROVIDER: ProviderProfile = {
  name: 'betfair',
  hostPattern: /(^|\.)betfair\.com$/i,
  ratePerSec: 2,
  burst: 4,
  login: BETFAIR_LOGIN,
};

/** Default FILES prefixes the file triggers claim. */
export const HISTORIC_PREFIX = 'betfair/historic/';
export const CSV_PREFIX = 'betfair/csv/';
/** Where `betfair.historic_sync` keeps downloaded files (outside the historic file trigger: it enqueues them itself). */
export const SYNCED_PREFIX = 'betfair/synced/';

/**
 * Betfair reports stakes and traded volumes of its historic data in GBP, the exchange's base currency (an
 * assumption stated, not read from a file: the stream carries no currency field). A job may say otherwise.
 */
export const BETFAIR_DEFAULT_CURRENCY = 'GBP';
