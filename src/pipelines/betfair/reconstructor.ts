/**
 * Exchange Stream lines to market state. One JSON message per line; `op: mcm` market change messages carry
 * `mc[]` (one entry per market: `marketDefinition`, `rc[]` runner changes, `tv`, `img`). Heartbeats (`ct:
 * HEARTBEAT`) and other ops (`connection`, `status`, `ocm`) are counted and skipped. A line that is not JSON (a
 * truncated last line) or not a message is a rejection with its line number; the stream goes on.
 */
import { parseError } from '../../core/errors';
import type { Rejection } from '../../core/source';
import { type Compression, decompressInto } from './decompress';
import { LineSplitter } from './lines';
import { MarketState } from './market-state';

/** Stored rejections are capped (the count is not) so a garbage file cannot grow memory without bound. */
export const MAX_STORED_REJECTIONS = 1000;

export interface StreamStats {
  lines: number;
  bytes: number;
  messages: number;
  heartbeats: number;
  market_changes: number;
  runner_changes: number;
  unknown_ops: Record<string, number>;
  rejected: number;
}

export class StreamReconstructor {
  readonly markets = new Map<string, MarketState>();
  readonly rejections: Rejection[] = [];
  readonly stats: StreamStats = {
    lines: 0,
    bytes: 0,
    messages: 0,
    heartbeats: 0,
    market_changes: 0,
    runner_changes: 0,
    unknown_ops: {},
    rejected: 0,
  };
  private sawMarketChange = false;

  line(text: string, lineNo: number): void {
    if (text.length === 0 || (text.length < 4 && text.trim().length === 0)) return;
    this.stats.lines += 1;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.reject(lineNo, 'malformed_line', `line ${lineNo} is not valid JSON (truncated or corrupt)`);
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.reject(lineNo, 'malformed_message', `line ${lineNo} is not a stream message object`);
      return;
    }
    const m = msg as Record<string, unknown>;
    this.stats.messages += 1;
    if (m.op !== 'mcm') {
      const op = typeof m.op === 'string' ? m.op : '(none)';
      this.stats.unknown_ops[op] = (this.stats.unknown_ops[op] ?? 0) + 1;
      return;
    }
    if (m.ct === 'HEARTBEAT') {
      this.stats.heartbeats += 1;
      return;
    }
    const mcs = m.mc;
    if (mcs === undefined) {
      // An mcm without changes is a keep-alive in all but name.
      this.stats.heartbeats += 1;
      return;
    }
    if (!Array.isArray(mcs) || !mcs.every(isMarketChange)) {
      this.reject(
        lineNo,
        'malformed_message',
        `line ${lineNo}: mc must be a list of market changes with an id and runner changes with numeric ids`,
      );
      return;
    }
    const pt = typeof m.pt === 'number' ? m.pt : Number.NaN;
    if (!Number.isFinite(pt)) {
      this.reject(lineNo, 'malformed_message', `line ${lineNo}: pt (publish time) missing`);
      return;
    }
    for (const mc of mcs) this.applyMarketChange(mc, pt, lineNo);
  }

  private applyMarketChange(mc: Record<string, unknown>, pt: number, lineNo: number): void {
    const id = mc.id as string;
    let market = this.markets.get(id);
    if (!market) {
      // Without a definition there is no event, no runners list and no start time: classify, never guess.
      if (!mc.marketDefinition || typeof mc.marketDefinition !== 'object') {
        throw parseError(
          'BETFAIR_NO_MARKET_DEFINITION',
          `market ${id} first appears at line ${lineNo} without a marketDefinition${this.sawMarketChange ? '' : ' (the stream must start with one)'}`,
          { line: lineNo, market_id: id },
        );
      }
      market = new MarketState(id);
      this.markets.set(id, market);
    }
    this.sawMarketChange = true;
    this.stats.market_changes += 1;
    if (Array.isArray(mc.rc)) this.stats.runner_changes += mc.rc.length;
    market.apply(mc, pt);
  }

  private reject(lineNo: number, rule: string, message: string): void {
    this.stats.rejected += 1;
    if (this.rejections.length < MAX_STORED_REJECTIONS) this.rejections.push({ locator: `line:${lineNo}`, field: null, rule, message });
  }
}

function isMarketChange(mc: unknown): mc is Record<string, unknown> {
  if (mc === null || typeof mc !== 'object') return false;
  const o = mc as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id.length === 0) return false;
  if (o.rc === undefined) return true;
  if (!Array.isArray(o.rc)) return false;
  for (const rc of o.rc) if (rc === null || typeof rc !== 'object' || typeof (rc as { id?: unknown }).id !== 'number') return false;
  return true;
}

export interface Reconstruction {
  compression: Compression;
  reconstructor: StreamReconstructor;
}

/** Decompress (by magic bytes) and reconstruct, one bounded chunk at a time. */
export function reconstructBytes(bytes: Uint8Array): Reconstruction {
  const reconstructor = new StreamReconstructor();
  const splitter = new LineSplitter((line, n) => reconstructor.line(line, n));
  const compression = decompressInto(bytes, (chunk) => splitter.push(chunk));
  splitter.end();
  reconstructor.stats.bytes = splitter.bytes;
  if (reconstructor.markets.size === 0) {
    throw parseError(
      'BETFAIR_NO_MARKET_DEFINITION',
      `the stream has no market change with a marketDefinition (${reconstructor.stats.lines} lines)`,
      { lines: reconstructor.stats.lines },
    );
  }
  return { compression, reconstructor };
}
