// How a contract check (src/receiver/check.ts) looks in the list and in the detail: a codicon, a tone, a word.
import { CHECK_LABELS, type CheckStatus } from '../../src/receiver/checkStatus';
import { el, icon } from './dom';

export const CHECK_ICONS: Record<CheckStatus, string> = {
  match: 'pass', drift: 'warning', invalid: 'error', unknown: 'question', undecodable: 'circle-slash',
};
export const CHECK_TONES: Record<CheckStatus, string> = {
  match: 'ok', drift: 'warn', invalid: 'bad', unknown: 'warn', undecodable: 'muted',
};
export const CHECK_TITLES: Record<CheckStatus, string> = {
  match: 'Exactly what Penpot sends for this event',
  drift: 'Fields Penpot does not send: a newer Penpot, or a payload not from Penpot',
  invalid: 'A prop missing or of the wrong type',
  unknown: "Not one of Penpot's 24 webhook events",
  undecodable: 'No JSON or Transit payload to check',
};

/** Codicon + word; `undefined` (not checked yet, e.g. a large Transit body) shows a dash. */
export function checkBadge(status: CheckStatus | undefined, className = ''): HTMLElement {
  if (status === undefined) return el('span', { className: `${className} muted`.trim(), text: '—', title: 'Checked when shown' });
  return el('span', { className: `${className} check ${CHECK_TONES[status]}`.trim(), title: CHECK_TITLES[status] }, [
    icon(CHECK_ICONS[status]),
    el('span', { text: CHECK_LABELS[status] }),
  ]);
}
