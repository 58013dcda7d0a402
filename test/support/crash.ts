/**
 * Crash injection at a named port call, for crash-window tests. The consumer's ports (its store, blobs and
 * publisher) are wrapped; when the trigger call is reached the consumer "dies": `before` never makes the call,
 * `after` makes it and never returns. From then on every call of that consumer hangs, as a killed isolate's would
 * (nothing it does afterwards reaches storage). `pause` instead stalls at the trigger until `resume()`, then makes
 * the call late: a consumer frozen past its lease that wakes up (the zombie case).
 */
import type { RuntimeDeps } from '../../src/runtime/deps';

export interface CrashTrigger {
  port: 'store' | 'blobs' | 'publisher';
  method: string;
  when: 'before' | 'after' | 'pause';
  match?: (args: unknown[]) => boolean;
}

export interface CrashHandle<D> {
  deps: D;
  /** Resolves when the trigger was reached. */
  reached: Promise<void>;
  /** pause mode: lets the stalled call proceed. */
  resume: () => void;
}

const never = () => new Promise<never>(() => undefined);

export function crashAt<D extends Pick<RuntimeDeps, 'store' | 'blobs' | 'publisher' | 'config'>>(
  base: D,
  trigger: CrashTrigger,
): CrashHandle<D> {
  let dead = false;
  let fired = false;
  let onReached!: () => void;
  const reached = new Promise<void>((ok) => (onReached = ok));
  let resume!: () => void;
  const resumed = new Promise<void>((ok) => (resume = ok));
  const wrap = <T extends object>(name: CrashTrigger['port'], target: T): T =>
    new Proxy(target, {
      get(t, prop, recv) {
        const v = Reflect.get(t, prop, recv);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (dead) return never();
          const hit = !fired && name === trigger.port && prop === trigger.method && (!trigger.match || trigger.match(args));
          if (!hit) return v.apply(t, args);
          fired = true;
          onReached();
          if (trigger.when === 'before') {
            dead = true;
            return never();
          }
          if (trigger.when === 'after') {
            return Promise.resolve(v.apply(t, args)).then(() => {
              dead = true;
              return never();
            });
          }
          return resumed.then(() => v.apply(t, args));
        };
      },
    });
  const deps = {
    ...base,
    store: wrap('store', base.store),
    blobs: wrap('blobs', base.blobs),
    publisher: wrap('publisher', base.publisher),
    // A dead consumer renews nothing: no heartbeat timer outlives the test.
    config: { ...base.config, heartbeatIntervalSec: 3_600 },
  };
  return { deps, reached, resume };
}
