import { describe, expect, it } from 'vitest';
import { RULES, allows, finishEffects, type JobFacts } from './job-transitions';

const job = (over: Partial<JobFacts> = {}): JobFacts => ({
  state: 'running',
  attemptCount: 1,
  maxAttempts: 1,
  leaseUntil: 100,
  nextRetryAt: 0,
  claimToken: 't',
  ...over,
});

describe('job transition rules', () => {
  it('claims due pending jobs and expired running ones with budget left', () => {
    expect(allows(RULES.claim.guard, job({ state: 'pending', attemptCount: 0, nextRetryAt: 50 }), 50)).toBe(true);
    expect(allows(RULES.claim.guard, job({ state: 'pending', attemptCount: 0, nextRetryAt: 51 }), 50)).toBe(false);
    expect(allows(RULES.claim.guard, job({ maxAttempts: 2 }), 101)).toBe(true);
    expect(allows(RULES.claim.guard, job({ maxAttempts: 2 }), 100)).toBe(false);
    expect(allows(RULES.claim.guard, job(), 101)).toBe(false);
  });

  it('exhausts only a final attempt whose lease is expired at the time of the check', () => {
    expect(allows(RULES.exhaust.guard, job(), 101)).toBe(true);
    expect(allows(RULES.exhaust.guard, job({ leaseUntil: 500 }), 101)).toBe(false);
    expect(allows(RULES.exhaust.guard, job({ maxAttempts: 2 }), 101)).toBe(false);
    expect(allows(RULES.exhaust.guard, job({ decisionSaved: true }), 101)).toBe(false);
  });

  it('completes (succeeded) a dead final attempt only when its decision was saved: exhaust and complete never overlap', () => {
    expect(RULES.complete.to).toBe('succeeded');
    expect(allows(RULES.complete.guard, job({ decisionSaved: true }), 101)).toBe(true);
    expect(allows(RULES.complete.guard, job({ decisionSaved: false }), 101)).toBe(false);
    expect(allows(RULES.complete.guard, job({ decisionSaved: true, leaseUntil: 500 }), 101)).toBe(false);
    expect(allows(RULES.complete.guard, job({ decisionSaved: true, maxAttempts: 2 }), 101)).toBe(false);
    for (const decisionSaved of [true, false])
      expect(allows(RULES.complete.guard, job({ decisionSaved }), 101) !== allows(RULES.exhaust.guard, job({ decisionSaved }), 101)).toBe(
        true,
      );
  });

  it('finishes and continues only under the held claim; cancel and retry by state', () => {
    expect(allows(RULES.finish.guard, job(), 0, 't')).toBe(true);
    expect(allows(RULES.finish.guard, job(), 0, 'other')).toBe(false);
    expect(allows(RULES.continue.guard, job({ state: 'cancelled' }), 0, 't')).toBe(false);
    expect(allows(RULES.cancel.guard, job({ state: 'succeeded' }), 0)).toBe(false);
    expect(allows(RULES.retry.guard, job({ state: 'exhausted' }), 0)).toBe(true);
  });

  it('a continuation spends no attempt budget and counts no retry', () => {
    expect(finishEffects('pending', true)).toEqual({ attemptState: 'continued', retryCountDelta: 0, maxAttemptsDelta: 1, terminal: false });
    expect(finishEffects('pending', false)).toMatchObject({ attemptState: 'failed', retryCountDelta: 1, maxAttemptsDelta: 0 });
    expect(finishEffects('succeeded', false)).toMatchObject({ attemptState: 'succeeded', terminal: true });
    expect(() => finishEffects('failed', true)).toThrow();
  });
});
