// Every received event checked against Penpot's webhook contract (src/penpot/validate.ts, itself derived from
// Penpot's source through the catalog, not from a live instance): the few fields the viewer's list and its
// "Does not match" filter need for every row, computed once where the store derives its list fields (after the
// answer, off the receiver's hot path). The full list of differences is recomputed only for the event shown.
// No `vscode`. The words and types the webview uses are in checkStatus.ts.
import { findPenpotEvent, type PropSample } from '../penpot/catalog';
import { camelKeyMemo, describeValidation, validatePenpotEvent, type ValidationResult } from '../penpot/validate';
import type { CheckReport, CheckStatus, EventCheck } from './checkStatus';
import type { DecodedPayload, PayloadFormat } from './types';

export { CHECK_LABELS, CHECK_STATUSES, type CheckReport, type CheckStatus, type EventCheck } from './checkStatus';

/** What a decoded body offers the check (decode.ts's DecodedBody fits). */
export interface CheckInput {
  format: PayloadFormat;
  decoded?: DecodedPayload;
  decodeError?: string;
}

/** Every difference from the contract, or undefined when there is no decoded payload to check. */
export function validateReceived(body: CheckInput): ValidationResult | undefined {
  if (body.decodeError !== undefined || body.decoded === undefined) return undefined;
  return validatePenpotEvent(body.decoded.value, body.decoded.kind);
}

export function checkStatus(result: ValidationResult | undefined): CheckStatus {
  if (result === undefined) return 'undecodable';
  if (result.matches) return 'match';
  if (result.event === undefined) return 'unknown';
  return result.problems.every((p) => p.kind === 'not-sent-by-penpot') ? 'drift' : 'invalid';
}

/** The store keeps one check per event, 100,000 of them: equal ones (e.g. every update-file of one file) are shared. */
const shared = new Map<string, Readonly<EventCheck>>();
const SHARED_MAX = 4096;

/** The check of a decoded body (frozen: it may be shared between events). */
export function checkReceived(body: CheckInput): Readonly<EventCheck> {
  const result = validateReceived(body);
  const check: EventCheck = { status: checkStatus(result), problems: result?.problems.length ?? 0 };
  if (result !== undefined) {
    if (result.event !== undefined) check.event = result.event;
    check.shape = result.shape;
    const label = body.decoded === undefined ? undefined : summaryLabel(body.decoded);
    if (label !== undefined) check.label = label;
  }
  const key = `${check.status}\u0000${check.event ?? ''}\u0000${check.shape ?? ''}\u0000${check.problems}\u0000${check.label ?? ''}`;
  const found = shared.get(key);
  if (found !== undefined) return found;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(key, Object.freeze(check));
  return check;
}

/** The catalog's samples that are names a person gave (the props a row is told apart by), best first. */
const LABEL_SAMPLES: readonly PropSample[] = [
  'file-name', 'file-name-copy', 'project-name', 'project-name-copy', 'font-family', 'comment', 'page-name',
];
const LABEL_LENGTH = 60;

/**
 * The catalog's most telling prop of the event the payload names: the file name of rename-file, the project name
 * of create-project, the comment of create-comment; undefined when the event has none (e.g. move-files).
 */
export function summaryLabel(decoded: DecodedPayload): string | undefined {
  const value = decoded.value;
  if (!isRecord(value)) return undefined;
  const name = value['name'];
  const info = typeof name === 'string' ? findPenpotEvent(name) : undefined;
  const props = value['props'];
  if (info === undefined || !isRecord(props)) return undefined;
  for (const sample of LABEL_SAMPLES) {
    const spec = info.props.find((p) => p.sample === sample);
    if (spec === undefined) continue;
    const text = props[decoded.kind === 'json' ? camelKeyMemo.of(spec.name) : spec.name];
    if (typeof text !== 'string' || text.trim() === '') continue;
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > LABEL_LENGTH ? `${line.slice(0, LABEL_LENGTH - 1)}…` : line;
  }
  return undefined;
}

/** The detail's view: the status and each difference with its path (validate.ts's wording). */
export function checkReport(body: CheckInput): CheckReport {
  const result = validateReceived(body);
  const report: CheckReport = { status: checkStatus(result), problems: result && !result.matches ? describeValidation(result) : [] };
  if (result?.event !== undefined) report.event = result.event;
  if (result !== undefined) report.shape = result.shape;
  return report;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
