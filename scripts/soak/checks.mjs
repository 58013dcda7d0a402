// Soak checks that need more than the figures soak.mjs already gathers. Each returns a figure and the verdict,
// for soak.mjs's `figure(name, value, ok, check)` line.

/**
 * A cut-off page must never be published: every scope serves full pages of the same event list (B only renames
 * one event), so every publication carries the full page's entity count. The full count is the most common one
 * (full pages are the large majority of what the fixture server answers); a publication with any other count is a
 * half page that got through.
 */
export async function halfPagePublications(q, prefix) {
  const rows = await q(
    `SELECT entity_count AS n, count(*) AS c FROM published_results WHERE scope_key LIKE 'track_slug=${prefix}%' GROUP BY entity_count`,
  );
  const counts = rows.map((r) => ({ n: Number(r.n), c: Number(r.c) })).sort((a, b) => b.c - a.c);
  const full = counts[0]?.n ?? 0;
  const off = counts.slice(1).reduce((s, r) => s + r.c, 0);
  return {
    name: 'publications with another entity count than the full page (a published half page)',
    value: `${off} (full page: ${full} entities${
      counts.length > 1
        ? `; others: ${counts
            .slice(1)
            .map((r) => `${r.n} x${r.c}`)
            .join(', ')}`
        : ''
    })`,
    ok: off === 0 && full > 0,
    check: '> 0, or no publication at all',
  };
}

/** Jobs the sweeper ended: completed (final attempt died after its decision) and exhausted ones, from transitions. */
export async function sweeperEnds(q, prefix) {
  const rows = await q(
    `SELECT t.to_state AS s, count(*) AS n FROM job_state_transitions t JOIN ingestion_jobs j ON j.id = t.job_id
     WHERE j.scope_key LIKE 'track_slug=${prefix}%' AND t.actor = 'sweeper' GROUP BY t.to_state`,
  );
  const by = Object.fromEntries(rows.map((r) => [r.s, Number(r.n)]));
  return { completed: by.succeeded ?? 0, exhausted: by.exhausted ?? 0 };
}
