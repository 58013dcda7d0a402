/** `liverc.track_catalog`: every LiveRC track from the global list. The only pipeline meant to run on a schedule. */
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors';
import { definePipeline } from '../../core/pipeline';
import { absoluteFromRelative } from './relative-time';
import { carryTracks } from './track-carry';
import { type ParsedTrackCatalog, parseTrackCatalog } from './track-catalog-parse';
import { CATALOGUE_URL, eventsUrl, trackUrl } from './urls';

const activitySchema = z.object({
  status: z.enum(['racing', 'practicing', 'idle', 'unknown']),
  live_video: z.boolean(),
  featured: z.boolean(),
  last_updated_text: z.string().nullable(),
  /** `last_updated_text` made absolute against the fetch time (ISO); null without a fetch time or for unknown text. */
  liverc_track_last_updated: z.string().nullable(),
  last_updated_precision: z.enum(['minute', 'hour', 'day', 'week', 'month', 'year']).nullable(),
  current_event: z.string().nullable(),
  /**
   * When the adapter last saw the track on the list (ISO): this fetch for a listed track, the last sighting for an
   * inactive one. Outside the hash: every sync moves it, and only `is_active` changing is news.
   */
  last_seen_at: z.string().nullable(),
});

export const trackCatalogOutputSchema = z.object({
  tracks: z.array(
    z.object({
      slug: z.string().regex(/^[a-z0-9-]+$/),
      name: z.string().min(1),
      track_url: z.string().url(),
      events_url: z.string().url(),
      /** false for a track the list no longer shows: it stays in the payload (seed: mark it inactive, never drop). */
      is_active: z.boolean(),
      /** Volatile, fetch-relative activity: carried in the payload but excluded from hashes (leading `_`). */
      _activity: activitySchema,
    }),
  ),
  /** Tracks on the list now (active). */
  track_count: z.number().int().nonnegative(),
  inactive_track_count: z.number().int().nonnegative(),
  _skipped_rows: z.number().int().nonnegative(),
  _duplicate_slugs: z.array(z.string()),
});
export type TrackCatalogOutput = z.infer<typeof trackCatalogOutputSchema>;

type Parsed = ParsedTrackCatalog & { fetchedAt: number | null };

export const trackCatalogPipeline = definePipeline<Record<string, never>, Parsed, TrackCatalogOutput>({
  name: 'liverc.track_catalog',
  provider: 'liverc',
  description: 'Global LiveRC track list (https://live.liverc.com/): slug, name, track and events URLs.',
  paramsSchema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
  scopeParams: [],
  parserVersion: 'liverc.track_catalog.parse/1',
  normalizerVersion: 'liverc.track_catalog.norm/3', // 2: liverc_track_last_updated (outside the hash); 3: is_active, last_seen_at, vanished tracks kept
  outputSchema: trackCatalogOutputSchema,
  maxRounds: 1,
  schedulable: true, // the seed's only proactive sync
  plan(_params, fetched) {
    if (fetched.length > 0) return [];
    return [{ resourceType: 'track_catalog', resourceKey: 'all', url: CATALOGUE_URL }];
  },
  parse(_params, fetched) {
    const page = fetched.find((r) => r.resourceType === 'track_catalog');
    if (page?.status !== 200) {
      throw new NonRetryableError('TRACK_CATALOG_MISSING', 'provider', `track catalogue not fetched (status ${page?.status ?? 'none'})`);
    }
    return { ...parseTrackCatalog(page.body), fetchedAt: page.fetchedAt ?? null };
  },
  normalize(_params, parsed) {
    const tracks = parsed.tracks
      .map((t) => ({ t, updated: absoluteFromRelative(t.lastUpdatedText, parsed.fetchedAt) }))
      .map(({ t, updated }) => ({
        slug: t.slug,
        name: t.name,
        track_url: trackUrl(t.slug),
        events_url: eventsUrl(t.slug),
        is_active: true,
        _activity: {
          status: t.activity,
          live_video: t.liveVideo,
          featured: t.featured,
          last_updated_text: t.lastUpdatedText,
          liverc_track_last_updated: updated?.at ?? null,
          last_updated_precision: updated?.precision ?? null,
          current_event: t.currentEvent,
          last_seen_at: parsed.fetchedAt === null ? null : new Date(parsed.fetchedAt).toISOString(),
        },
      }))
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    return {
      tracks,
      track_count: tracks.length,
      inactive_track_count: 0,
      _skipped_rows: parsed.skippedRows,
      _duplicate_slugs: [...parsed.duplicateSlugs].sort(),
    };
  },
  carryOver(_params, previous, next, ctx) {
    return carryTracks(previous, next, ctx.previousSeenAt);
  },
  *entities(normalized) {
    for (const t of normalized.tracks) yield [`track:${t.slug}`, t] as const;
  },
});
