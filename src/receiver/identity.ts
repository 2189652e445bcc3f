// How a receiver can be recognised from outside (issue 9's doctor): its HEAD answer carries a header with an id
// derived from its secret, so a probe through a tunnel can tell this receiver from another server on that port.
// The id is a hash: it reveals nothing of the secret.
import { createHash } from 'node:crypto';

export const RECEIVER_ID_HEADER = 'x-penpot-integrations-receiver';

export function receiverIdFor(secret: string): string {
  return createHash('sha256').update(`penpot-integrations-receiver:${secret}`).digest('hex').slice(0, 16);
}

/** The secret in a receiver URL's `/hooks/<secret>` path, or undefined. */
export function secretOfReceiverUrl(url: string): string | undefined {
  try {
    const match = /\/hooks\/([A-Za-z0-9_-]+)\/?$/.exec(new URL(url).pathname);
    return match?.[1];
  } catch {
    return undefined;
  }
}
