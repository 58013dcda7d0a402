import { describe, expect, it } from 'vitest';
import { decodeEntities } from './html-entities';

describe('decodeEntities', () => {
  it('decodes numeric, named and accented references', () => {
    expect(decodeEntities('Tom &amp; Jerry &#8211; &#x41;&nbsp;&Ouml;sterreich &atilde;')).toBe(
      'Tom & Jerry \u2013 A\u00a0\u00d6sterreich \u00e3',
    );
  });
  it('leaves unknown names and out-of-range code points as written instead of throwing', () => {
    expect(decodeEntities('&bogus; &#x110000; &#0; &#99999999999;')).toBe('&bogus; &#x110000; &#0; &#99999999999;');
  });
});
