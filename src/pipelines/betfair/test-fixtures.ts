/** Test-only: the real Betfair captures (testdata/betfair/PROVENANCE.md) as bytes, plain, bz2 and gzip. */
import greyhound from '../../../testdata/betfair/1.197931750?raw';
import catalogue from '../../../testdata/betfair/1.197931750.json?raw';
import basic from '../../../testdata/betfair/BASIC-1.132153978?raw';
import greyhoundBz2 from '../../../testdata/betfair/derived/1.197931750.bz2.b64?raw';
import basicBz2 from '../../../testdata/betfair/derived/BASIC-1.132153978.bz2.b64?raw';
import nblCsv from '../../../testdata/betfair/NBL_2024-2025_Match_Odds.csv?raw';
import definition from '../../../testdata/betfair/streaming_market_definition.json?raw';
import heartbeat from '../../../testdata/betfair/streaming_mcm_HEARTBEAT.json?raw';
import update from '../../../testdata/betfair/streaming_mcm_update.json?raw';

export const TEXT = { basic, greyhound, catalogue, nblCsv, definition, heartbeat, update };

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export const BZ2 = { basic: fromBase64(basicBz2), greyhound: fromBase64(greyhoundBz2) };

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The file's lines (1-based as in an editor): `lines(TEXT.basic)[477]` is line 477. */
export function lines(text: string): string[] {
  return ['', ...text.split('\n')];
}
