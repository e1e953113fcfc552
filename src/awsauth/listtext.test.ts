import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendEntryToList, InnerList, removeEntriesFromList, setEntryFields, type FieldChanges, type NewEntry } from './innerlist.js';
import { scanList } from './listtext.js';

/** Appends through the Document API only: the reference the text path must match byte for byte. */
function appendWithDocument(text: string | undefined, entry: NewEntry): string {
  const list = new InnerList(text);
  list.appendEntry(entry);
  return list.toString();
}

type Value = { kind: 'scalar'; source: string } | { kind: 'block'; items: string[] } | { kind: 'flow'; items: string[] };

interface Field {
  readonly key: string;
  readonly value: Value;
}

/** Scalars as written in the source, all inside the form scanList accepts. */
const USUAL_SCALARS = [
  'arn:aws:iam::111122223333:role/admin',
  'arn:aws:iam::111122223333:user/team/dev',
  'system:node:{{EC2PrivateDNSName}}',
  '"role-0:{{SessionName}}"',
  "'sso:{{SessionName}}'",
  'system:masters',
  'viewers',
  'true',
  '123',
  'null',
  'yes',
  '"true"',
  '"a #b: c"',
  "'plain quoted'",
  '""',
  'x.y/z=1+2(3)*,4',
];
/** Scalars outside the accepted form: spaces, comments, escapes, non-ASCII, anchors, tags and indicators. */
const ODD_SCALARS = [
  'two words',
  'value # comment',
  '"esc\\"aped"',
  '"tab\\there"',
  "'it''s'",
  'caf\u00e9',
  '&anchor value',
  '!!str tagged',
  '~',
  '-dash',
  '@at',
  'a:',
  '{flow: map}',
  '"unicode \u2603"',
  '=',
  '.5',
  '1:30',
  '2001-12-14',
  '(x)',
  'a,b',
  'x{{y}}',
  '$ref',
  '"multi\\nline"',
];
/** Flow sequence items that scanList accepts. */
const FLOW_ITEMS = ['system:masters', 'viewers', '"a, b"', "'c'", 'true', 'x.y'];
const KEYS = ['rolearn', 'userarn', 'username', 'groups', 'userid', 'extra_key', 'ticket-id', '"quoted"'];

function fieldArbitrary(scalars: readonly string[]): fc.Arbitrary<Field> {
  const scalar = fc.constantFrom(...scalars);
  const value: fc.Arbitrary<Value> = fc.oneof(
    scalar.map((source) => ({ kind: 'scalar' as const, source })),
    fc.array(scalar, { minLength: 1, maxLength: 3 }).map((items) => ({ kind: 'block' as const, items })),
    fc.array(fc.constantFrom(...FLOW_ITEMS), { maxLength: 3 }).map((items) => ({ kind: 'flow' as const, items })),
  );
  return fc.record({ key: fc.constantFrom(...KEYS), value });
}

