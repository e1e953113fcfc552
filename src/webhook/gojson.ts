/**
 * JSON reading with the semantics of Go's `json.Decoder` (Go 1.26), which aws-iam-authenticator uses
 * for TokenReview request bodies. `JSON.parse` differs in ways that change results: it rejects text
 * after the first value, keeps duplicate keys apart instead of decoding them into one field, and
 * keeps lone surrogates where Go substitutes U+FFFD.
 * NOTE: src/sts/goJson.ts reads whole texts like `json.Unmarshal` (text after the value is an error,
 * input is already a string). Both readers could become one module with a mode for each.
 */

/** A parsed JSON value. Objects keep every entry in input order, duplicates included. */
export type JsonNode =
  | { readonly kind: 'object'; readonly entries: Array<readonly [string, JsonNode]> }
  | { readonly kind: 'array'; readonly items: JsonNode[] }
  /** `raw` is the text between the quotes, one character per input byte, escapes not applied. */
  | { readonly kind: 'string'; readonly value: string; readonly raw: string }
  | { readonly kind: 'number'; readonly literal: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

type ObjectNode = Extract<JsonNode, { kind: 'object' }>;
type ArrayNode = Extract<JsonNode, { kind: 'array' }>;

/**
 * A syntax error, or `EOF` / `unexpected EOF` when the input ends early. Messages follow Go's
 * scanner for logs; clients only ever see the webhook's fixed 400 text.
 */
export class GoJsonSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'GoJsonSyntaxError';
    this.offset = offset;
  }
}

/** Go's scanner rejects nesting deeper than this. */
export const MAX_NESTING_DEPTH = 10_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Reads the first JSON value of `input` like `json.Decoder.Decode`: leading whitespace is skipped,
 * anything after the value is ignored, and the value itself must be valid JSON.
 */
export function readFirstJsonValue(input: Uint8Array): JsonNode {
  const reader = new JsonReader(input);
  reader.skipSpace();
  if (reader.atEnd()) {
    throw new GoJsonSyntaxError('EOF', reader.pos);
  }
  return reader.readValue();
}

type Frame = { readonly node: ObjectNode; key: string } | { readonly node: ArrayNode };

class JsonReader {
  pos = 0;

  constructor(private readonly input: Uint8Array) {}

