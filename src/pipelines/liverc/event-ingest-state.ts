/**
 * Seed steps 5-6 of the event catalogue sync and step 10 of deep ingestion: every event carries `ingest_depth`
 * and `last_ingested_at`, taken from the latest `liverc.event_deep` publication of that event (never from the
 * catalogue page, so a re-sync cannot reset them). Also the deep-job backlog of `laps_full` syncs: what they asked
 * for and is not ingested yet, so a capped sync loses nothing. Pure: inputs are stored publications.
 */
import type { RelatedPublication } from '../../core/pipeline';
import { deriveScopeKey } from '../../core/scope-key';
import type { EventCatalogOutput, EventCatalogParams } from './event-catalog';

/** Scope keys of `liverc.event_deep` (scope params track_slug, event_id) for one track start with this. */
export function deepScopePrefix(trackSlug: string): string {
  return `${deriveScopeKey(['track_slug'], { track_slug: trackSlug })}&event_id=`;
}

export function withIngestState(
  params: EventCatalogParams,
  previous: EventCatalogOutput | null,
  next: EventCatalogOutput,
  related: ReadonlyMap<string, RelatedPublication>,
): EventCatalogOutput {
  const prefix = deepScopePrefix(params.track_slug);
  const events = next.events.map((e) => {
    const deep = related.get(`${prefix}${encodeURIComponent(e.source_event_id)}`);
    return deep ? { ...e, ingest_depth: 'laps_full' as const, last_ingested_at: new Date(deep.publishedAt).toISOString() } : e;
  });
  const pending = new Set(events.filter((e) => e.ingest_depth === 'none').map((e) => e.source_event_id));
  const wanted = new Set<string>(Array.isArray(previous?._deep_backlog) ? previous._deep_backlog : []);
  if (params.depth === 'laps_full') {
    // new_only (the seed's default): events the previous publication did not have; all of them on a first sync.
    const known = new Set((previous?.events ?? []).map((e) => e.source_event_id));
    for (const e of events) if (params.ingest === 'all' || !previous || !known.has(e.source_event_id)) wanted.add(e.source_event_id);
  }
  const backlog = [...wanted].filter((id) => pending.has(id)).sort((a, b) => Number(b) - Number(a));
  return { ...next, events, _deep_backlog: backlog };
}
