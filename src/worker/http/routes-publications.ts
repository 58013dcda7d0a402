/** /internal/v1/publications and /snapshots: what downstream reads, and the raw evidence behind it. */
import { Hono, type Context } from 'hono';
import { rawKey } from '../../runtime/blob-keys';
import { fileEvidence } from '../../runtime/file-evidence';
import { latestPublication, loadEnvelopeText, resolveScope } from '../../runtime/lookups';
import { MAX_PARAM_CHARS } from '../../runtime/validate-params';
import type { Publication } from '../../core/types';
import { blobsOf, filesOf } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { parseQuery, uuidParam } from './query';
import { LookupQuery } from './schemas';
import { storeOf, type AppEnv } from './middleware';
import { decodeCursor, encodeCursor, publicationJson } from './serialize';

export const publicationRoutes = new Hono<AppEnv>();

const OWN = new Set(Object.keys(LookupQuery.shape));

function splitQuery(query: Record<string, string>) {
  if (!query.pipeline)
    throw new HttpError(400, 'PIPELINE_REQUIRED', 'query parameter "pipeline" is required', { fields: { pipeline: ['required'] } });
  const own = parseQuery(LookupQuery, Object.fromEntries(Object.entries(query).filter(([k]) => OWN.has(k))));
  const filters = Object.fromEntries(Object.entries(query).filter(([k]) => !OWN.has(k)));
  for (const [k, v] of Object.entries(filters)) {
    if (v.length === 0 || v.length > MAX_PARAM_CHARS) {
      throw new HttpError(400, 'INVALID_SCOPE_FILTER', `scope filter ${k} must be 1-${MAX_PARAM_CHARS} characters`, {
        fields: { [k]: [`must be 1-${MAX_PARAM_CHARS} characters`] },
      });
    }
  }
  return { ...own, filters };
}

/** Serves an envelope's stored JSON; a poller that already holds it (If-None-Match) gets 304 and no body. */
async function envelopeResponse(c: Context<AppEnv>, pub: Publication): Promise<Response> {
  const etag = `"${pub.envelopeHash}"`;
  const headers = { etag, 'cache-control': 'no-cache', 'x-publication-id': pub.id };
  if (
    (c.req.header('if-none-match') ?? '')
      .split(',')
      .map((t) => t.trim())
      .includes(etag)
  )
    return c.body(null, 304, headers);
  return c.body(await loadEnvelopeText(blobsOf(c.env), pub), 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
}

publicationRoutes.get('/latest', async (c) => {
  const { pipeline, filters, scope, cursor } = splitQuery(c.req.query());
  if (cursor !== undefined || c.req.query('limit') !== undefined) {
    throw new HttpError(400, 'INVALID_QUERY', 'latest takes no cursor or limit', {
      fields: { [cursor !== undefined ? 'cursor' : 'limit']: ['not allowed on latest'] },
    });
  }
  const anyScope = scope === 'any';
  const pub = await latestPublication(storeOf(c), pipeline, filters, { anyScope });
  if (!pub) {
    const where = anyScope ? 'in any scope' : Object.keys(filters).length ? 'with these scope filters' : 'in its global scope';
    throw new HttpError(404, 'PUBLICATION_NOT_FOUND', `no publication for ${pipeline} ${where}`);
  }
  return envelopeResponse(c, pub);
});

publicationRoutes.get('/', async (c) => {
  const { pipeline, filters, scope, cursor, limit } = splitQuery(c.req.query());
  if (scope)
    throw new HttpError(400, 'SCOPE_REQUIRED', 'publication history is per scope: give its scope filters, not scope=any', {
      fields: { scope: ['not allowed on history'] },
    });
  const scopeKey = resolveScope(pipeline, filters)!;
  let before: number | null = null;
  if (cursor) {
    const parts = decodeCursor(cursor);
    if (parts?.length !== 1 || !/^\d+$/.test(parts[0]!)) throw new HttpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued');
    before = Number(parts[0]);
  }
  const pubs = await storeOf(c).listPublications(pipeline, scopeKey, before, limit + 1);
  const page = pubs.slice(0, limit);
  const last = page[page.length - 1];
  return c.json({
    scope_key: scopeKey,
    publications: page.map(publicationJson),
    next_cursor: pubs.length > limit && last ? encodeCursor([last.sequence]) : null,
  });
});

publicationRoutes.get('/:id', async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_PUBLICATION_ID', 'publication id');
  const pub = await storeOf(c).getPublication(id);
  if (!pub) throw new HttpError(404, 'PUBLICATION_NOT_FOUND', `no publication ${id}`);
  return envelopeResponse(c, pub);
});

export const snapshotRoutes = new Hono<AppEnv>();

snapshotRoutes.get('/:sha256', async (c) => {
  const sha = c.req.param('sha256');
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new HttpError(400, 'INVALID_SHA256', 'snapshot id must be a lowercase hex sha256');
  const snap = await storeOf(c).getSnapshotBySha(sha);
  // A streamed file's evidence is its FILES object (src/runtime/file-evidence.ts), checked as it is served.
  const body = snap ? ((await c.env.RAW.get(rawKey(sha)))?.body ?? (await fileEvidence(filesOf(c.env), snap))) : null;
  if (!snap || !body) throw new HttpError(404, 'SNAPSHOT_NOT_FOUND', `no raw snapshot ${sha}`);
  return new Response(body, {
    headers: {
      'content-type': snap.contentType ?? 'application/octet-stream',
      'x-snapshot-url': snap.url,
      'x-snapshot-fetched-at': new Date(snap.fetchedAt).toISOString(),
      'x-request-id': c.get('requestId'),
      // Raw provider HTML must never render as this origin's page.
      'content-security-policy': "sandbox; default-src 'none'",
      'x-content-type-options': 'nosniff',
    },
  });
});
