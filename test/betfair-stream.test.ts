/**
 * The `betfair.historic_market` job reads its file as a stream (src/runtime/stream-source.ts) on the real local
 * runtime (miniflare R2, D1, Durable Objects): a multi-MB recording built from the real greyhound archive (48 of its
 * bzip2 streams back to back: 4 MB compressed, 19 MB of lines, so the bz2 window is rebuilt many times) and the same
 * lines gzip'ed. The streamed job gives what the bytes path gives (a FILES store that cannot stream takes it) and
 * records the same snapshot (sha256 and size of the object), without a raw copy: the snapshot route serves the
 * FILES object; a replay streams it and refuses one whose bytes changed.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/core/canonical-json';
import type { BlobStore } from '../src/core/ports';
import { BZ2, gzip, TEXT, utf8 } from '../src/pipelines/betfair/test-fixtures';
import { rawKey } from '../src/runtime/blob-keys';
import { api, captureErrorLogs, manualDeps, runOnce, withCleanState } from './helpers';

const COPIES = 48;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const sha256 = async (b: Uint8Array) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', b)));

/** The same FILES bucket without `getStream`: the runtime falls back to reading the object whole. */
function bytesOnly(files: BlobStore): BlobStore {
  return {
    putIfAbsent: (...a) => files.putIfAbsent(...a),
    put: (...a) => files.put(...a),
    getText: (k) => files.getText(k),
    getBytes: (k) => files.getBytes(k),
    getObject: (k) => files.getObject!(k),
    list: (...a) => files.list(...a),
    copy: (...a) => files.copy(...a),
    delete: (k) => files.delete(k),
  };
}

async function payloadOf(publicationId: string, deps: ReturnType<typeof manualDeps>) {
  const pub = (await deps.store.getPublication(publicationId))!;
  return JSON.parse(await (await env.RAW.get(pub.envelopeKey))!.text()).payload as Record<string, any>;
}

describe('betfair.historic_market streamed', () => {
  withCleanState();

  it('a multi-MB bz2 and gzip recording: the streamed job equals the bytes path, with the same snapshot and no raw copy', async () => {
    const bz2 = concat(Array.from({ length: COPIES }, () => BZ2.greyhound));
    expect(bz2.byteLength).toBeGreaterThan(4_000_000);
    const deps = manualDeps();
    const key = 'betfair/historic/big/1.197931750.bz2';
    await env.FILES.put(key, bz2);

    const streamed = await runOnce(deps, 'betfair.historic_market', { key });
    expect(streamed.out.kind).toBe('succeeded');
    expect(streamed.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', raw_bodies_written: 0, provider_requests: 1 });
    const [snap] = await deps.store.listSnapshots(streamed.id);
    expect(snap).toMatchObject({ url: `r2:${key}`, status: 200, sizeBytes: bz2.byteLength, sha256: await sha256(bz2) });
    expect(await env.RAW.head(rawKey(snap!.sha256))).toBeNull();
    // The evidence is the FILES object, served (and checked) by the snapshot route.
    const evidence = await api(`/snapshots/${snap!.sha256}`);
    expect(evidence.headers.get('x-snapshot-url')).toBe(`r2:${key}`);
    expect(await sha256(new Uint8Array(await evidence.arrayBuffer()))).toBe(snap!.sha256);
    const payload = await payloadOf(streamed.stored.result!.publication_id as string, deps);
    expect(payload.compression).toBe('bz2');
    expect(payload.stats).toMatchObject({ lines: 166 * COPIES, bytes: 395_421 * COPIES, rejected: 0 });
    expect(payload.races[0].selections.find((s: { result: string }) => s.result === 'winner')).toMatchObject({ name: '2. Sandwood Jet' });

    // The bytes path over the same object: the same normalized output (so nothing to publish) and the same row.
    const viaBytes = await runOnce({ ...deps, files: bytesOnly(deps.files!) }, 'betfair.historic_market', { key });
    expect(viaBytes.stored.result).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      normalized_hash: streamed.stored.result!.normalized_hash,
      source_snapshot_hash: streamed.stored.result!.source_snapshot_hash,
      raw_bodies_written: 1,
    });
    const [bytesSnap] = await deps.store.listSnapshots(viaBytes.id);
    expect({ sha256: bytesSnap!.sha256, size: bytesSnap!.sizeBytes }).toEqual({ sha256: snap!.sha256, size: snap!.sizeBytes });

    // The same lines gzip'ed (another scope): the same markets and races.
    const gzKey = 'betfair/historic/big/1.197931750.gz';
    await env.FILES.put(gzKey, await gzip(utf8(TEXT.greyhound.repeat(COPIES))));
    const gz = await runOnce(deps, 'betfair.historic_market', { key: gzKey });
    expect(gz.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', raw_bodies_written: 0 });
    const gzPayload = await payloadOf(gz.stored.result!.publication_id as string, deps);
    expect(gzPayload.compression).toBe('gzip');
    expect({ markets: gzPayload.markets, races: gzPayload.races, stats: gzPayload.stats }).toEqual({
      markets: payload.markets,
      races: payload.races,
      stats: payload.stats,
    });
  });

  it('a replay streams the FILES object; an object whose bytes changed fails the replay', async () => {
    const deps = manualDeps();
    const key = 'betfair/historic/replay/1.197931750.bz2';
    await env.FILES.put(key, BZ2.greyhound);
    const first = await runOnce(deps, 'betfair.historic_market', { key });
    expect(first.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', raw_bodies_written: 0 });
    const replay = await runOnce(deps, 'betfair.historic_market', { key }, { mode: 'replay' });
    expect(replay.stored.result).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      replay_of: first.id,
      normalized_hash: first.stored.result!.normalized_hash,
    });

    await env.FILES.put(key, await gzip(utf8(TEXT.greyhound)));
    const logs = captureErrorLogs();
    const changed = await runOnce(deps, 'betfair.historic_market', { key }, { mode: 'replay' });
    expect(changed.out).toEqual({ kind: 'failed', code: 'REPLAY_BODY_CHANGED' });
    expect(logs.seen()).toEqual(['job failed:REPLAY_BODY_CHANGED']);
    const [snap] = await deps.store.listSnapshots(first.id);
    expect((await api(`/snapshots/${snap!.sha256}`)).status).toBe(404);
  });

  it('a parse that fails on line 1 of a multi-MB gzip file still records the whole object (its sha256 and size)', async () => {
    const deps = manualDeps();
    const key = 'betfair/historic/nodef-big.gz';
    const bytes = await gzip(utf8(`${TEXT.update.trim()}\n${TEXT.greyhound.repeat(16)}`));
    await env.FILES.put(key, bytes);
    const logs = captureErrorLogs();
    const r = await runOnce(deps, 'betfair.historic_market', { key });
    expect(r.out).toEqual({ kind: 'failed', code: 'BETFAIR_NO_MARKET_DEFINITION' });
    expect(logs.seen()).toEqual(['job failed:BETFAIR_NO_MARKET_DEFINITION']);
    const [snap] = await deps.store.listSnapshots(r.id);
    expect(snap).toMatchObject({ url: `r2:${key}`, sizeBytes: bytes.byteLength, sha256: await sha256(bytes) });
  });
});
