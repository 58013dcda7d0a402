/**
 * Match lifecycle changes for settlement. Between two publications of one scope a match that
 *   - reaches a final status (or is first seen already final) gives one `final` change;
 *   - was final and is final again with a different result (status, how it ended, winner or any score part) gives
 *     one `corrected` change.
 * Anything else (still live, unchanged final) gives nothing, so a re-sync never repeats a change. The settlement
 * key is `settlement:{match_id}:{status_timestamp}` (seed 001, §7.3) with the provider's change timestamp
 * (`changes.changeTimestamp`, unix seconds): the same transition seen through two scopes (a round and the match
 * itself) gets the same key; a correction moves the timestamp and so gets a new key.
 */
import { canonicalJson, entityHash } from '../../core/canonical-json';
import type { LifecycleChange } from '../../core/pipeline';
import type { Match } from './schemas';

function result(m: Match) {
  return { status: m.status.status, ended_by: m.status.ended_by, code: m.status.code, winner: m.winner, scores: m.scores };
}

function stateOf(m: Match): Record<string, unknown> {
  return m.status.final ? result(m) : { status: m.status.status, code: m.status.code, period: m.status.period };
}

function statusStamp(m: Match, previous: Match | undefined): string {
  const t = m._changed_at;
  const tail = entityHash(canonicalJson(result(m))).slice(0, 8);
  if (typeof t !== 'number') return `r${tail}`;
  // A correction the provider made without moving its change timestamp still needs a key of its own.
  if (previous?.status.final && previous._changed_at === t) return `${t}.${tail}`;
  return String(t);
}

export function matchLifecycle(previous: readonly Match[] | null, next: readonly Match[]): LifecycleChange[] {
  const before = new Map((previous ?? []).map((m) => [m.match_id, m]));
  const out: LifecycleChange[] = [];
  for (const m of next) {
    if (!m.status.final) continue;
    const p = before.get(m.match_id);
    let kind: LifecycleChange['kind'];
    if (!p?.status.final) kind = 'final';
    else if (canonicalJson(result(p)) !== canonicalJson(result(m))) kind = 'corrected';
    else continue;
    const stamp = statusStamp(m, p);
    out.push({
      entity_key: `match:${m.match_id}`,
      kind,
      from: p ? stateOf(p) : null,
      to: result(m),
      status_time: typeof m._changed_at === 'number' ? new Date(m._changed_at * 1000).toISOString() : null,
      settlement_key: `settlement:${m.match_id}:${stamp}`,
    });
  }
  return out.sort((a, b) => (a.entity_key < b.entity_key ? -1 : a.entity_key > b.entity_key ? 1 : 0));
}
