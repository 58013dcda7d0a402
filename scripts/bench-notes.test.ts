/** The bench's closing note on round trips (scripts/bench/round-trip-notes.mjs) is checked against the run's counts. */
import { describe, expect, it } from 'vitest';
import { JOB_ROUND_TRIPS, roundTripNotes } from './bench/round-trip-notes.mjs';

const fmt = (v: number, d: number) => v.toFixed(d);
const listed = (kind: string) => JOB_ROUND_TRIPS.reduce((n, t) => n + (t.kind === kind && typeof t.n === 'number' ? t.n : 0), 0);

describe('round-trip note', () => {
  it('names the counts of the run and flags nothing when they match the itemized list', () => {
    const io = { d1_round_trips: listed('d1_round_trips'), r2_puts: listed('r2_puts'), queue_sends: 1, do_calls: 1.2 };
    const lines = roundTripNotes(io, fmt);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the rate-limiter Durable Object call (0.20 per job in this run');
  });

  it('says so when the run counted other figures than the list', () => {
    const io = { d1_round_trips: listed('d1_round_trips') + 1, r2_puts: listed('r2_puts'), queue_sends: 1, do_calls: 2 };
    const lines = roundTripNotes(io, fmt);
    expect(lines[1]).toContain(`d1_round_trips: counted ${fmt(listed('d1_round_trips') + 1, 2)}, listed ${listed('d1_round_trips')}`);
  });
});
