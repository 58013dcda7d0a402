/**
 * A reader for the JavaScript object literals LiveRC writes into result pages (`racerLaps[id] = {...};`).
 * They are JavaScript, not JSON: single-quoted strings, trailing commas, unquoted keys are all legal, so a JSON
 * parse is wrong and `eval` is out of the question. This reads the literal subset: objects, arrays, strings,
 * numbers, true/false/null. Anything else is a parse failure (the caller turns it into drift).
 */
export type JsValue = string | number | boolean | null | JsValue[] | { [k: string]: JsValue };

export class JsLiteralError extends Error {}

export function readJsLiteral(src: string, start: number): { value: JsValue; end: number } {
  const r = new Reader(src, start);
  const value = r.value();
  return { value, end: r.i };
}

class Reader {
  constructor(
    readonly s: string,
    public i: number,
  ) {}

  fail(what: string): never {
    throw new JsLiteralError(`${what} at offset ${this.i}: ${JSON.stringify(this.s.slice(this.i, this.i + 30))}`);
  }

  ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) this.i++;
      else if (c === 47 && s.charCodeAt(this.i + 1) === 47) {
        const nl = s.indexOf('\n', this.i);
        this.i = nl < 0 ? s.length : nl + 1;
      } else if (c === 47 && s.charCodeAt(this.i + 1) === 42) {
        const endc = s.indexOf('*/', this.i + 2);
        if (endc < 0) this.fail('unterminated comment');
        this.i = endc + 2;
      } else return;
    }
  }

  value(): JsValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === "'" || c === '"') return this.string();
    if (c === '-' || c === '+' || c === '.' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail('unexpected token');
  }

  object(): { [k: string]: JsValue } {
    const out: { [k: string]: JsValue } = {};
    this.i++; // {
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.key();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      out[key] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail("expected ',' or '}'");
    }
  }

  key(): string {
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.string();
    const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) return this.fail('expected key');
    this.i += m[0].length;
    return m[0];
  }

  array(): JsValue[] {
    const out: JsValue[] = [];
    this.i++; // [
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const q = this.s[this.i];
    this.i++;
    let out = '';
    let from = this.i;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === q) {
        out += this.s.slice(from, this.i);
        this.i++;
        return out;
      }
      if (c === '\\') {
        out += this.s.slice(from, this.i);
        const e = this.s[this.i + 1];
        this.i += 2;
        if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else if (e === 'r') out += '\r';
        else if (e === 'u') {
          const hex = this.s.slice(this.i, this.i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 4;
        } else if (e === 'x') {
          const hex = this.s.slice(this.i, this.i + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('bad \\x escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 2;
        } else if (e === '\n') {
          // line continuation
        } else out += e ?? '';
        from = this.i;
        continue;
      }
      this.i++;
    }
  }

  number(): number {
    const m = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) return this.fail('bad number');
    this.i += m[0].length;
    return Number(m[0]);
  }
}