  atEnd(): boolean {
    return this.pos >= this.input.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && isSpace(this.peek())) {
      this.pos++;
    }
  }

  /** Reads one value iteratively, so deep nesting cannot overflow the call stack. */
  readValue(): JsonNode {
    const stack: Frame[] = [];

    for (;;) {
      let value = this.openValue(stack);
      if (value === undefined) {
        continue;
      }

      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          return value;
        }
        if ('key' in top) {
          top.node.entries.push([top.key, value]);
        } else {
          top.node.items.push(value);
        }
        const closed = this.afterElement(top);
        if (closed === undefined) {
          break;
        }
        stack.pop();
        value = closed;
      }
    }
  }

  /**
   * Starts the value at the current position. Returns the finished value, or undefined after
   * pushing a non-empty object or array, whose first element is read next.
   */
  private openValue(stack: Frame[]): JsonNode | undefined {
    const c = this.next();

    if (c === 0x7b /* { */) {
      const node: ObjectNode = { kind: 'object', entries: [] };
      this.checkDepth(stack);
      this.skipSpace();
      if (this.peekOrEof() === 0x7d /* } */) {
        this.pos++;
        return node;
      }
      stack.push({ node, key: this.readKey('looking for beginning of object key string') });
      return undefined;
    }
    if (c === 0x5b /* [ */) {
      const node: ArrayNode = { kind: 'array', items: [] };
      this.checkDepth(stack);
      this.skipSpace();
      if (this.peekOrEof() === 0x5d /* ] */) {
        this.pos++;
        return node;
      }
      stack.push({ node });
      return undefined;
    }
    if (c === QUOTE) {
      return this.readStringBody();
    }
    if (c === 0x2d /* - */ || isDigit(c)) {
      return this.readNumber(this.pos - 1);
    }
    if (c === 0x74 /* t */) {
      this.expectLiteral('rue', 'true');
      return { kind: 'bool', value: true };
    }
    if (c === 0x66 /* f */) {
      this.expectLiteral('alse', 'false');
      return { kind: 'bool', value: false };
    }
    if (c === 0x6e /* n */) {
      this.expectLiteral('ull', 'null');
      return { kind: 'null' };
    }
    throw this.invalidCharacter(c, this.pos - 1, 'looking for beginning of value');
  }

  /** Consumes the separator after an element. Returns the container when it closed. */
  private afterElement(frame: Frame): JsonNode | undefined {
    const isObject = 'key' in frame;
    const context = isObject ? 'after object key:value pair' : 'after array element';
    this.skipSpace();
    const c = this.next();

    if (c === 0x2c /* , */) {
      this.skipSpace();
      if (isObject) {
        frame.key = this.readKey('looking for beginning of object key string');
      }
      return undefined;
    }
    if ((isObject && c === 0x7d) || (!isObject && c === 0x5d)) {
      return frame.node;
    }
    throw this.invalidCharacter(c, this.pos - 1, context);
  }

  private checkDepth(stack: Frame[]): void {
    if (stack.length + 1 > MAX_NESTING_DEPTH) {
      throw new GoJsonSyntaxError('exceeded max depth', this.pos - 1);
    }
  }

  private readKey(context: string): string {
    const c = this.next();
    if (c !== QUOTE) {
      throw this.invalidCharacter(c, this.pos - 1, context);
    }
    const key = this.readStringBody().value;
    this.skipSpace();
    const colon = this.next();
    if (colon !== 0x3a /* : */) {
      throw this.invalidCharacter(colon, this.pos - 1, 'after object key');
    }
    this.skipSpace();
    return key;
  }

  /** Reads a string whose opening quote was consumed; validates, then unquotes like Go. */
  private readStringBody(): Extract<JsonNode, { kind: 'string' }> {
    const start = this.pos;
    let hasEscape = false;

    for (;;) {
      const c = this.next();
      if (c === QUOTE) {
        break;
      }
      if (c < 0x20) {
        throw this.invalidCharacter(c, this.pos - 1, 'in string literal');
      }
      if (c === BACKSLASH) {
        hasEscape = true;
        this.readEscape();
      }
    }

    const content = this.input.subarray(start, this.pos - 1);
    const raw = Buffer.from(content).toString('latin1');
    return { kind: 'string', value: hasEscape ? unquoteEscaped(content) : decodeUtf8LikeGo(content), raw };
  }

  private readEscape(): void {
    const c = this.next();
    if ('"\\/bfnrt'.includes(String.fromCharCode(c))) {
      return;
    }
    if (c !== 0x75 /* u */) {
      throw this.invalidCharacter(c, this.pos - 1, 'in string escape code');
    }
    for (let i = 0; i < 4; i++) {
      const h = this.next();
      if (!isHexDigit(h)) {
        throw this.invalidCharacter(h, this.pos - 1, 'in \\u hexadecimal character escape');
      }
    }
  }

  /** Reads a number per the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private readNumber(start: number): JsonNode {
    this.pos = start;
    if (this.peekOrEof() === 0x2d) {
      this.pos++;
    }
    const first = this.next();
    if (!isDigit(first)) {
      throw this.invalidCharacter(first, this.pos - 1, 'in numeric literal');
    }
    if (first !== 0x30) {
      this.skipDigits();
    }
    if (this.peekOrEof() === 0x2e /* . */) {
      this.pos++;
      this.requireDigit('after decimal point in numeric literal');
    }
    const e = this.peekOrEof();
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.peekOrEof();
      if (sign === 0x2b || sign === 0x2d) {
        this.pos++;
      }
      this.requireDigit('in exponent of numeric literal');
    }
    const literal = Buffer.from(this.input.subarray(start, this.pos)).toString('latin1');
    return { kind: 'number', literal };
  }

  private requireDigit(context: string): void {
    const c = this.next();
    if (!isDigit(c)) {
      throw this.invalidCharacter(c, this.pos - 1, context);
    }
    this.skipDigits();
  }

  private skipDigits(): void {
    while (!this.atEnd() && isDigit(this.peek())) {
      this.pos++;
    }
  }

  private expectLiteral(rest: string, literal: string): void {
    for (const expected of rest) {
      const c = this.next();
      if (c !== expected.charCodeAt(0)) {
        throw this.invalidCharacter(c, this.pos - 1, `in literal ${literal} (expecting '${expected}')`);
      }
    }
  }

  /** Consumes one byte; the input ending here is Go's `unexpected EOF`. */
  private next(): number {
    if (this.atEnd()) {
      throw new GoJsonSyntaxError('unexpected EOF', this.pos);
    }
    const c = this.input[this.pos] as number;
    this.pos++;
    return c;
  }

  private peek(): number {
    return this.input[this.pos] as number;
  }

  private peekOrEof(): number {
    return this.atEnd() ? -1 : this.peek();
  }

  private invalidCharacter(c: number, offset: number, context: string): GoJsonSyntaxError {
    return new GoJsonSyntaxError(`invalid character ${quoteByte(c)} ${context}`, offset);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Formats a byte the way Go's scanner error messages do: `strconv.Quote` of the byte read as a
 * Latin-1 character, between single quotes (`'x'`, `'\''`, `'\x01'`, `'ï'`).
 */
function quoteByte(c: number): string {
  if (c === 0x27) {
    return "'\\''";
  }
  if (c === QUOTE) {
    return `'"'`;
  }
  const shortEscape = GO_SHORT_ESCAPES[c];
  if (shortEscape !== undefined) {
    return `'${shortEscape}'`;
  }
  if (c < 0x20 || c === 0x7f) {
    return `'\\x${c.toString(16).padStart(2, '0')}'`;
  }
  // U+0080–U+00A0 and the soft hyphen U+00AD are not printable for strconv.Quote.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) {
    return `'\\u${c.toString(16).padStart(4, '0')}'`;
  }
  return `'${String.fromCharCode(c)}'`;
}

