/**
 * Differential fuzzing of the aws-auth reader: parseAwsAuth with the fast YAML reader against a
 * second copy of parseAwsAuth whose fast reader always declines, so every text goes through the
 * `yaml` package. Both must return the same result for every input, and the fast reader must accept
 * the usual shapes.
 *
 * Each property runs KUBEIAM_FUZZ_RUNS inputs (default 500, so `npm test` stays fast). With 4
 * properties, this command runs 1 000 000 inputs:
 *
 *   KUBEIAM_FUZZ_RUNS=250000 npx vitest run test/hardening/fuzz-awsauth.test.ts
 *
 * It took 826 s under `nice -n 10` on a loaded 2-core container with Node 20.
 *
 * Set KUBEIAM_FUZZ_SEED to replay the seed a failure reports.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFastGoYaml } from '../../src/awsauth/fastyaml.js';
import { parseGoYamlFull } from '../../src/awsauth/goyaml.js';
import { commonDocument, commonList, mutated, unusualDocument, unusualList } from '../../src/awsauth/testkit.js';
import { DATA_KEYS, type ParsedAwsAuth } from '../../src/awsauth/types.js';

type ParseAwsAuth = (text: string, options: { sourceName: string }) => ParsedAwsAuth;

const RUNS = Number(process.env['KUBEIAM_FUZZ_RUNS'] ?? 500);
const SEED = process.env['KUBEIAM_FUZZ_SEED'] === undefined ? undefined : Number(process.env['KUBEIAM_FUZZ_SEED']);
const PARAMETERS: fc.Parameters<unknown> = SEED === undefined ? { numRuns: RUNS } : { numRuns: RUNS, seed: SEED };

// An input took about 1.1 ms through both readers on a loaded 2-core container (80,000 inputs in
// 90 s); 20 ms an input leaves room for slow machines.
const TIMEOUT_MS = Math.max(30_000, RUNS * 20);

let parseWithFastPath: ParseAwsAuth;
let parseWithoutFastPath: ParseAwsAuth;

beforeAll(async () => {
  parseWithFastPath = (await import('../../src/awsauth/parse.js')).parseAwsAuth;
  vi.resetModules();
  vi.doMock('../../src/awsauth/fastyaml.js', () => ({ parseFastGoYaml: () => undefined }));
  parseWithoutFastPath = (await import('../../src/awsauth/parse.js')).parseAwsAuth;
  const mockedFastReader = (await import('../../src/awsauth/fastyaml.js')).parseFastGoYaml;
  expect(mockedFastReader('a: b\n', 'document')).toBeUndefined();
  vi.doUnmock('../../src/awsauth/fastyaml.js');
});

/** Counts the texts the fast reader accepted, so a property whose inputs all decline can fail. */
class Tally {
  accepted = 0;
  total = 0;

  /** Parses the text both ways, checks that the results are equal and records whether the fast reader read the whole text. */
  check(text: string): void {
    const fast = parseWithFastPath(text, { sourceName: 'aws-auth.yaml' });
    const full = parseWithoutFastPath(text, { sourceName: 'aws-auth.yaml' });
    expect(fast).toStrictEqual(full);
    this.total++;
    if (readsFast(text, fast)) this.accepted++;
  }
}

/** Reports whether the fast reader reads the text and every data value that parseAwsAuth parsed. */
function readsFast(text: string, parsed: ParsedAwsAuth): boolean {
  if (parseFastGoYaml(text, 'document') === undefined) return false;
  return DATA_KEYS.every((key) => {
    const state = parsed.keys[key];
    if (state.status !== 'ok' && state.status !== 'broken') return true;
    return parseFastGoYaml(state.text ?? '', 'json-object') !== undefined;
  });
}

/** Wraps an inner list as the mapRoles value of a ConfigMap, so parseAwsAuth reads it. */
function asConfigMap(list: string): string {
  const indented = list
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\ndata:\n  mapRoles: |\n${indented}`;
}

describe('fuzz aws-auth reader', () => {
  it(
    'common documents load through the fast path',
    () => {
      const tally = new Tally();
      fc.assert(
        fc.property(commonDocument(), (text) => {
          tally.check(text);
          expect(parseFastGoYaml(text, 'document')).toStrictEqual(parseGoYamlFull(text, 'document'));
        }),
        PARAMETERS,
      );
      expect(tally.accepted).toBe(tally.total);
    },
    TIMEOUT_MS,
  );

  it(
    'unusual documents match',
    () => {
      const tally = new Tally();
      fc.assert(fc.property(unusualDocument(), (text) => tally.check(text)), PARAMETERS);
      expect(tally.accepted).toBeGreaterThan(0);
      expect(tally.accepted).toBeLessThan(tally.total);
    },
    TIMEOUT_MS,
  );

  it(
    'mutated documents match',
    () => {
      const tally = new Tally();
      fc.assert(fc.property(fc.oneof(mutated(commonDocument()), mutated(unusualDocument())), (text) => tally.check(text)), PARAMETERS);
      expect(tally.accepted).toBeGreaterThan(RUNS / 20);
      expect(tally.accepted).toBeLessThan(tally.total);
    },
    TIMEOUT_MS,
  );

  it(
    'mutated lists match',
    () => {
      const tally = new Tally();
      const lists = fc.oneof(commonList(), unusualList(), mutated(commonList()), mutated(unusualList()));
      fc.assert(fc.property(lists, (list) => tally.check(asConfigMap(list))), PARAMETERS);
      expect(tally.accepted).toBeGreaterThan(RUNS / 20);
    },
    TIMEOUT_MS,
  );
});
