// The words of a contract check (check.ts), apart from the checking itself so that the webview (which has no Node
// APIs) and the list's row type can use them without pulling in the validator.
import type { PayloadShape } from '../penpot/catalog';

/**
 * `match`: exactly what Penpot sends. `drift`: a known event with fields Penpot does not send (a newer Penpot, or
 * not from Penpot). `invalid`: a known event with a missing prop or a wrong type. `unknown`: decoded, but not one
 * of Penpot's 24 events. `undecodable`: no JSON or Transit payload to check.
 */
export type CheckStatus = 'match' | 'drift' | 'invalid' | 'unknown' | 'undecodable';

export const CHECK_STATUSES: readonly CheckStatus[] = ['match', 'drift', 'invalid', 'unknown', 'undecodable'];

/** For people: the list's status column and the status menu. */
export const CHECK_LABELS: Record<CheckStatus, string> = {
  match: 'Matches', drift: 'Drift', invalid: 'Invalid', unknown: 'Unknown', undecodable: 'Not decoded',
};

/** What the store keeps per event: small, so 100,000 of them cost little. */
export interface EventCheck {
  status: CheckStatus;
  /** The Penpot event it was checked as. */
  event?: string;
  shape?: PayloadShape;
  problems: number;
  /** The prop that tells rows of one event apart (a file, project or font name, a comment), shortened. */
  label?: string;
}

/** The check of one event in full, for its detail: each difference as "path: message". */
export interface CheckReport {
  status: CheckStatus;
  event?: string;
  shape?: PayloadShape;
  problems: string[];
}
