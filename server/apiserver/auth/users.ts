// Bearer-token users kept in <dataDir>/users.json, which holds only SHA-256 hashes: a token is shown once, when made.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readFileIfExists, writeFileAtomic } from './files';
import { SYSTEM_MASTERS } from './identity';

/** The administrator created on first start; its token goes into the kubeconfig Kura writes. */
export const ADMIN_USER = 'kura-admin';
/** Makes a leaked Kura token recognisable to people and to secret scanners. */
export const TOKEN_PREFIX = 'kura_';
const TOKEN_BYTES = 32;
const TOKEN_RE = /^kura_[A-Za-z0-9_-]{43,}$/;
const NAME_MAX_LENGTH = 253;

export interface UserRecord {
  name: string;
  groups: string[];
  tokenSha256: string;
  createdAt: string;
}

/** What listUsers shows: everything but the token hash. */
export type UserSummary = Omit<UserRecord, 'tokenSha256'>;

export type UserErrorCode = 'Invalid' | 'AlreadyExists' | 'NotFound' | 'Forbidden' | 'Corrupt';

export class UserError extends Error {
  readonly code: UserErrorCode;

  constructor(code: UserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
    this.code = code;
  }
}

export function usersFile(dataDir: string): string {
  return path.join(dataDir, 'users.json');
}

export function adminTokenFile(dataDir: string): string {
  return path.join(dataDir, 'pki', 'admin.token');
}

export function newToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  // The one-shot form: a third of createHash's time, and it runs on every request.
  return crypto.hash('sha256', token, 'hex');
}

const usersFileSchema = z.object({
  users: z.array(
    z.object({
      name: z.string().min(1),
      groups: z.array(z.string()),
      tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
      createdAt: z.string(),
    }),
  ),
});

/** The users in a users.json text; throws UserError 'Corrupt' naming the file and the first problem. */
export function parseUsers(text: string, file: string): UserRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError('Corrupt', `${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = usersFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new UserError('Corrupt', `${file} is not a Kura users file${where}: ${issue?.message ?? 'invalid'}`);
  }
  const seen = new Set<string>();
  for (const u of parsed.data.users) {
    // Two entries with one name would make "which groups does alice have" depend on file order.
    if (seen.has(u.name)) throw new UserError('Corrupt', `${file} lists user "${u.name}" twice`);
    seen.add(u.name);
  }
  return parsed.data.users;
}

/** All user records; none when the file does not exist yet. */
export function readUsers(dataDir: string): UserRecord[] {
  const file = usersFile(dataDir);
  const text = readFileIfExists(file);
  return text === undefined ? [] : parseUsers(text, file);
}

function writeUsers(dataDir: string, users: UserRecord[]): void {
  writeFileAtomic(usersFile(dataDir), JSON.stringify({ users }, null, 2) + '\n', 0o600);
}

// Whitespace, control and invisible format characters make names that look alike but differ.
const UNSAFE_CHARS = /[\s\p{C}]/u;

/** Why `value` cannot be a user name or group name, or undefined when it can. */
export function validateName(what: 'user name' | 'group name', value: string): string | undefined {
  if (value.length === 0) return `${what} must not be empty`;
  if (value.length > NAME_MAX_LENGTH) return `${what} must be at most ${NAME_MAX_LENGTH} characters`;
  if (UNSAFE_CHARS.test(value)) return `${what} ${JSON.stringify(value)} must not contain whitespace or control characters`;
  if (value.startsWith('system:')) return `${what} ${JSON.stringify(value)} is reserved: names starting with "system:" belong to Kubernetes itself`;
  return undefined;
}

function checkedGroups(groups: readonly string[]): string[] {
  for (const g of groups) {
    const problem = validateName('group name', g);
    if (problem) throw new UserError('Invalid', problem);
  }
  return [...new Set(groups)];
}

function findUser(users: UserRecord[], name: string): UserRecord {
  const user = users.find((u) => u.name === name);
  if (!user) throw new UserError('NotFound', `user "${name}" does not exist`);
  return user;
}

/** Create a user; returns its token, which is not stored anywhere and cannot be shown again. */
export function addUser(dataDir: string, name: string, groups: readonly string[] = [], now = new Date()): { token: string } {
  const problem = validateName('user name', name);
  if (problem) throw new UserError('Invalid', problem);
  if (name === ADMIN_USER) throw new UserError('Forbidden', `"${ADMIN_USER}" is the built-in administrator; Kura creates it on first start`);
  const cleanGroups = checkedGroups(groups);
  const users = readUsers(dataDir);
  if (users.some((u) => u.name === name)) throw new UserError('AlreadyExists', `user "${name}" already exists`);
  const token = newToken();
  users.push({ name, groups: cleanGroups, tokenSha256: hashToken(token), createdAt: now.toISOString() });
  writeUsers(dataDir, users);
  return { token };
}

/** Give a user a new token; the old one stops working within a second. */
export function rotateToken(dataDir: string, name: string): { token: string } {
  const users = readUsers(dataDir);
  const user = findUser(users, name);
  const token = newToken();
  // The admin token file first: if we stop between the two writes, ensureAdmin repairs users.json from it.
  if (name === ADMIN_USER) writeFileAtomic(adminTokenFile(dataDir), token + '\n', 0o600);
  user.tokenSha256 = hashToken(token);
  writeUsers(dataDir, users);
  return { token };
}

export function removeUser(dataDir: string, name: string): void {
  if (name === ADMIN_USER) {
    throw new UserError('Forbidden', `"${ADMIN_USER}" is the built-in administrator and would be re-created on the next start; rotate its token instead`);
  }
  const users = readUsers(dataDir);
  findUser(users, name);
  writeUsers(dataDir, users.filter((u) => u.name !== name));
}

export function listUsers(dataDir: string): UserSummary[] {
  return readUsers(dataDir).map(({ name, groups, createdAt }) => ({ name, groups: [...groups], createdAt }));
}

function readAdminToken(file: string): string | undefined {
  const text = readFileIfExists(file);
  if (text === undefined) return undefined;
  const token = text.trim();
  if (!TOKEN_RE.test(token)) return undefined; // not one Kura made: replace it rather than trust it
  // The file holds a cluster-admin credential: tighten it if someone loosened it.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return token;
}

/**
 * Make sure the built-in admin exists (user kura-admin, group system:masters) and return its token.
 * The token itself is kept only in <dataDir>/pki/admin.token (0600), because the kubeconfig Kura
 * writes must hold it anyway; users.json keeps its hash like everyone else's. Later starts return
 * the same token; if the two files disagree, admin.token wins.
 */
export function ensureAdmin(dataDir: string, now = new Date()): { token: string } {
  const users = readUsers(dataDir); // a corrupt users.json stops here, before anything is overwritten
  const tokenFile = adminTokenFile(dataDir);
  let token = readAdminToken(tokenFile);
  if (!token) {
    token = newToken();
    writeFileAtomic(tokenFile, token + '\n', 0o600);
  }
  const tokenSha256 = hashToken(token);
  const admin = users.find((u) => u.name === ADMIN_USER);
  if (!admin) {
    users.push({ name: ADMIN_USER, groups: [SYSTEM_MASTERS], tokenSha256, createdAt: now.toISOString() });
    writeUsers(dataDir, users);
  } else if (admin.tokenSha256 !== tokenSha256 || !admin.groups.includes(SYSTEM_MASTERS)) {
    admin.tokenSha256 = tokenSha256;
    if (!admin.groups.includes(SYSTEM_MASTERS)) admin.groups.push(SYSTEM_MASTERS);
    writeUsers(dataDir, users);
  }
  return { token };
}
