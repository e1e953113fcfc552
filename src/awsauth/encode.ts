import type { RoleMapping, UserMapping } from '../mapping/types.js';
import { goYamlScalar } from './quote.js';

function field(name: string, value: string, indent: string): string {
  return `${indent}${name}: ${goYamlScalar(value)}\n`;
}

function groupLines(groups: readonly string[], indent: string): string {
  if (groups.length === 0) return `${indent}groups: []\n`;
  return `${indent}groups:\n${groups.map((group) => `${indent}- ${goYamlScalar(group)}\n`).join('')}`;
}

/** Writes the fields of one list item; the first line gets the `- ` marker. */
function item(lines: string): string {
  return `- ${lines.slice(2)}`;
}

function encodeRole(role: RoleMapping): string {
  let lines = '';
  if (role.rolearn !== '') lines += field('rolearn', role.rolearn, '  ');
  if (role.sso !== undefined) {
    lines += '  sso:\n';
    lines += field('permissionSetName', role.sso.permissionSetName, '    ');
    lines += field('accountID', role.sso.accountID, '    ');
    if (role.sso.partition !== '') lines += field('partition', role.sso.partition, '    ');
  }
  lines += field('username', role.username, '  ');
  lines += groupLines(role.groups, '  ');
  if (role.userid !== undefined && role.userid !== '') lines += field('userid', role.userid, '  ');
  return item(lines);
}

function encodeUser(user: UserMapping): string {
  let lines = field('userarn', user.userarn, '  ');
  lines += field('username', user.username, '  ');
  lines += groupLines(user.groups, '  ');
  if (user.userid !== undefined && user.userid !== '') lines += field('userid', user.userid, '  ');
  return item(lines);
}

/**
 * Encodes mappings like aws-iam-authenticator's EncodeMap, which its `add` command writes to aws-auth
 * (yaml.v2 Marshal of each list). Only non-empty lists get a key. Fields follow struct order, empty
 * optional fields are left out, and list items start at column 0.
 */
export function encodeMap(
  users: readonly UserMapping[],
  roles: readonly RoleMapping[],
  accounts: readonly string[],
): Record<string, string> {
  const data: Record<string, string> = {};
  if (users.length > 0) data['mapUsers'] = users.map(encodeUser).join('');
  if (roles.length > 0) data['mapRoles'] = roles.map(encodeRole).join('');
  if (accounts.length > 0) data['mapAccounts'] = accounts.map((account) => `- ${goYamlScalar(account)}\n`).join('');
  return data;
}