const GO_SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x5c: '\\\\',
};

const REPLACEMENT = 0xfffd;

/**
 * Decodes one UTF-8 sequence at `i` with Go's `utf8.DecodeRune` rules: overlong forms, surrogates
 * and values above U+10FFFF are invalid, and an invalid sequence yields U+FFFD of width 1.
 */
export function decodeRuneLikeGo(bytes: Uint8Array, i: number): [codePoint: number, width: number] {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) {
    return [b0, 1];
  }

  let width: number;
  let low = 0x80;
  let high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    width = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    width = 3;
    low = b0 === 0xe0 ? 0xa0 : 0x80;
    high = b0 === 0xed ? 0x9f : 0xbf;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    width = 4;
    low = b0 === 0xf0 ? 0x90 : 0x80;
    high = b0 === 0xf4 ? 0x8f : 0xbf;
  } else {
    return [REPLACEMENT, 1];
  }

  const b1 = bytes[i + 1];
  if (b1 === undefined || b1 < low || b1 > high) {
    return [REPLACEMENT, 1];
  }
  let codePoint = (b0 & (0xff >> (width + 1))) * 64 + (b1 & 0x3f);
  for (let k = 2; k < width; k++) {
    const b = bytes[i + k];
    if (b === undefined || b < 0x80 || b > 0xbf) {
      return [REPLACEMENT, 1];
    }
    codePoint = codePoint * 64 + (b & 0x3f);
  }
  return [codePoint, width];
}

/** Decodes bytes as UTF-8, replacing each invalid byte with U+FFFD like Go's string conversion. */
export function decodeUtf8LikeGo(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const [codePoint, width] = decodeRuneLikeGo(bytes, i);
    out += String.fromCodePoint(codePoint);
    i += width;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

/**
 * Unquotes string content that the scanner validated. A `\u` surrogate pair combines; any other
 * surrogate escape becomes U+FFFD, as in Go's `unquote`.
 */
function unquoteEscaped(content: Uint8Array): string {
  let out = '';
  for (let i = 0; i < content.length; ) {
    const c = content[i] as number;
    if (c !== BACKSLASH) {
      const [codePoint, width] = decodeRuneLikeGo(content, i);
      out += String.fromCodePoint(codePoint);
      i += width;
      continue;
    }

    const escape = String.fromCharCode(content[i + 1] as number);
    if (escape !== 'u') {
      out += SIMPLE_ESCAPES[escape] ?? '';
      i += 2;
      continue;
    }

    const unit = readHex4(content, i + 2);
    const isHighSurrogate = unit >= 0xd800 && unit < 0xdc00;
    const nextUnit = content[i + 6] === BACKSLASH && content[i + 7] === 0x75 ? readHex4(content, i + 8) : -1;
    if (isHighSurrogate && nextUnit >= 0xdc00 && nextUnit < 0xe000) {
      out += String.fromCodePoint(0x10000 + (unit - 0xd800) * 0x400 + (nextUnit - 0xdc00));
      i += 12;
    } else {
      const isSurrogate = unit >= 0xd800 && unit < 0xe000;
      out += String.fromCodePoint(isSurrogate ? REPLACEMENT : unit);
      i += 6;
    }
  }
  return out;
}

function readHex4(bytes: Uint8Array, i: number): number {
  const text = Buffer.from(bytes.subarray(i, i + 4)).toString('latin1');
  return /^[0-9a-fA-F]{4}$/.test(text) ? Number.parseInt(text, 16) : -1;
}
