// Public API of the webhook receiver: the HTTP listener, its event store, forward/replay/simulate.
// No `vscode` import here or below: the extension and the CLI both build on this module.
export type {
  DecodedPayload, EventSummary, ForwardResult, PayloadFormat, ReceivedEvent,
} from './types';
export { generateReceiverSecret, isValidReceiverSecret, RECEIVER_PATH_PREFIX } from './secret';
export { decodeBody, summarise, type DecodedBody } from './decode';
export {
  EventStore, DEFAULT_STORE_CAPACITY, DEFAULT_STORE_MAX_BYTES, MAX_STORE_CAPACITY,
  type EventStoreOptions, type StoreChange, type NewEvent, type Disposable,
} from './store';
export type { ReceivedRequest } from './event';
export {
  sendHttp, resendHeaders, HOP_BY_HOP_HEADERS, DEFAULT_OUTBOUND_TIMEOUT_MS, FORWARD_BODY_LIMIT,
  type OutboundRequest, type OutboundResult,
} from './outbound';
export { FORWARDED_HEADER, Forwarder, replayEvent, type ForwarderOptions, type ReplayOptions } from './forward';
export { simulateEvent, SIMULATED_HEADER, type SimulateOptions, type SimulateResult } from './simulate';
export {
  startReceiver, DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT, DEFAULT_RESPONSE_STATUS, DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS,
  type Receiver, type ReceiverOptions,
} from './server';
