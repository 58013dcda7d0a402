/**
 * A 200 can carry half a page: chunked transfer with no Content-Length that ends cleanly mid-document (a proxy
 * timing out, an origin worker dying mid-render). Nothing at the HTTP layer tells it apart from a whole page, so
 * the document is asked: an HTML document that opens `<html` must close it. Fragments (no `<html` tag) and other
 * content types are left to their parsers (a cut JSON body fails JSON.parse, a classified parse error).
 */
const HEAD_SCAN = 4096;
const TAIL_SCAN = 8192;

export function htmlCutShort(contentType: string | null, body: string): boolean {
  if (contentType && !/html/i.test(contentType)) return false;
  const head = body.slice(0, HEAD_SCAN);
  if (!/<html[\s>]/i.test(head)) return false;
  return !/<\/html\s*>/i.test(body.slice(-TAIL_SCAN));
}
