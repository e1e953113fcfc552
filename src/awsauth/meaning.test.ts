import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRole, describeUser, expectedMeaning, meaningOf, meansChangeOnly, type IntendedChange } from './meaning.js';
import { parseAwsAuth } from './parse.js';
import { configMapYaml } from './testing.js';

interface Entry {
  readonly kind: 'role' | 'user';
  readonly name: string;
  readonly username: string;
  readonly groups: readonly string[];
}

const ACCOUNTS = ['111122223333', '444455556666'];

/** Entries from a small pool, so documents share ARNs and repeat them in both cases, with paths and empty usernames. */
const entryArbitrary: fc.Arbitrary<Entry> = fc.record({
  kind: fc.constantFrom('role' as const, 'user' as const),
  name: fc.constantFrom('a', 'A', 'b', 'c', 'path/x'),
  username: fc.constantFrom('alice', 'bob', ''),
  groups: fc.uniqueArray(fc.constantFrom('viewers', 'system:masters'), { maxLength: 2 }),
});

function arnOf(entry: Entry): string {
  return `arn:aws:iam::111122223333:${entry.kind}/${entry.name}`;
}

function writeDocument(entries: readonly Entry[], accounts: readonly string[]): string {
  const list = (kind: Entry['kind']) =>
    entries
      .filter((entry) => entry.kind === kind)
      .map((entry) => `- ${kind}arn: ${arnOf(entry)}\n  username: "${entry.username}"\n  groups: [${entry.groups.join(', ')}]\n`)
      .join('');
  return configMapYaml({ mapRoles: list('role') || '[]', mapUsers: list('user') || '[]', mapAccounts: accounts.map((account) => `- "${account}"\n`).join('') || '[]' });
}

function parse(text: string) {
  return parseAwsAuth(text, { sourceName: 'meaning-test' });
}

/** Returns the change that adding or changing only `entry` intends. */
function changeFor(entry: Entry): IntendedChange {
  const arn = arnOf(entry);
  return entry.kind === 'role'
    ? { name: `mapRoles ${arn.toLowerCase()}`, meaning: describeRole({ rolearn: arn, username: entry.username, groups: entry.groups }) }
    : { name: `mapUsers ${arn.toLowerCase()}`, meaning: describeUser({ userarn: arn, username: entry.username, groups: entry.groups }) };
}

/** Reports whether the full comparison (the one verifyEdit runs) finds no difference. */
function sameAsExpected(before: string, after: string, change: IntendedChange): boolean {
  const expected = expectedMeaning(parse(before), change);
  const actual = meaningOf(parse(after));
  return expected.size === actual.size && [...expected].every(([name, meaning]) => actual.get(name) === meaning);
}

const changeArbitrary: fc.Arbitrary<IntendedChange> = fc.oneof(
  entryArbitrary.map(changeFor),
  entryArbitrary.map((entry) => ({ name: changeFor(entry).name, meaning: undefined })),
  fc.constantFrom(...ACCOUNTS).chain((account) => fc.constantFrom<IntendedChange>({ name: `mapAccounts ${account}`, meaning: 'allowed' }, { name: `mapAccounts ${account}`, meaning: undefined })),
);

describe('meansChangeOnly', () => {
  it('agrees with the full comparison on related documents', () => {
    const documents = fc.record({
      entries: fc.array(entryArbitrary, { maxLength: 6 }),
      accounts: fc.subarray(ACCOUNTS),
      edit: fc.oneof(
        entryArbitrary.map((entry) => ({ add: entry })),
        fc.nat().map((position) => ({ drop: position })),
        fc.constant({}),
      ),
    });
    fc.assert(
      fc.property(documents, changeArbitrary, fc.boolean(), ({ entries, accounts, edit }, randomChange, useRandom) => {
        let afterEntries = entries;
        let change = randomChange;
        if ('add' in edit && edit.add !== undefined) {
          afterEntries = [...entries, edit.add];
          if (!useRandom) change = changeFor(edit.add);
        } else if ('drop' in edit && edit.drop !== undefined && entries.length > 0) {
          const dropped = entries[edit.drop % entries.length] as Entry;
          afterEntries = entries.filter((entry) => entry !== dropped);
          if (!useRandom) change = { name: changeFor(dropped).name, meaning: undefined };
        }
        const before = writeDocument(entries, accounts);
        const after = writeDocument(afterEntries, accounts);
        expect(meansChangeOnly(parse(before), parse(after), change)).toBe(sameAsExpected(before, after, change));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the full comparison on account changes', () => {
    fc.assert(
      fc.property(fc.subarray(ACCOUNTS), fc.subarray(ACCOUNTS), changeArbitrary, (beforeAccounts, afterAccounts, change) => {
        const before = writeDocument([], beforeAccounts);
        const after = writeDocument([], afterAccounts);
        expect(meansChangeOnly(parse(before), parse(after), change)).toBe(sameAsExpected(before, after, change));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts an added entry', () => {
    const entry: Entry = { kind: 'user', name: 'c', username: 'carol', groups: ['viewers'] };
    const before = writeDocument([{ kind: 'role', name: 'a', username: 'alice', groups: [] }], []);
    const after = writeDocument([{ kind: 'role', name: 'a', username: 'alice', groups: [] }, entry], []);
    expect(meansChangeOnly(parse(before), parse(after), changeFor(entry))).toBe(true);
  });

  it('rejects a second changed entry', () => {
    const before = writeDocument([{ kind: 'role', name: 'a', username: 'alice', groups: [] }], []);
    const entry: Entry = { kind: 'user', name: 'c', username: 'carol', groups: [] };
    const after = writeDocument([{ kind: 'role', name: 'a', username: 'mallory', groups: [] }, entry], []);
    expect(meansChangeOnly(parse(before), parse(after), changeFor(entry))).toBe(false);
  });

  it('rejects a change it cannot name', () => {
    const text = writeDocument([], []);
    expect(meansChangeOnly(parse(text), parse(text), { name: 'ignored keys', meaning: '' })).toBe(false);
  });
});
