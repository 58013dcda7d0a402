// What the wrangler-dev e2e tests do to a running stack (scripts/dev-stack.mjs) besides HTTP: the local R2 through
// the wrangler CLI against the stack's own state, and API calls that survive the dev server's keep-alive.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../dev-stack.mjs';

const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** `wrangler r2 object <args> --local` on the stack's state: its stdout, or null when the command failed. */
export function localR2(stack, args) {
  try {
    return execFileSync(WRANGLER, ['r2', 'object', ...args, '--local', '--persist-to', stack.state], {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } catch {
    return null;
  }
}

/**
 * One API call as `{status, body}`. wrangler CLI calls in between outlast the dev server's keep-alive; a request on
 * a closed socket never reached the Worker, so asking once more is safe for reads, scans and keyed enqueues.
 */
export async function apiCall(stack, path, init) {
  const res = await stack.api(path, init).catch(() => stack.api(path, init));
  return { status: res.status, body: await res.json() };
}
