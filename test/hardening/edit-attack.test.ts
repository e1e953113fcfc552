/**
 * Crafted aws-auth documents for grant and revoke. Each edit must write the bytes that the Document
 * path (the whole list as a yaml Document, the whole file as a syntax tree) writes, or throw, and the
 * result must mean the old document plus the one intended change.
 */
import { describe, expect, it } from 'vitest';
import { writeDataValue } from '../../src/awsauth/document.js';
import { addRole, removeRole, type EditResult } from '../../src/awsauth/edit.js';
import { InnerList } from '../../src/awsauth/innerlist.js';
import { expectedMeaning, meaningOf } from '../../src/awsauth/meaning.js';
import { parseAwsAuth } from '../../src/awsauth/parse.js';
import { KubeiamError } from '../../src/errors.js';

const ARN_A = 'arn:aws:iam::111122223333:role/a';
const ARN_B = 'arn:aws:iam::111122223333:role/b';
const ARN_NEW = 'arn:aws:iam::111122223333:role/new';

const META = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\n';
const HEAD = `${META}data:\n`;
const ENTRY_A = `    - rolearn: ${ARN_A}\n      username: a\n      groups:\n        - system:masters\n`;
const ENTRY_B = `    - rolearn: ${ARN_B}\n      username: b\n      groups:\n        - viewers\n`;
const USERS = '  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/u\n      username: u\n';

