/**
 * Category groups (the listing's `cg=` filter), ids from the listing page's `:category-groups` prop (dossier §2 [CAP]).
 * `event_type` accepts a named group below or a comma list of numeric ids ("1,7").
 */
export const CATEGORY_GROUP_NAMES: Record<number, string> = {
  1: 'Jiu-Jitsu (Gi)',
  3: 'NoGi "Submission Wrestling"',
  4: 'NoGi "ADCC"',
  7: 'Jiu-Jitsu (NoGi)',
  19: 'MMA',
  22: 'Sambo',
  24: 'Luta Livre',
  25: 'Sumo',
  26: 'Judo',
  32: 'Wrestling',
  33: 'Wrestling',
  34: 'Wrestling',
  35: 'Wrestling',
};

export const EVENT_TYPES: Record<string, readonly number[]> = {
  grappling: [1, 3, 4, 7, 24], // the set scrapers filter on [CODE VR, ZC]
  'jiu-jitsu': [1, 7],
  'jiu-jitsu-gi': [1],
  'jiu-jitsu-nogi': [7],
  nogi: [3, 4, 7],
  adcc: [4],
  'submission-wrestling': [3],
  'luta-livre': [24],
  sumo: [25],
  sambo: [22],
  mma: [19],
  judo: [26],
  wrestling: [32, 33, 34, 35],
};

export const EVENT_TYPE_PATTERN = new RegExp(`^(${Object.keys(EVENT_TYPES).join('|')}|\\d{1,4}(,\\d{1,4})*)$`, 'i');

/** Sorted, de-duplicated category-group ids for an `event_type` value. */
export function categoryGroupIds(eventType: string | undefined): number[] {
  if (!eventType) return [];
  const t = eventType.trim().toLowerCase();
  const ids = EVENT_TYPES[t] ?? t.split(',').map(Number);
  return [...new Set(ids)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
}
