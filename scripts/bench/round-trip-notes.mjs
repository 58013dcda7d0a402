// The closing note on end-to-end throughput: which round trips an adapter job still makes beyond the bare Worker's,
// and why each stays. The list describes the code (test/round-trips.test.ts pins the same figures); the note
// checks it against the run's own counts per kind and says so when they disagree, so it cannot go stale silently.

/** One e2e job (liverc.event_catalog, one resource, first publication): each counted round trip and why it stays. */
export const JOB_ROUND_TRIPS = [
  { kind: 'd1_round_trips', n: 1, bare: true, what: 'the enqueue batch (the job row and its first transition)' },
  { kind: 'queue_sends', n: 1, bare: true, what: 'the queue send' },
  {
    kind: 'd1_round_trips',
    n: 1,
    what: 'the claim batch',
    why: 'the lease that makes at-least-once delivery safe; it also reads the latest publication the decision is based on',
  },
  {
    kind: 'do_calls',
    n: 'shared',
    what: 'the rate-limiter Durable Object call',
    why:
      'politeness shared by every isolate is a guarantee a local bucket cannot give; the requests waiting in one isolate ' +
      'at once share a call (a slot each, none held ahead of need), so a batch of jobs pays it less than once per job',
  },
  { kind: 'r2_puts', n: 1, bare: true, what: 'the raw body put' },
  {
    kind: 'd1_round_trips',
    n: 1,
    what: 'the carryOver read',
    why:
      "this pipeline's carryOver needs each event's ingest depth from the deep publications of the track, " +
      "known only after the claim names the job's params; the same statement answers when the published content was " +
      'last confirmed (Store.carryReads)',
  },
  {
    kind: 'r2_puts',
    n: 2,
    what: 'the normalized document and envelope puts',
    why:
      'replays, renormalization and the next decision read the content-addressed document; consumers read the envelope ' +
      'by publication id, which a publisher that lost a race must never overwrite',
  },
  {
    kind: 'do_calls',
    n: 1,
    what: 'the ScopePublisher Durable Object call',
    why: 'it serializes the decision per scope, the guard against two publications of one scope',
  },
  {
    kind: 'd1_round_trips',
    n: 1,
    bare: true,
    what: "the decision batch (the bare Worker's insert), which also writes the raw_snapshots row and finishes the job",
  },
];

const KINDS = ['d1_round_trips', 'r2_puts', 'queue_sends', 'do_calls'];

/** The note's lines for the run's counts per job (`io`: median over trials of totals / jobs). */
export function roundTripNotes(io, fmt) {
  const listed = Object.fromEntries(KINDS.map((k) => [k, 0]));
  for (const t of JOB_ROUND_TRIPS) if (typeof t.n === 'number') listed[t.kind] += t.n;
  const limiterShare = (io.do_calls ?? 0) - listed.do_calls;
  const off = KINDS.filter((k) => k !== 'do_calls' && Math.abs((io[k] ?? 0) - listed[k]) > 0.05);
  if (limiterShare < -0.05 || limiterShare > 1.05) off.push('do_calls');
  const stays = JOB_ROUND_TRIPS.filter((t) => !t.bare).map((t) =>
    t.n === 'shared' ? `${t.what} (${fmt(limiterShare, 2)} per job in this run: ${t.why})` : `${t.what} (${t.n}: ${t.why})`,
  );
  const counted = KINDS.map((k) => `${k} ${fmt(io[k] ?? 0, 2)}`).join(', ');
  const twins = JOB_ROUND_TRIPS.filter((t) => t.bare)
    .map((t) => t.what)
    .join('; ');
  const lines = [
    `- The round trips left beyond the bare Worker's (counted per job in this run: ${counted}) and why each stays: ` +
      `${stays.join('; ')}. The bare Worker's four have their twins here: ${twins}.`,
  ];
  const differs = off.map((k) => `${k}: counted ${fmt(io[k] ?? 0, 2)}, listed ${listed[k]}`).join('; ');
  if (off.length)
    lines.push(
      `- **The list above no longer matches this run's counts** (${differs}): ` +
        'update scripts/bench/round-trip-notes.mjs with test/round-trips.test.ts.',
    );
  return lines;
}
