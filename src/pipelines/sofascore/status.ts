/**
 * SofaScore `status.code` (+ `status.type`) to one canonical status. The table is the contract: every code the
 * adapter understands is listed with what it means; a code not listed is `unknown` and keeps its raw code, type and
 * description (never dropped, never guessed from the type). Where each row comes from is in
 * docs/sofascore-pipelines.md ("Status table"); `[CAP]` rows were seen in real captures.
 */
export const CANONICAL_STATUSES = [
  'scheduled',
  'inprogress',
  'finished',
  'postponed',
  'canceled',
  'abandoned',
  'interrupted',
  'suspended',
  'delayed',
  'walkover',
  'retired',
  'awarded',
  'unknown',
] as const;
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

/** How a finished match ended. */
export const ENDED_BY = ['regular_time', 'extra_time', 'penalties', 'overtime', 'walkover', 'retirement', 'awarded'] as const;
export type EndedBy = (typeof ENDED_BY)[number];

export interface StatusRow {
  status: CanonicalStatus;
  /** The provider's `type` for this code; a different type on the wire is reported as `type_mismatch`. */
  type: string;
  description: string;
  period?: string;
  endedBy?: EndedBy;
}

const live = (description: string, period: string): StatusRow => ({ status: 'inprogress', type: 'inprogress', description, period });

/**
 * `suspended` and `awarded` are in the canonical set (downstream codes against it) but no SofaScore code for them
 * was seen in a capture or in code that ran against the API, so no row maps to them yet: such a match arrives as
 * `unknown` with its raw code until a capture shows the code, and then one row is added here.
 */
export const STATUS_TABLE: Readonly<Record<number, StatusRow>> = {
  0: { status: 'scheduled', type: 'notstarted', description: 'Not started' },
  6: live('1st half', 'first_half'),
  7: live('2nd half', 'second_half'),
  8: live('1st set', 'set_1'),
  9: live('2nd set', 'set_2'),
  10: live('3rd set', 'set_3'),
  11: live('4th set', 'set_4'),
  12: live('5th set', 'set_5'),
  13: live('1st quarter / 1st period', 'period_1'),
  14: live('2nd quarter / 2nd period', 'period_2'),
  15: live('3rd quarter / 3rd period', 'period_3'),
  16: live('4th quarter', 'period_4'),
  31: live('Halftime', 'halftime'),
  32: live('Awaiting extra time', 'awaiting_extra_time'),
  33: live('Extra time halftime', 'extra_time_halftime'),
  34: live('Awaiting penalties', 'awaiting_penalties'),
  40: live('Overtime', 'overtime'),
  41: live('1st extra', 'extra_time_1'),
  42: live('2nd extra', 'extra_time_2'),
  50: live('Penalties', 'penalties'),
  60: { status: 'postponed', type: 'postponed', description: 'Postponed' },
  61: { status: 'delayed', type: 'notstarted', description: 'Start delayed' },
  70: { status: 'canceled', type: 'canceled', description: 'Canceled' },
  80: { status: 'interrupted', type: 'interrupted', description: 'Interrupted' },
  90: { status: 'abandoned', type: 'canceled', description: 'Abandoned' },
  91: { status: 'walkover', type: 'finished', description: 'Walkover', endedBy: 'walkover' },
  92: { status: 'retired', type: 'finished', description: 'Retired', endedBy: 'retirement' },
  100: { status: 'finished', type: 'finished', description: 'Ended', endedBy: 'regular_time' },
  110: { status: 'finished', type: 'finished', description: 'AET', endedBy: 'extra_time' },
  120: { status: 'finished', type: 'finished', description: 'AP', endedBy: 'penalties' },
  130: { status: 'finished', type: 'finished', description: 'After overtime', endedBy: 'overtime' },
};

/** Statuses after which the result stands (settlement can run); postponed, delayed and interrupted do not. */
export const FINAL_STATUSES: ReadonlySet<CanonicalStatus> = new Set([
  'finished',
  'walkover',
  'retired',
  'awarded',
  'canceled',
  'abandoned',
]);

export interface MatchStatus {
  status: CanonicalStatus;
  period: string | null;
  ended_by: EndedBy | null;
  final: boolean;
  /** The provider's own values, always kept. */
  code: number | null;
  type: string | null;
  description: string | null;
  /** The wire type differs from the table's type for this code (the table wins; reported, not hidden). */
  type_mismatch: boolean;
}

export function mapStatus(raw: unknown): MatchStatus {
  const s = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const code = typeof s.code === 'number' && Number.isInteger(s.code) ? s.code : null;
  const type = typeof s.type === 'string' ? s.type : null;
  const description = typeof s.description === 'string' ? s.description : null;
  const row = code === null ? undefined : STATUS_TABLE[code];
  if (!row) return { status: 'unknown', period: null, ended_by: null, final: false, code, type, description, type_mismatch: false };
  return {
    status: row.status,
    period: row.period ?? null,
    ended_by: row.endedBy ?? null,
    final: FINAL_STATUSES.has(row.status),
    code,
    type,
    description,
    type_mismatch: type !== null && type !== row.type,
  };
}
