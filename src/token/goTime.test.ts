import { describe, expect, it } from 'vitest';
import { formatGoUtc, GoTimeError, parseAmzDate, timeQuote } from './goTime.js';

const layoutError = (value: string, element: string, layout: string): string =>
  `parsing time "${value}" as "20060102T150405Z": cannot parse "${element}" as "${layout}"`;

describe('parseAmzDate', () => {
  it.each([
    ['20230428T000000Z', '2023-04-28T00:00:00.000Z', 0],
    ['19900422T010203Z', '1990-04-22T01:02:03.000Z', 0],
    ['20240229T235959Z', '2024-02-29T23:59:59.000Z', 0],
    ['20000229T120000Z', '2000-02-29T12:00:00.000Z', 0],
    ['20230428T000000.5Z', '2023-04-28T00:00:00.500Z', 500000000],
    ['20230428T000000,123456789123Z', '2023-04-28T00:00:00.123Z', 123456789],
  ])('parses %s', (input, iso, nanosecond) => {
    const date = parseAmzDate(input);
    expect(new Date(date.epochMs).toISOString()).toBe(iso);
    expect(date.nanosecond).toBe(nanosecond);
  });

  it('parses years before 100', () => {
    expect(new Date(parseAmzDate('00050101T000000Z').epochMs).getUTCFullYear()).toBe(5);
  });

  it.each([
    ['xxxxxxx', layoutError('xxxxxxx', 'xxxxxxx', '2006')],
    ['', layoutError('', '', '2006')],
    ['2023', layoutError('2023', '', '01')],
    ['202304', layoutError('202304', '', '02')],
    ['20230428', layoutError('20230428', '', 'T')],
    ['20230428X000000Z', layoutError('20230428X000000Z', 'X000000Z', 'T')],
    ['20230428T', layoutError('20230428T', '', '15')],
    ['20230428T00', layoutError('20230428T00', '', '04')],
    ['20230428T0000', layoutError('20230428T0000', '', '05')],
    ['20230428T000000', layoutError('20230428T000000', '', 'Z')],
    ['20230428T000000z', layoutError('20230428T000000z', 'z', 'Z')],
    ['20230428T00000xZ', layoutError('20230428T00000xZ', '0xZ', '05')],
    ['2023-04-28T000000Z', layoutError('2023-04-28T000000Z', '-04-28T000000Z', '01')],
    ['20231328T000000Z', 'parsing time "20231328T000000Z": month out of range'],
    ['20230028T000000Z', 'parsing time "20230028T000000Z": month out of range'],
    ['20230230T000000Z', 'parsing time "20230230T000000Z": day out of range'],
    ['20230229T000000Z', 'parsing time "20230229T000000Z": day out of range'],
    ['21000229T000000Z', 'parsing time "21000229T000000Z": day out of range'],
    ['20230400T000000Z', 'parsing time "20230400T000000Z": day out of range'],
    ['20230431T000000Z', 'parsing time "20230431T000000Z": day out of range'],
    ['20230428T90405Z', 'parsing time "20230428T90405Z": hour out of range'],
    ['20230428T9x0405Z', layoutError('20230428T9x0405Z', 'x0405Z', '04')],
    ['20230428T240000Z', 'parsing time "20230428T240000Z": hour out of range'],
    ['20230428T006000Z', 'parsing time "20230428T006000Z": minute out of range'],
    ['20230428T000060Z', 'parsing time "20230428T000060Z": second out of range'],
    ['20230428T000000Zabc', 'parsing time "20230428T000000Zabc": extra text: "abc"'],
    ['20230428T000000Z ', 'parsing time "20230428T000000Z ": extra text: " "'],
    [Buffer.from('2023é428T000000Z', 'utf8').toString('latin1'), layoutError('2023\\xc3\\xa9428T000000Z', '\\xc3\\xa9428T000000Z', '01')],
  ])('rejects %j', (input, message) => {
    expect(() => parseAmzDate(input)).toThrow(GoTimeError);
    expect(() => parseAmzDate(input)).toThrow(message);
  });
});

describe('timeQuote', () => {
  it('escapes quotes and backslashes', () => {
    expect(timeQuote('a"b\\')).toBe('"a\\"b\\\\"');
  });

  it('escapes each non-ASCII byte', () => {
    expect(timeQuote(Buffer.from('é\n', 'utf8').toString('latin1'))).toBe('"\\xc3\\xa9\\x0a"');
    expect(timeQuote('\xff')).toBe('"\\xff"');
  });
});

describe('formatGoUtc', () => {
  it.each([
    ['19900422T010203Z', '1990-04-22 01:02:03 +0000 UTC'],
    ['00050101T000000Z', '0005-01-01 00:00:00 +0000 UTC'],
    ['20230428T000000.5Z', '2023-04-28 00:00:00.5 +0000 UTC'],
    ['20230428T000000.000001Z', '2023-04-28 00:00:00.000001 +0000 UTC'],
  ])('formats %s', (input, expected) => {
    expect(formatGoUtc(parseAmzDate(input))).toBe(expected);
  });
});
