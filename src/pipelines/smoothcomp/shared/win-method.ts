/**
 * Win methods. `wonBy` in the JSON feeds is a code ("submission", "walkover", "points", "decision",
 * "disqualification", "bye"); display texts are "Won by Submission", "Advanced via BYE", "Won by Disqualification (dq)";
 * the organizer export uses SUBMISSION, DOUBLE-BYE, NO-SHOW (dossier §5 Vocabulary). All map to one vocabulary.
 */
export const WIN_METHODS = [
  'submission',
  'points',
  'decision',
  'disqualification',
  'walkover',
  'bye',
  'double_bye',
  'no_show',
  'referee_decision',
  'other',
] as const;
export type WinMethod = (typeof WIN_METHODS)[number];

export function winMethod(v: unknown): WinMethod | null {
  if (typeof v !== 'string') return null;
  const s = v
    .toLowerCase()
    .replace(/^\s*(won by|advanced via|win by|gewonnen nach)\s*/, '')
    .replace(/\(.*?\)/g, '')
    .trim();
  if (s === '') return null;
  if (/^double[- ]?bye/.test(s)) return 'double_bye';
  if (/^bye/.test(s)) return 'bye';
  if (/^(sub|submission|aufgabe)/.test(s)) return 'submission';
  if (/^(points?|punkten|pts)/.test(s)) return 'points';
  if (/^(referee|ref\.?)\b/.test(s)) return 'referee_decision';
  if (/^(decision|judges?)/.test(s)) return 'decision';
  if (/^(disqualification|dq)/.test(s)) return 'disqualification';
  if (/^(walkover|wo|w\.o\.)/.test(s)) return 'walkover';
  if (/^no[- ]?show/.test(s)) return 'no_show';
  return 'other';
}

/** A method that ends a match without a fight: counted apart from fought wins and losses. */
export function isNonContest(m: WinMethod | null): boolean {
  return m === 'walkover' || m === 'bye' || m === 'double_bye' || m === 'no_show';
}
