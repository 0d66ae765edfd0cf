import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { errorCode } from './errno';

/** Which process, on which host, made a temporary entry or holds a lock. */
export interface Owner {
  /** First 8 hex digits of sha256(hostname). */
  readonly host: string;
  /** Process id on that host. */
  readonly pid: number;
}

let cachedHostTag: string | undefined;

/** Short, file-name-safe tag of this machine's host name. */
export function hostTag(): string {
  cachedHostTag ??= createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
  return cachedHostTag;
}

/** This process as an {@link Owner}. */
export function currentOwner(): Owner {
  return { host: hostTag(), pid: process.pid };
}

/** Whether the owner is known to be alive: `false` only when it ran on this host and its process is gone. */
export function mayBeAlive(owner: Owner): boolean {
  if (owner.host !== hostTag()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

const TEMP_ENTRY = /^([0-9a-f]{8})-([1-9][0-9]{0,9})-[0-9a-f]{12}-([a-z]+)$/;

/** A fresh, unique name for an entry under `tmp/`: `<host>-<pid>-<random>-<purpose>`, so leftovers can be traced to their owner. */
export function tempEntryName(purpose: string, owner: Owner = currentOwner()): string {
  return `${owner.host}-${owner.pid}-${randomBytes(6).toString('hex')}-${purpose}`;
}

/** The owner encoded in a {@link tempEntryName}, or `undefined` for any other name. */
export function ownerOfTempEntry(entry: string): Owner | undefined {
  const match = TEMP_ENTRY.exec(entry);
  if (!match?.[1] || !match[2]) return undefined;
  return { host: match[1], pid: Number(match[2]) };
}
