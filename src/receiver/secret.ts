// The receiver's URL secret: the only thing that keeps strangers from posting into the event list, since
// Penpot signs nothing (§4.1 step 4, no signature header).
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Every accepted request path is `/hooks/<secret>`. */
export const RECEIVER_PATH_PREFIX = '/hooks/';

const SECRET_BYTES = 24; // 192 bits, above the 128-bit floor
const SECRET_PATTERN = /^[A-Za-z0-9_-]{22,128}$/; // base64url, at least 128 bits

/** A fresh URL-safe secret (base64url, 192 random bits). */
export function generateReceiverSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** True for a secret this module could have made (URL-safe, at least 128 bits); use it to check a stored one. */
export function isValidReceiverSecret(secret: string): boolean {
  return SECRET_PATTERN.test(secret);
}

/** Compares a request path (query already removed) with `/hooks/<secret>` in constant time. */
export function pathMatchesSecret(pathname: string, expectedPath: Buffer): boolean {
  const actual = Buffer.from(pathname, 'utf8');
  return actual.length === expectedPath.length && timingSafeEqual(actual, expectedPath);
}

/**
 * `url` as it may be shown or copied (a report pasted into an issue, a log line): its `/hooks/<secret>` path reads
 * `/hooks/{secret}`, as the stored requests show it. Anything else is returned unchanged.
 */
export function withoutReceiverSecret(url: string): string {
  return url.replace(/\/hooks\/[^/?#\s]+/, `${RECEIVER_PATH_PREFIX}{secret}`);
}
