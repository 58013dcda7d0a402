#!/usr/bin/env node
// `npm run dev`: wrangler dev --local plus a cron ticker (scripts/cron-ticker.mjs), so schedules and lost-job
// recovery run locally as they would on Cloudflare. Extra arguments go to wrangler (e.g. `-- --port 8788`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './dev-stack.mjs';
import { startCronTicker } from './cron-ticker.mjs';

const extra = process.argv.slice(2);
const portArg = extra.indexOf('--port');
const port = portArg >= 0 ? extra[portArg + 1] : '8787';
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
};
const child = spawn(
  join(ROOT, 'node_modules', '.bin', 'wrangler'),
  ['dev', '--local', ...(portArg >= 0 ? [] : ['--port', port]), ...extra],
  { cwd: ROOT, env, stdio: 'inherit' },
);
const url = `http://127.0.0.1:${port}`;
let ticker = null;
const wait = async () => {
  for (let i = 0; i < 240 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/internal/v1/health/live`)).ok) return true;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 500));
  }
  return false;
};
if (await wait()) ticker = startCronTicker(url, { log: (m) => console.log(`[dev] ${m}`) });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => {
  ticker?.stop();
  process.exit(code ?? 0);
});
