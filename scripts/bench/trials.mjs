// Three trials per latency figure (issue 15): each figure is the median over the trials, with its spread.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** closedLoop results of several trials as one: medians of every figure, the p99 and req/s spread, all statuses. */
export function combineTrials(runs) {
  const pick = (k) => runs.map((r) => r[k]);
  const statuses = {};
  for (const r of runs) for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  const out = { trials: runs.length, statuses, runs };
  for (const k of ['n', 'wall_ms', 'rps', 'p50', 'p90', 'p99', 'max']) out[k] = median(pick(k));
  out.p99_range = [Math.min(...pick('p99')), Math.max(...pick('p99'))];
  out.rps_range = [Math.min(...pick('rps')), Math.max(...pick('rps'))];
  return out;
}

/** p99 / ceiling p99 per trial (paired by index; a missing pair uses the ceiling's median), median and spread. */
export function ratioToCeiling(e, ceiling) {
  if (!e || !ceiling) return null;
  const rs = (e.runs ?? [e]).map((r, i) => r.p99 / (ceiling.runs?.[i]?.p99 ?? ceiling.p99));
  return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs), trials: rs };
}

/** "median (min-max)" when the figure has a spread, else the plain number. */
export const withRange = (f, v, range) => (range && range[0] !== range[1] ? `${f(v)} (${f(range[0])}-${f(range[1])})` : f(v));
