/**
 * Go's `time.Parse` for the single layout `20060102T150405Z`, with Go's error texts, and Go's
 * `Time.String` for UTC times. Date.parse is too lenient (and locale-free parsing differs by
 * engine), so the layout is parsed by hand.
 */
import { X_AMZ_DATE_LAYOUT } from './constants.js';

/** An instant parsed from X-Amz-Date, in UTC. */
export interface AmzDate {
  /** Milliseconds since the Unix epoch, sub-millisecond part dropped. */
  readonly epochMs: number;
  /** Fractional second in nanoseconds (Go accepts `.123` after the seconds although the layout has none). */
  readonly nanosecond: number;
}

export class GoTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTimeError';
  }
}

interface Cursor {
  readonly original: string;
  rest: string;
}

/**
 * Parses an X-Amz-Date value like Go's `time.Parse("20060102T150405Z", value)`. A fractional second
 * after the seconds (`.5`, `,123`) is accepted, because Go's parser allows it. `value` is a byte
 * string (one character per byte) because Go parses bytes. ASCII text is its own byte string.
 */
export function parseAmzDate(value: string): AmzDate {
  const cursor: Cursor = { original: value, rest: value };
  const year = readYear(cursor);
  const month = readNumber(cursor, '01', true, 1, 12, 'month');
  const day = readNumber(cursor, '02', true, 0, 99, '');
  skipLiteral(cursor, 'T');
  const hour = readNumber(cursor, '15', false, 0, 23, 'hour');
  const minute = readNumber(cursor, '04', true, 0, 59, 'minute');
  const second = readNumber(cursor, '05', true, 0, 59, 'second');
  const nanosecond = readFraction(cursor);
  skipLiteral(cursor, 'Z');

  if (cursor.rest !== '') {
    throw new GoTimeError(`parsing time ${timeQuote(value)}: extra text: ${timeQuote(cursor.rest)}`);
  }
  if (day < 1 || day > daysInMonth(month, year)) {
    throw new GoTimeError(`parsing time ${timeQuote(value)}: day out of range`);
  }

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Math.floor(nanosecond / 1e6));
  return { epochMs: date.getTime(), nanosecond };
}

function cannotParse(cursor: Cursor, valueElement: string, layoutElement: string): GoTimeError {
  return new GoTimeError(
    `parsing time ${timeQuote(cursor.original)} as ${timeQuote(X_AMZ_DATE_LAYOUT)}: ` +
      `cannot parse ${timeQuote(valueElement)} as ${timeQuote(layoutElement)}`,
  );
}

function isDigit(text: string, index: number): boolean {
  const char = text[index];
  return char !== undefined && char >= '0' && char <= '9';
}

function readYear(cursor: Cursor): number {
  const text = cursor.rest;
  if (text.length < 4 || !isDigit(text, 0) || !/^[0-9]{4}$/.test(text.slice(0, 4))) {
    throw cannotParse(cursor, text, '2006');
  }
  cursor.rest = text.slice(4);
  return Number(text.slice(0, 4));
}

/**
 * Reads one or two digits like Go's `getnum` (two are required when `fixed`), then range-checks the
 * value. An empty `rangeName` skips the check (days are checked against the month at the end).
 */
function readNumber(
  cursor: Cursor,
  layoutElement: string,
  fixed: boolean,
  min: number,
  max: number,
  rangeName: string,
): number {
  const text = cursor.rest;
  const width = isDigit(text, 1) ? 2 : 1;
  if (!isDigit(text, 0) || (fixed && width === 1)) throw cannotParse(cursor, text, layoutElement);

  const value = Number(text.slice(0, width));
  cursor.rest = text.slice(width);
  if (rangeName !== '' && (value < min || value > max)) {
    throw new GoTimeError(`parsing time ${timeQuote(cursor.original)}: ${rangeName} out of range`);
  }
  return value;
}

/** Reads `.ddd` or `,ddd` after the seconds; Go keeps up to nine digits as nanoseconds. */
function readFraction(cursor: Cursor): number {
  const text = cursor.rest;
  if (text.length < 2 || (text[0] !== '.' && text[0] !== ',') || !isDigit(text, 1)) return 0;

  let end = 2;
  while (isDigit(text, end)) end++;
  const digits = text.slice(1, Math.min(end, 10));
  cursor.rest = text.slice(end);
  return Number(digits) * 10 ** (9 - digits.length);
}

function skipLiteral(cursor: Cursor, literal: string): void {
  if (!cursor.rest.startsWith(literal)) throw cannotParse(cursor, cursor.rest, literal);
  cursor.rest = cursor.rest.slice(literal.length);
}

function daysInMonth(month: number, year: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * Quotes a byte string (one character per byte) like the time package's own `quote`: `"` and `\`
 * escaped, and each byte of a non-ASCII or control character written as `\xNN`.
 */
export function timeQuote(raw: string): string {
  let out = '"';
  for (const char of raw) {
    const code = char.charCodeAt(0);
    if (code >= 0x80 || code < 0x20) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += char === '"' || char === '\\' ? `\\${char}` : char;
    }
  }
  return `${out}"`;
}

/** Formats an instant like Go's `Time.String` for a UTC time: `1990-04-22 01:02:03 +0000 UTC`. */
export function formatGoUtc(date: AmzDate): string {
  const instant = new Date(date.epochMs);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const day = `${pad(instant.getUTCFullYear(), 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}`;
  const time = `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}`;
  const fraction = date.nanosecond === 0 ? '' : `.${pad(date.nanosecond, 9).replace(/0+$/, '')}`;
  return `${day} ${time}${fraction} +0000 UTC`;
}