const DOCUMENTS: readonly (readonly [string, string])[] = [
  ['usual', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}${USERS}`],
  ['CRLF', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}${USERS}`.replaceAll('\n', '\r\n')],
  ['no trailing newline', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}`.slice(0, -1)],
  ['strip header', `${HEAD}  mapRoles: |-\n${ENTRY_A}${ENTRY_B}${USERS}`],
  ['keep header', `${HEAD}  mapRoles: |+\n${ENTRY_A}${ENTRY_B}\n\n${USERS}`],
  ['trailing blank lines', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}\n\n${USERS}`],
  ['comment between entries', `${HEAD}  mapRoles: |\n${ENTRY_A}    # team b\n${ENTRY_B}${USERS}`],
  ['comment after body', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}  # users\n${USERS}`],
  ['comment at column 0 after body', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}# users\n${USERS}`],
  ['sso entry', `${HEAD}  mapRoles: |\n${ENTRY_A}    - sso:\n        permissionSetName: Admin\n        accountID: "111122223333"\n      username: s\n${ENTRY_B}`],
  ['extra field', `${HEAD}  mapRoles: |\n${ENTRY_A.replace('      username: a\n', '      username: a\n      extra: x\n')}${ENTRY_B}`],
  ['quoted ARNs', `${HEAD}  mapRoles: |\n    - rolearn: "${ARN_A}"\n      username: 'a'\n      groups: ["system:masters"]\n${ENTRY_B}`],
  ['duplicate entries', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}${ENTRY_A.replace('username: a', 'username: a2')}`],
  ['upper-case duplicate', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}${ENTRY_A.replace('role/a', 'role/A')}`],
  ['mixed indentation', `${HEAD}  mapRoles: |\n${ENTRY_A}    - rolearn: ${ARN_B}\n      username: b\n      groups:\n      - viewers\n`],
  ['deeper body', `${HEAD}  mapRoles: |\n${ENTRY_A.replaceAll('\n    ', '\n      ').replace(/^    /, '      ')}`],
  ['body deeper after first', `${HEAD}  mapRoles: |\n${ENTRY_A}      # deeper comment\n${ENTRY_B}`],
  ['second document', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}---\n${HEAD}  mapRoles: |\n${ENTRY_A}`],
  ['leading document marker', `---\n${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}`],
  ['document end marker', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}...\n`],
  ['BOM', `\ufeff${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B}${USERS}`],
  ['bare data map', `mapRoles: |\n${ENTRY_A.replaceAll(/^  /gm, '')}${ENTRY_B.replaceAll(/^  /gm, '')}`],
  ['data key in annotation', `${HEAD.replace('metadata:\n', 'metadata:\n  annotations:\n    mapRoles: |\n      x\n')}  mapRoles: |\n${ENTRY_A}${ENTRY_B}`],
  ['metadata after data', `data:\n  mapRoles: |\n${ENTRY_A}${ENTRY_B}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\n`],
  ['duplicate data key', `${HEAD}  mapRoles: |\n${ENTRY_B}data:\n    mapRoles: |\n${ENTRY_A.replaceAll(/^(?=.)/gm, '  ')}${ENTRY_B.replaceAll(/^(?=.)/gm, '  ')}`],
  ['duplicate data key with CRLF', `${HEAD}  mapRoles: |\n${ENTRY_B}data:\n  mapRoles: |\n${ENTRY_A}${ENTRY_B}`.replaceAll('\n', '\r\n')],
  ['duplicate mapRoles key', `${HEAD}  mapRoles: |\n${ENTRY_B}  mapRoles: |\n${ENTRY_A}${ENTRY_B}`],
  ['header comment', `${HEAD}  mapRoles: | # roles\n${ENTRY_A}${ENTRY_B}`],
  ['header indentation indicator', `${HEAD}  mapRoles: |2\n${ENTRY_A}${ENTRY_B}`],
  ['header trailing space', `${HEAD}  mapRoles: | \n${ENTRY_A}${ENTRY_B}`],
  ['tab in body', `${HEAD}  mapRoles: |\n${ENTRY_A}${ENTRY_B.replace('username: b', 'username:\tb')}`],
  ['trailing spaces in body', `${HEAD}  mapRoles: |\n${ENTRY_A.replace('username: a', 'username: a  ')}${ENTRY_B}`],
  ['flow groups', `${HEAD}  mapRoles: |\n    - rolearn: ${ARN_A}\n      username: a\n      groups: [system:masters]\n${ENTRY_B}`],
  ['groups empty flow', `${HEAD}  mapRoles: |\n    - rolearn: ${ARN_A}\n      username: a\n      groups: []\n${ENTRY_B}`],
  ['quoted data key', `${HEAD}  "mapRoles": |\n${ENTRY_A}${ENTRY_B}`],
  ['plain multi-line value', `${HEAD}  mapRoles: "- rolearn: ${ARN_A}\\n  username: a\\n- rolearn: ${ARN_B}\\n  username: b\\n"\n`],
  ['flow data map', `${META}data: {mapRoles: "- rolearn: ${ARN_A}\\n  username: a\\n- rolearn: ${ARN_B}\\n  username: b\\n"}\n`],
  ['JSON', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles: `- rolearn: ${ARN_A}\n  username: a\n- rolearn: ${ARN_B}\n  username: b\n` } }, null, 2) + '\n'],
  ['JSON duplicate data keys', `{"data": {"mapRoles": "- rolearn: ${ARN_B}\\n  username: b\\n", "mapRoles": "- rolearn: ${ARN_A}\\n  username: a\\n- rolearn: ${ARN_B}\\n  username: b\\n"}}\n`],
  ['mapRoles empty list', `${HEAD}  mapRoles: |\n    []\n  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/u\n      username: u\n`],
  ['entry with only arn', `${HEAD}  mapRoles: |\n    - rolearn: ${ARN_A}\n${ENTRY_B}`],
  ['upper-case field names', `${HEAD}  mapRoles: |\n    - RoleArn: ${ARN_A}\n      UserName: a\n      Groups:\n        - system:masters\n${ENTRY_B}`],
  ['duplicate field', `${HEAD}  mapRoles: |\n    - rolearn: ${ARN_A}\n      username: a\n      username: a1\n${ENTRY_B}`],
  ['mixed-case duplicate field', `${HEAD}  mapRoles: |\n    - rolearn: ${ARN_A}\n      username: a\n      Username: a1\n${ENTRY_B}`],
  ['rejected entry', `${HEAD}  mapRoles: |\n    - username: orphan\n${ENTRY_A}${ENTRY_B}`],
  ['scalar entry', `${HEAD}  mapRoles: |\n    - just-a-string\n${ENTRY_A}${ENTRY_B}`],
  ['entry with userid', `${HEAD}  mapRoles: |\n    - rolearn: ${ARN_A}\n      username: a\n      userid: AROA1\n${ENTRY_B}`],
];

