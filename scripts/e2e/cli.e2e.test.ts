/**
 * The `ingest` CLI as an operator runs it (`node bin/ingest.mjs`, a separate process) against `wrangler dev` (local
 * D1, R2, Queues, Durable Objects) fed by recorded LiveRC pages: the seed's LiveRC flow with its exit codes. The
 * progress bars themselves are asserted in src/cli/program.test.ts; here the process, its exit codes and its
 * --json output are what is checked.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startStack, TOKEN } from '../dev-stack.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;

// Asynchronous on purpose: the fixture server runs in this process, so a blocking spawnSync would starve it.
function ingest(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ingest.mjs'), '--url', stack.url, ...args], {
      cwd: ROOT,
      env: { ...process.env, INGEST_TOKEN: TOKEN },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

describe('ingest CLI on wrangler dev', () => {
  beforeAll(async () => {
    stack = await startStack({});
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('tracks sync and events ingest exit 0, a second ingest exits ALREADY_COMPLETE (3), a bad token exits AUTH (5)', async () => {
    const sync = await ingest('--json', 'tracks', 'sync');
    expect(sync.code, `${sync.err}\n${sync.out}`.slice(-1500)).toBe(0);
    expect(JSON.parse(sync.out)).toMatchObject({ exit_code: 0, job: { pipeline: 'liverc.track_catalog', state: 'succeeded' } });

    const first = await ingest('--json', 'events', 'ingest', '--track', 'canberraoffroad', '--event', '486677', '--depth', 'laps_full');
    expect(first.code, first.err + first.out).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ exit_code: 0, job: { state: 'succeeded', result: { decision: 'PUBLISH_FIRST' } } });

    const again = await ingest('--json', 'events', 'ingest', '--track', 'canberraoffroad', '--event', '486677');
    expect(again.code, again.err + again.out).toBe(3);
    expect(JSON.parse(again.out)).toMatchObject({ exit_code: 3, job: { result: { skip_reason: 'EVENT_ALREADY_COMPLETE' } } });

    const refused = await ingest('--token', 'not-a-token', 'jobs', 'list');
    expect(refused.code).toBe(5);
  }, 240_000);
});
