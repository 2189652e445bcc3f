// Shared by the viewer tests: an event draft as EventStore.add takes it.
import type { NewEvent } from '../../../../src/receiver';

/** A JSON Penpot-like event named `name`. */
export function draft(name: string, props: Record<string, unknown> = {}): NewEvent {
  const body = JSON.stringify({ name, props });
  return {
    receivedAt: new Date(0).toISOString(), method: 'POST', path: '/hooks/{secret}', headers: [['content-type', 'application/json']],
    remoteAddress: '127.0.0.1', contentType: 'application/json', size: Buffer.byteLength(body), bodyBase64: Buffer.from(body).toString('base64'),
    format: 'json', decoded: { kind: 'json', value: JSON.parse(body) as unknown }, summary: { eventName: name }, responseStatus: 204,
  };
}

