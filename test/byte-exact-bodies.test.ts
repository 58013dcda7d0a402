/**
 * Bodies are bytes: a gzip file and a BOM-prefixed CSV fetched through the real transport from the fixture
 * server are hashed, stored in R2 and served back by GET /snapshots/{sha256} byte for byte.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeBody } from '../src/core/body-text';
import { sha256Hex } from '../src/core/canonical-json';
import type { AnyPipeline } from '../src/core/pipeline';
import type { ProviderProfile } from '../src/core/provider';
import { fetchResources } from '../src/runtime/fetch-resources';
import { PendingSnapshots } from '../src/runtime/pending-snapshots';
import { LeaseKeeper } from '../src/runtime/lease';
import { api, fixtures, manualDeps, withCleanState } from './helpers';
import { newJob } from './store-contract/fixtures';

const PROFILE: ProviderProfile = { name: 'files', hostPattern: /^files\.example\.test$/, ratePerSec: 1000, burst: 1000 };

const PIPELINE = {
  name: 'test.files',
  provider: 'files',
  paramsSchema: z.object({}),
  plan: () => [
    { resourceType: 'file', resourceKey: 'gz', url: 'https://files.example.test/dump.json.gz' },
    { resourceType: 'file', resourceKey: 'csv', url: 'https://files.example.test/list.csv' },
  ],
} as unknown as AnyPipeline;

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('byte-exact bodies', () => {
  withCleanState({ invariants: false });

  it('stores and serves a gzip body and a BOM-prefixed CSV exactly as the fixture server sent them', async () => {
    const gz = await gzip('{"rows":[1,2,3]}');
    const csv = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('name,club\r\nJosé,Ñandú\r\n')]);
    await fixtures.routes([
      { key: 'files.example.test/dump.json.gz', bodyBase64: b64(gz), contentType: 'application/gzip' },
      { key: 'files.example.test/list.csv', bodyBase64: b64(csv), contentType: 'text/csv; charset=utf-8' },
    ]);
    const deps = manualDeps();
    const now = deps.now();
    const { job } = await deps.store.insertJob(
      newJob({ pipeline: 'test.files', params: {}, scopeKey: 'files', now, requestedBy: 'test', reason: 'test' }),
    );
    const claimed = (await deps.store.claimJob({
      jobId: job.id,
      workerId: 'w',
      claimToken: 't',
      now,
      leaseUntil: now + 60_000,
      attemptId: crypto.randomUUID(),
    }))!;
    const ref = { jobId: job.id, claimToken: 't', attemptNumber: claimed.attemptCount, attemptId: 'a' };
    const lease = new LeaseKeeper(deps.store, ref, 60_000, 30_000, deps.now, deps.log);
    const pending = new PendingSnapshots();
    const { fetched } = await fetchResources(deps, PIPELINE, PROFILE, claimed, {}, ref, lease, deps.log, pending);
    // The rows ride the attempt's next guarded write (its decision or finish in a job); here, a flush of their own.
    expect(await deps.store.insertSnapshots(pending.rows, ref)).toHaveLength(2);

    for (const [served, got] of [
      [gz, fetched[0]!],
      [csv, fetched[1]!],
    ] as const) {
      expect(got.sha256).toBe(await sha256Hex(served));
      expect([...got.bytes]).toEqual([...served]);
      const res = await api(`/snapshots/${got.sha256}`);
      expect(res.status).toBe(200);
      const back = new Uint8Array(await res.arrayBuffer());
      expect([...back]).toEqual([...served]);
      expect(await sha256Hex(back)).toBe(got.sha256);
      const row = (await deps.store.getSnapshotBySha(got.sha256))!;
      expect(row.sizeBytes).toBe(served.byteLength);
      expect((await env.RAW.head(`raw/${got.sha256}`))!.size).toBe(served.byteLength);
    }
    // The text view is the helper's: BOM gone, accents intact; the gzip file still inflates to its JSON.
    expect(fetched[1]!.body).toBe('name,club\r\nJosé,Ñandú\r\n');
    expect(decodeBody(fetched[1]!.bytes, 'text/csv')).toBe(fetched[1]!.body);
    const inflated = new Blob([fetched[0]!.bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    expect(await new Response(inflated).text()).toBe('{"rows":[1,2,3]}');
  });
});
