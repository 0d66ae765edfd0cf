import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether `given` is the configured `token` (compared in constant time, on digests so lengths do not leak). */
export function tokenMatches(token: string, given: string | undefined): boolean {
  if (given === undefined || given === '') return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(token), digest(given));
}

/** The bearer token of an `Authorization` header, if it carries one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Whether a write request comes from a page of this app: a browser says where a request comes from (`Origin`,
 * `Sec-Fetch-Site`); a cross-site one is refused. A client that says nothing (curl, scripts) is not a browser a
 * page could drive, and still needs the token.
 */
export function sameOrigin(requestUrl: string, origin: string | undefined, fetchSite: string | undefined): boolean {
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  if (origin === undefined) return true;
  return origin === new URL(requestUrl).origin;
}
