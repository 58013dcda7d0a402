import { describe, expect, it } from 'vitest';
import { charsetOf, decodeBody, sniffBom } from './body-text';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('decodeBody', () => {
  it('strips a UTF-8 BOM and decodes UTF-8 by default', () => {
    expect(decodeBody(bytes(0xef, 0xbb, 0xbf, 0x61, 0x2c, 0xc3, 0xa9), 'text/csv')).toBe('a,é');
    expect(decodeBody(bytes(0x61, 0xc3, 0xa9), null)).toBe('aé');
  });

  it('lets a UTF-16 BOM win over a wrong charset', () => {
    expect(decodeBody(bytes(0xff, 0xfe, 0x61, 0x00, 0x62, 0x00), 'text/csv; charset=utf-8')).toBe('ab');
    expect(decodeBody(bytes(0xfe, 0xff, 0x00, 0x61), null)).toBe('a');
    expect(sniffBom(bytes(0x61))).toBeNull();
  });

  it('honours the charset of the content type', () => {
    expect(charsetOf('text/html; Charset="ISO-8859-1"')).toBe('iso-8859-1');
    expect(decodeBody(bytes(0x63, 0x61, 0x66, 0xe9), 'text/plain; charset=iso-8859-1')).toBe('café');
    expect(decodeBody(bytes(0x80), 'text/plain; charset=windows-1252')).toBe('€');
  });

  it('falls back to UTF-8 for an unknown charset and keeps a BOM in the middle as content', () => {
    expect(decodeBody(bytes(0x61, 0xc3, 0xa9), 'text/plain; charset=x-made-up')).toBe('aé');
    expect(decodeBody(bytes(0x61, 0xef, 0xbb, 0xbf), null)).toBe('a\ufeff');
  });
});
