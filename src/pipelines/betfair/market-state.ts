/**
 * One market's reconstructed state. Definitions replace the market's static view (the stream always sends the
 * whole definition), runner changes are deltas. Only the latest values are kept plus a status timeline that grows
 * by transitions (a handful per market), so memory does not grow with the number of messages.
 *
 * The off: the first definition with `inPlay: true`; for a market that never turns in play (most greyhound WIN
 * markets) the first move out of OPEN at or after the scheduled start (`marketTime`). Runner changes that arrive
 * in the same message as the off definition are applied after it, so they count as after the off.
 */
import { type RunnerDefinition, RunnerState } from './runner-state';

export interface TimelineEntry {
  status: string;
  in_play: boolean;
  at: string;
}

export type OffSource = 'in_play' | 'suspended_after_start';

/** Market-level definition fields kept (the rest of the definition is not part of the output). */
const DEFINITION_FIELDS = [
  'eventId',
  'eventName',
  'eventTypeId',
  'venue',
  'countryCode',
  'timezone',
  'marketType',
  'bettingType',
  'name',
  'marketTime',
  'suspendTime',
  'openDate',
  'numberOfWinners',
  'bspMarket',
  'turnInPlayEnabled',
  'settledTime',
  'version',
  'status',
  'inPlay',
  'bspReconciled',
  'complete',
  'eachWayDivisor',
  'raceType',
] as const;

export class MarketState {
  readonly def: Record<string, unknown> = {};
  readonly runners = new Map<string, RunnerState>();
  readonly timeline: TimelineEntry[] = [];
  firstPt: number | null = null;
  lastPt: number | null = null;
  offAt: number | null = null;
  offSource: OffSource | null = null;
  totalMatched: number | null = null;
  definitions = 0;
  changes = 0;

  constructor(readonly id: string) {}

  runner(id: number, hc: number): RunnerState {
    const key = hc === 0 ? String(id) : `${id}:${hc}`;
    let r = this.runners.get(key);
    if (!r) {
      r = new RunnerState(id, hc);
      this.runners.set(key, r);
    }
    return r;
  }

  apply(mc: Record<string, unknown>, pt: number): void {
    this.changes += 1;
    if (this.firstPt === null) this.firstPt = pt;
    this.lastPt = pt;
    if (mc.img === true) for (const r of this.runners.values()) r.clearBooks();
    const md = mc.marketDefinition;
    if (md && typeof md === 'object') this.applyDefinition(md as Record<string, unknown>, pt);
    if (typeof mc.tv === 'number') this.totalMatched = mc.tv;
    const rcs = mc.rc;
    if (Array.isArray(rcs)) {
      for (const rc of rcs as Array<Record<string, unknown>>) {
        this.runner(rc.id as number, typeof rc.hc === 'number' ? rc.hc : 0).applyChange(rc);
      }
    }
  }

  private applyDefinition(md: Record<string, unknown>, pt: number): void {
    this.definitions += 1;
    for (const f of DEFINITION_FIELDS) {
      const v = md[f];
      // eventName and the market name are sticky like runner names: not every definition carries them.
      if (v !== undefined && v !== null && v !== '') this.def[f] = v;
    }
    if (Array.isArray(md.runners)) {
      for (const rd of md.runners as RunnerDefinition[]) {
        if (rd && typeof rd.id === 'number') this.runner(rd.id, typeof rd.hc === 'number' ? rd.hc : 0).applyDefinition(rd);
      }
    }
    const status = typeof md.status === 'string' ? md.status : 'UNKNOWN';
    const inPlay = md.inPlay === true;
    const last = this.timeline[this.timeline.length - 1];
    if (!last || last.status !== status || last.in_play !== inPlay)
      this.timeline.push({ status, in_play: inPlay, at: new Date(pt).toISOString() });
    if (this.offAt === null) {
      const start = typeof this.def.marketTime === 'string' ? Date.parse(this.def.marketTime) : Number.NaN;
      if (inPlay) this.markOff(pt, 'in_play');
      else if (status !== 'OPEN' && Number.isFinite(start) && pt >= start) this.markOff(pt, 'suspended_after_start');
    }
  }

  private markOff(pt: number, source: OffSource): void {
    this.offAt = pt;
    this.offSource = source;
    for (const r of this.runners.values()) r.freezeAtOff();
  }
}
