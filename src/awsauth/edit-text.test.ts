import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeDataValue } from './document.js';
import { addRole, addUser, removeRole, removeUser } from './edit.js';
import { InnerList } from './innerlist.js';
import { parseAwsAuth } from './parse.js';
import { configMapYaml } from './testing.js';
import type { RoleEntry, UserEntry } from './types.js';

const ACCOUNT = '111122223333';

interface Mapped {
  readonly name: string;
  readonly username: string;
  readonly groups: readonly string[];
}

/** Writes a mapRoles or mapUsers list in the usual block form, groups under each entry. */
function writeEntries(field: 'rolearn' | 'userarn', entries: readonly Mapped[], itemIndent: number): string {
  const kind = field === 'rolearn' ? 'role' : 'user';
  const lines = entries.flatMap((entry) => [
    `- ${field}: arn:aws:iam::${ACCOUNT}:${kind}/${entry.name}`,
    `  username: ${entry.username.includes('{{') ? `"${entry.username}"` : entry.username}`,
    ...(entry.groups.length === 0 ? [] : ['  groups:', ...entry.groups.map((group) => `${' '.repeat(itemIndent)}- ${group}`)]),
  ]);
  return `${lines.join('\n')}\n`;
}

/**
 * Grants through the Document API of the whole list and the syntax tree of the whole document:
 * the output the text paths must reproduce byte for byte.
 */
function grantWithDocument(text: string, key: 'mapRoles' | 'mapUsers', grant: Mapped & { readonly arn: string }): string {
  const parsed = parseAwsAuth(text, { sourceName: 'reference' });
  const list = new InnerList(parsed.keys[key].text);
  const entries: readonly (RoleEntry | UserEntry)[] = key === 'mapRoles' ? parsed.roles : parsed.users;
  const existing = entries.filter((entry) => ('rolearn' in entry.mapping ? entry.mapping.rolearn : entry.mapping.userarn) === grant.arn).at(-1);
  if (existing === undefined) {
    list.appendEntry({ arnField: key === 'mapRoles' ? 'rolearn' : 'userarn', arn: grant.arn, username: grant.username, groups: grant.groups });
  } else {
    if (existing.mapping.username !== grant.username) list.setField(existing.origin.index, 'username', grant.username);
    if (existing.mapping.groups.join('\n') !== grant.groups.join('\n')) list.setField(existing.origin.index, 'groups', grant.groups);
  }
  return writeDataValue(text, parsed, key, list.toString(), { splice: false });
}

const mapped: fc.Arbitrary<Mapped> = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  username: fc.constantFrom('alice', 'bob:{{SessionName}}', 'system:node:{{EC2PrivateDNSName}}'),
  groups: fc.uniqueArray(fc.constantFrom('viewers', 'system:masters', 'developers'), { maxLength: 2 }),
});

describe('grant on usual documents', () => {
  it('writes what the Document path writes', () => {
    fc.assert(
      fc.property(
        fc.array(mapped, { minLength: 1, maxLength: 6 }),
        fc.array(mapped, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(2, 4),
        fc.boolean(),
        mapped.filter((grant) => grant.groups.length > 0),
        (roles, users, itemIndent, toRoles, grant) => {
          const text = configMapYaml({ mapRoles: writeEntries('rolearn', roles, itemIndent), mapUsers: writeEntries('userarn', users, itemIndent) });
          const key = toRoles ? 'mapRoles' : 'mapUsers';
          // IAM users have no session, so their usernames take no template.
          const username = toRoles || !grant.username.includes('{{') ? grant.username : 'plain-user';
          const arn = `arn:aws:iam::${ACCOUNT}:${toRoles ? 'role' : 'user'}/${grant.name}`;
          const result = toRoles
            ? addRole(text, { rolearn: arn, username, groups: grant.groups })
            : addUser(text, { userarn: arn, username, groups: grant.groups });
          expect(result.text).toBe(result.changed ? grantWithDocument(text, key, { ...grant, username, arn }) : text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('revoke on usual documents', () => {
  it('writes what the Document path writes', () => {
    fc.assert(
      fc.property(fc.array(mapped, { minLength: 2, maxLength: 6 }), fc.constantFrom(2, 4), fc.boolean(), fc.nat(), (entries, itemIndent, fromRoles, position) => {
        const key = fromRoles ? 'mapRoles' : 'mapUsers';
        const text = configMapYaml({ [key]: writeEntries(fromRoles ? 'rolearn' : 'userarn', entries, itemIndent) });
        const name = (entries[position % entries.length] as Mapped).name;
        fc.pre(entries.some((entry) => entry.name !== name));
        const arn = `arn:aws:iam::${ACCOUNT}:${fromRoles ? 'role' : 'user'}/${name}`;

        const parsed = parseAwsAuth(text, { sourceName: 'reference' });
        const list = new InnerList(parsed.keys[key].text);
        list.remove(entries.flatMap((entry, index) => (entry.name === name ? [index] : [])));
        const expected = writeDataValue(text, parsed, key, list.toString(), { splice: false });
        expect((fromRoles ? removeRole(text, arn) : removeUser(text, arn)).text).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
