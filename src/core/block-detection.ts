/**
 * Bot-challenge and block pages: the one list of markers. The transport (src/runtime/provider-client.ts) applies it
 * to every provider response before parsing; a parser that refuses block bodies itself (Smoothcomp's refuseBlocked)
 * reads the same list, and a provider profile's `detectBlock` adds only what is specific to that provider.
 */
const CHALLENGE_MARKERS: Array<[RegExp, string]> = [
  [/<title>\s*Just a moment\.\.\.\s*<\/title>/i, 'cloudflare challenge ("Just a moment...")'],
  [/cf-chl-|cf_chl_|cf-challenge|challenges\.cloudflare\.com|\/cdn-cgi\/challenge-platform\//i, 'cloudflare challenge script'],
  [/<title>\s*Attention Required! \| Cloudflare\s*<\/title>/i, 'cloudflare block page'],
  [/<title>[^<]*Access denied[^<]*<\/title>/i, 'access denied page'],
  [/g-recaptcha|h-captcha|hcaptcha\.com\/1\/api\.js/i, 'captcha'],
];

/** Only the head of the body is scanned: challenge pages are small and a listing can be megabytes. */
const SCAN_BYTES = 16_384;

/** The challenge or block page a body is, by its markers alone; null when none matches. */
export function detectChallengePage(body: string): string | null {
  const head = body.length > SCAN_BYTES ? body.slice(0, SCAN_BYTES) : body;
  for (const [re, reason] of CHALLENGE_MARKERS) if (re.test(head)) return reason;
  return null;
}

export function detectGenericBlock(status: number, headers: Headers, body: string): string | null {
  if (headers.get('cf-mitigated') === 'challenge') return 'cloudflare challenge (cf-mitigated header)';
  const marked = detectChallengePage(body);
  if (marked) return marked;
  const head = body.length > SCAN_BYTES ? body.slice(0, SCAN_BYTES) : body;
  if ((status === 401 || status === 403) && /<form[^>]+(login|signin|sign-in)/i.test(head)) return 'login wall';
  return null;
}
