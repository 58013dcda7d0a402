import { describe, expect, it } from 'vitest';
import { ContinuationSignal, nextContinuation } from './continuation';

describe('nextContinuation', () => {
  it('counts continuations and resets the stall count on progress', () => {
    const first = nextContinuation(null, new ContinuationSignal(2, 10), 3);
    expect(first).toEqual({ done: 2, total: 10, continuations: 1, stalled: 0 });
    const stalled = nextContinuation({ continuation: first }, new ContinuationSignal(2, 10), 3);
    expect(stalled).toMatchObject({ continuations: 2, stalled: 1 });
    expect(nextContinuation({ continuation: stalled }, new ContinuationSignal(3, 10), 3)).toMatchObject({ continuations: 3, stalled: 0 });
  });

  it('ends a job that made no progress across N continuations with a classified error', () => {
    let state = nextContinuation(null, new ContinuationSignal(1, 5), 3);
    state = nextContinuation({ continuation: state }, new ContinuationSignal(1, 5), 3);
    state = nextContinuation({ continuation: state }, new ContinuationSignal(1, 5), 3);
    expect(() => nextContinuation({ continuation: state }, new ContinuationSignal(1, 5), 3)).toThrow(
      expect.objectContaining({ code: 'CONTINUATION_NO_PROGRESS', category: 'internal', retryable: false }),
    );
  });
});