/** Writes the entries as a list, with block sequence items at column `itemIndent`. */
function writeList(entries: readonly (readonly Field[])[], itemIndent: number): string {
  const lines: string[] = [];
  for (const entry of entries) {
    entry.forEach((field, index) => {
      const prefix = `${index === 0 ? '- ' : '  '}${field.key}:`;
      if (field.value.kind === 'scalar') lines.push(`${prefix} ${field.value.source}`);
      else if (field.value.kind === 'flow') lines.push(`${prefix} [${field.value.items.join(', ')}]`);
      else {
        lines.push(prefix);
        for (const item of field.value.items) lines.push(`${' '.repeat(itemIndent)}- ${item}`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

const entryArbitrary: fc.Arbitrary<NewEntry> = fc.record({
  arnField: fc.constantFrom('rolearn' as const, 'userarn' as const),
  arn: fc.constantFrom('arn:aws:iam::111122223333:role/new', 'arn:aws:iam::111122223333:user/new-user'),
  username: fc.constantFrom('new-user', 'new:{{SessionName}}', 'true', 'a b', '123', 'x#y'),
  groups: fc.array(fc.constantFrom('viewers', 'system:masters', 'null', '{{x}}', 'with space'), { maxLength: 3 }),
});

/** Lists in the usual form, with block sequence items at column 2 or 4 (the benchmark fixture uses 4). */
const usualList = fc.record({
  entries: fc.array(fc.array(fieldArbitrary(USUAL_SCALARS), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
  itemIndent: fc.constantFrom(2, 4),
});

describe('appendEntryToList', () => {
  it('takes the text path for usual lists', () => {
    fc.assert(
      fc.property(usualList, entryArbitrary, ({ entries, itemIndent }, entry) => {
        const text = writeList(entries, itemIndent);
        const appended = appendEntryToList(text, entry);
        expect(appended.fast).toBe(true);
        expect(appended.text).toBe(appendWithDocument(text, entry));
      }),
      { numRuns: 400 },
    );
  });

  it('matches the Document path on any list', () => {
    const anyList = fc.record({
      entries: fc.array(fc.array(fieldArbitrary([...USUAL_SCALARS, ...ODD_SCALARS]), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      itemIndent: fc.constantFrom(0, 2, 3, 4, 6),
      decoration: fc.constantFrom('', '# comment\n', '\n', '---\n', '  \n'),
      position: fc.nat(),
    });
    fc.assert(
      fc.property(anyList, entryArbitrary, ({ entries, itemIndent, decoration, position }, entry) => {
        const lines = writeList(entries, itemIndent).split('\n');
        lines.splice(position % lines.length, 0, decoration.replace(/\n$/, ''));
        const text = decoration === '' ? writeList(entries, itemIndent) : lines.join('\n');
        let expected: string;
        try {
          expected = appendWithDocument(text, entry);
        } catch {
          // The Document path rejects a list it cannot render; the text path must not accept it.
          expect(() => appendEntryToList(text, entry)).toThrow();
          return;
        }
        expect(appendEntryToList(text, entry).text).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('takes the text path for the benchmark shape', () => {
    const text = [
      '- rolearn: arn:aws:iam::111122223333:role/role-0',
      '  username: "role-0:{{SessionName}}"',
      '  groups:',
      '    - system:masters',
      '    - viewers',
      '- rolearn: arn:aws:iam::111122223333:role/role-1',
      '  username: role-1',
      '  groups:',
      '    - system:masters',
      '',
    ].join('\n');
    const entry: NewEntry = { arnField: 'rolearn', arn: 'arn:aws:iam::111122223333:role/new', username: 'new', groups: ['viewers'] };
    const appended = appendEntryToList(text, entry);
    expect(appended.fast).toBe(true);
    expect(appended.text).toBe(`${text}- rolearn: arn:aws:iam::111122223333:role/new\n  username: new\n  groups:\n    - viewers\n`);
  });

  it('uses flow groups after a flow list', () => {
    const text = '- groups: [system:masters]\n  rolearn: arn:aws:iam::111122223333:role/a\n  username: a\n';
    const entry: NewEntry = { arnField: 'rolearn', arn: 'arn:aws:iam::111122223333:role/b', username: 'b', groups: ['x', 'dev'] };
    const appended = appendEntryToList(text, entry);
    expect(appended.fast).toBe(true);
    expect(appended.text).toBe(`${text}- rolearn: arn:aws:iam::111122223333:role/b\n  username: b\n  groups: [x, dev]\n`);
  });

  it('falls back for a missing list', () => {
    const entry: NewEntry = { arnField: 'userarn', arn: 'arn:aws:iam::111122223333:user/u', username: 'u', groups: [] };
    const appended = appendEntryToList(undefined, entry);
    expect(appended.fast).toBe(false);
    expect(appended.text).toBe('- userarn: arn:aws:iam::111122223333:user/u\n  username: u\n');
  });
});

/** Sets fields through a Document of the whole list: the reference for setEntryFields. */
function setWithDocument(text: string, index: number, changes: FieldChanges): string {
  const list = new InnerList(text);
  if (changes.username !== undefined) list.setField(index, 'username', changes.username);
  if (changes.groups !== undefined) list.setField(index, 'groups', changes.groups);
  return list.toString();
}

const changesArbitrary: fc.Arbitrary<FieldChanges> = fc.record(
  {
    username: fc.constantFrom('new-name', 'n:{{SessionName}}', 'true', 'two words'),
    groups: fc.array(fc.constantFrom('viewers', 'system:masters', 'null', '{{x}}'), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('setEntryFields', () => {
  it('takes the text path for usual lists', () => {
    fc.assert(
      fc.property(usualList, fc.nat(), changesArbitrary, ({ entries, itemIndent }, position, changes) => {
        const text = writeList(entries, itemIndent);
        const index = position % entries.length;
        const edited = setEntryFields(text, index, changes);
        expect(edited.fast).toBe(true);
        expect(edited.text).toBe(setWithDocument(text, index, changes));
      }),
      { numRuns: 400 },
    );
  });

  it('matches the Document path on any list', () => {
    const anyList = fc.record({
      entries: fc.array(fc.array(fieldArbitrary([...USUAL_SCALARS, ...ODD_SCALARS]), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      itemIndent: fc.constantFrom(0, 2, 3, 4),
    });
    fc.assert(
      fc.property(anyList, fc.nat(), changesArbitrary, ({ entries, itemIndent }, position, changes) => {
        const text = writeList(entries, itemIndent);
        const index = position % entries.length;
        let expected: string;
        try {
          expected = setWithDocument(text, index, changes);
        } catch {
          expect(() => setEntryFields(text, index, changes)).toThrow();
          return;
        }
        expect(setEntryFields(text, index, changes).text).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('changes only the chosen entry', () => {
    const text = '- rolearn: a\n  username: a\n- rolearn: b\n  username: b\n  groups:\n    - x\n';
    const edited = setEntryFields(text, 1, { groups: ['dev', 'ops'] });
    expect(edited.fast).toBe(true);
    expect(edited.text).toBe('- rolearn: a\n  username: a\n- rolearn: b\n  username: b\n  groups:\n    - dev\n    - ops\n');
  });

  it('adds groups in flow style to a flow list', () => {
    const text = '- rolearn: a\n  username: a\n- rolearn: b\n  username: b\n  groups: [x]\n';
    expect(setEntryFields(text, 0, { groups: ['g'] }).text).toBe('- rolearn: a\n  username: a\n  groups: [g]\n- rolearn: b\n  username: b\n  groups: [x]\n');
  });
});

/** Removes entries through a Document of the whole list: the reference for removeEntriesFromList. */
function removeWithDocument(text: string, indices: readonly number[]): string {
  const list = new InnerList(text);
  list.remove(indices);
  return list.toString();
}

describe('removeEntriesFromList', () => {
  it('takes the text path for usual lists', () => {
    fc.assert(
      fc.property(usualList, fc.uniqueArray(fc.nat({ max: 4 }), { minLength: 1, maxLength: 3 }), ({ entries, itemIndent }, positions) => {
        fc.pre(positions.every((position) => position < entries.length) && positions.length < entries.length);
        const text = writeList(entries, itemIndent);
        const edited = removeEntriesFromList(text, positions);
        expect(edited.fast).toBe(true);
        expect(edited.text).toBe(removeWithDocument(text, positions));
      }),
      { numRuns: 400 },
    );
  });

  it('matches the Document path on any list', () => {
    const anyList = fc.record({
      entries: fc.array(fc.array(fieldArbitrary([...USUAL_SCALARS, ...ODD_SCALARS]), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      itemIndent: fc.constantFrom(0, 2, 3, 4),
    });
    fc.assert(
      fc.property(anyList, fc.uniqueArray(fc.nat({ max: 6 }), { minLength: 1, maxLength: 3 }), ({ entries, itemIndent }, positions) => {
        const text = writeList(entries, itemIndent);
        let expected: string;
        try {
          expected = removeWithDocument(text, positions);
        } catch {
          expect(() => removeEntriesFromList(text, positions)).toThrow();
          return;
        }
        expect(removeEntriesFromList(text, positions).text).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('falls back when every entry goes', () => {
    const edited = removeEntriesFromList('- rolearn: a\n  username: a\n', [0]);
    expect(edited.fast).toBe(false);
    expect(edited.text).toBe('[]\n');
  });
});

describe('scanList', () => {
  it.each([
    ['comment line', '- rolearn: a\n# note\n  username: b\n'],
    ['trailing comment', '- rolearn: a # note\n'],
    ['blank line', '- rolearn: a\n\n- rolearn: b\n'],
    ['no final line break', '- rolearn: a'],
    ['two final line breaks', '- rolearn: a\n\n'],
    ['key without items', '- groups:\n  username: b\n'],
    ['item without key', '- rolearn: a\n    - b\n'],
    ['scalar entry', '- 111122223333\n'],
    ['nested mapping', '- rolearn: a\n  extra:\n    x: y\n'],
    ['item at the wrong column', '- groups:\n   - a\n'],
    ['item ending in a colon', '- groups:\n    - a:\n'],
    ['escape in double quotes', '- username: "a\\nb"\n'],
    ['tab', '- username:\ta\n'],
    ['document start', '---\n- rolearn: a\n'],
    ['mixed item columns', '- groups:\n    - a\n- groups:\n  - b\n'],
  ])('rejects %s', (_name, text) => {
    expect(scanList(text, true)).toBeUndefined();
  });

  it('accepts block groups at the column of the layout', () => {
    expect(scanList('- groups:\n  - a\n  rolearn: r\n', false)).toEqual({ flowSequences: false, entryStarts: [0], flowEntries: [] });
    expect(scanList('- groups:\n    - a\n  rolearn: r\n- rolearn: s\n', true)).toEqual({ flowSequences: false, entryStarts: [0, 31], flowEntries: [] });
  });

  it('lists the entries with flow sequences', () => {
    expect(scanList('- rolearn: a\n- rolearn: b\n  groups: []\n  x: [c]\n', true)).toEqual({ flowSequences: true, entryStarts: [0, 13], flowEntries: [1] });
  });
});
