/**
 * Seed step 3 of the track catalogue sync: "mark any previously known LiveRC tracks that no longer appear as
 * is_active = false". A track the previous publication had and this list lacks stays, inactive, with its last
 * sighting; an inactive track that reappears is active again. Pure: the times come from stored fetch times.
 */
import type { TrackCatalogOutput } from './track-catalog';

type Track = TrackCatalogOutput['tracks'][number];

/** A list that lost most of the known tracks is left alone, so the drift guard still sees it shrink and holds it. */
const DRIFT_MIN_PREVIOUS = 5;
const DRIFT_MIN_RETAINED = 0.5;

export function carryTracks(
  previous: TrackCatalogOutput | null,
  next: TrackCatalogOutput,
  previousSeenAt: number | null,
): TrackCatalogOutput {
  if (!previous || !Array.isArray(previous.tracks)) return next;
  // Publications of normalizer 2 had no is_active: every track in them was on the list.
  const wasActive = (t: Track) => t.is_active !== false;
  const previousActive = previous.tracks.filter(wasActive).length;
  if (previousActive >= DRIFT_MIN_PREVIOUS && next.tracks.length < previousActive * DRIFT_MIN_RETAINED) return next;
  const listed = new Set(next.tracks.map((t) => t.slug));
  const seenAt = previousSeenAt === null ? null : new Date(previousSeenAt).toISOString();
  const vanished: Track[] = previous.tracks
    .filter((t) => !listed.has(t.slug))
    .map((t) => ({
      ...t,
      is_active: false,
      _activity: {
        ...t._activity,
        last_seen_at: wasActive(t) ? (seenAt ?? t._activity?.last_seen_at ?? null) : (t._activity?.last_seen_at ?? null),
      },
    }));
  if (vanished.length === 0) return next;
  const tracks = [...next.tracks, ...vanished].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return { ...next, tracks, inactive_track_count: vanished.length };
}