/** Grants or revokes through the Document API of the whole list and the syntax tree of the whole file. */
function editWithDocument(text: string, edit: Edit): string | undefined {
  const parsed = parseAwsAuth(text, { sourceName: 'aws-auth' });
  const list = new InnerList(parsed.keys.mapRoles.text);
  const winner = [...parsed.roles].reverse().find((entry) => entry.mapping.sso === undefined && entry.mapping.rolearn.toLowerCase() === edit.arn.toLowerCase());
  if (edit.kind === 'revoke') {
    const indices = parsed.roles.filter((entry) => entry.mapping.sso === undefined && entry.mapping.rolearn.toLowerCase() === edit.arn.toLowerCase()).map((entry) => entry.origin.index);
    if (indices.length === 0) return undefined;
    list.remove(indices);
  } else if (winner === undefined) {
    list.appendEntry({ arnField: 'rolearn', arn: edit.arn, username: edit.username, groups: edit.groups });
  } else {
    if (winner.mapping.username !== edit.username) list.setField(winner.origin.index, 'username', edit.username);
    if (winner.mapping.groups.join('\n') !== edit.groups.join('\n')) list.setField(winner.origin.index, 'groups', edit.groups);
  }
  return writeDataValue(text, parsed, 'mapRoles', list.toString(), { splice: false });
}

interface Edit {
  readonly kind: 'grant' | 'revoke';
  readonly arn: string;
  readonly username: string;
  readonly groups: readonly string[];
}

const EDITS: readonly (readonly [string, Edit])[] = [
  ['grant new', { kind: 'grant', arn: ARN_NEW, username: 'n', groups: ['viewers'] }],
  ['grant update username', { kind: 'grant', arn: ARN_A, username: 'a9', groups: ['system:masters'] }],
  ['grant update groups', { kind: 'grant', arn: ARN_B, username: 'b', groups: ['viewers', 'editors'] }],
  ['revoke first', { kind: 'revoke', arn: ARN_A, username: '', groups: [] }],
  ['revoke second', { kind: 'revoke', arn: ARN_B, username: '', groups: [] }],
];

function run(text: string, edit: Edit): EditResult {
  return edit.kind === 'grant' ? addRole(text, { rolearn: edit.arn, username: edit.username, groups: edit.groups }) : removeRole(text, edit.arn);
}

const CASES = DOCUMENTS.flatMap(([documentName, text]) => EDITS.map(([editName, edit]) => [`${documentName}: ${editName}`, text, edit] as const));

/** Documents that every edit rejects. The others must take each edit, or report a missing entry for a revoke. */
const REJECTED_DOCUMENTS = ['second document:', 'JSON duplicate data keys:', 'duplicate mapRoles key:'];

describe('grant and revoke on crafted documents', () => {
  it.each(CASES)('%s', (name, text, edit) => {
    let result: EditResult;
    try {
      result = run(text, edit);
    } catch (error) {
      expect(error).toBeInstanceOf(KubeiamError);
      const code = (error as KubeiamError).code;
      if (REJECTED_DOCUMENTS.some((prefix) => name.startsWith(prefix))) expect(code).toBe('EDIT_DOCUMENT_INVALID');
      else expect(code).toBe('ENTRY_NOT_FOUND');
      return;
    }
    const before = parseAwsAuth(text, { sourceName: 'aws-auth' });
    const after = parseAwsAuth(result.text, { sourceName: 'aws-auth' });
    if (!result.changed) {
      expect(result.text).toBe(text);
      return;
    }
    const change =
      edit.kind === 'revoke'
        ? { name: `mapRoles ${edit.arn.toLowerCase()}`, meaning: undefined }
        : { name: `mapRoles ${edit.arn.toLowerCase()}`, meaning: JSON.stringify([after.roles.filter((role) => role.mapping.rolearn.toLowerCase() === edit.arn.toLowerCase()).at(-1)?.mapping.rolearn, null, edit.username, edit.groups, after.roles.filter((role) => role.mapping.rolearn.toLowerCase() === edit.arn.toLowerCase()).at(-1)?.mapping.userid ?? '']) };
    expect(Object.fromEntries(meaningOf(after))).toStrictEqual(Object.fromEntries(expectedMeaning(before, change)));
    let reference: string | undefined;
    try {
      reference = editWithDocument(text, edit);
    } catch {
      reference = undefined;
    }
    expect(result.text).toBe(reference);
  });
});

describe('grant on a file of several documents', () => {
  it('rejects with EDIT_DOCUMENT_INVALID', () => {
    const text = `${HEAD}  mapRoles: |\n${ENTRY_A}---\n${META}`;
    let caught: unknown;
    try {
      addRole(text, { rolearn: ARN_NEW, username: 'n', groups: [] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KubeiamError);
    expect((caught as KubeiamError).code).toBe('EDIT_DOCUMENT_INVALID');
    expect((caught as KubeiamError).message).toContain('more than one YAML document');
  });
});
