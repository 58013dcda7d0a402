/**
 * `snapshots.season {source_name, competition, season}`: the players of one (source, competition, season) from a
 * validated snapshot file, enqueued by `snapshots.import` for each group of the file. Its scope is exactly that
 * triple, so each publication diffs against the previous snapshot of the same source and season: added, removed and
 * changed players and stat lines. It reads the file where settle may have put it (archive/) or where it still is
 * (incoming/), and only accepts the bytes the parent job validated (same sha256), so it does not validate them again.
 *
 * Before reading, the scope's latest publication decides: the same file content again (any key) publishes nothing
 * (DUPLICATE_CONTENT), and a snapshot older than the published one never overrides it (OLDER_THAN_PUBLISHED).
 */
import { z } from 'zod';
import { RetryableError, NonRetryableError } from '../../core/errors';
import { definePipeline } from '../../core/pipeline';
import { SEASON_PIPELINE } from './import-file';
import { readValidatedSnapshot, SNAPSHOT_RESOURCE, type ReadSnapshot } from './read-file';
import { normalizeSeason, seasonEntities, seasonOutput, type SeasonOutput } from './season-normalize';

const params = z.strictObject({
  source_name: z.string().min(1).max(100),
  competition: z.string().min(1).max(200),
  season: z.string().min(1).max(20),
  snapshot_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  key: z.string().min(1).max(1024),
  archive_key: z.string().min(1).max(1024),
});
type Params = z.infer<typeof params>;

export const seasonPipeline = definePipeline<Params, ReadSnapshot, SeasonOutput>({
  name: SEASON_PIPELINE,
  provider: 'snapshots',
  description:
    'Players, teams and per-game stat lines of one (source, competition, season) from an imported snapshot file; diffs against the previous snapshot of the same scope.',
  paramsSchema: params,
  scopeParams: ['source_name', 'competition', 'season'],
  parserVersion: 'snapshots.season.parse/1',
  normalizerVersion: 'snapshots.season.norm/1',
  outputSchema: seasonOutput,
  // A season snapshot may legitimately shrink (a source that lists only active players): hold nothing.
  drift: false,
  skipFetch(p, latest) {
    if (!latest) return null;
    if (latest._file_sha256 === p.sha256) return 'DUPLICATE_CONTENT';
    if (latest._snapshot_date > p.snapshot_date) return 'OLDER_THAN_PUBLISHED';
    return null;
  },
  plan(p, fetched) {
    if (fetched.length > 0) return [];
    // Both places at once: settle copies then deletes, so at least one of them holds the file at any moment.
    const at = (key: string) => ({ source: 'r2' as const, resourceType: SNAPSHOT_RESOURCE, resourceKey: key, url: key, optional: true });
    return p.archive_key === p.key ? [at(p.key)] : [at(p.archive_key), at(p.key)];
  },
  parse(p, fetched) {
    const found = fetched.filter((f) => f.status < 300);
    const same = found.find((f) => f.sha256 === p.sha256);
    if (!same) {
      if (found.length > 0)
        throw new NonRetryableError(
          'SNAPSHOT_FILE_CHANGED',
          'validation',
          `${p.key}: the bytes found (${found[0]!.sha256}) are not the ones imported (${p.sha256})`,
        );
      throw new RetryableError(
        'SNAPSHOT_FILE_MOVING',
        'storage',
        `${p.key} is in neither ${p.archive_key} nor incoming; settle may be moving it`,
        { retryAfterSec: 5 },
      );
    }
    // Same sha256 as the bytes snapshots.import validated: validate once, parse here.
    return readValidatedSnapshot(same);
  },
  normalize(p, read) {
    const records = read.doc.records.filter((r) => r.competition_external_id === p.competition && r.season === p.season);
    if (records.length === 0)
      throw new NonRetryableError('SNAPSHOT_GROUP_EMPTY', 'validation', `${p.key} has no records of ${p.competition} ${p.season}`);
    return normalizeSeason(records, {
      source_name: read.doc.source_name,
      snapshot_date: read.doc.snapshot_date,
      sha256: read.sha256,
      key: p.archive_key,
    });
  },
  entities: seasonEntities,
});
