// The URL / format / active steps shared by Create Webhook and Edit Webhook.
import type * as vscode from 'vscode';
import { isPenpotError } from '../../../penpot/errors';
import { MTYPE_BY_FORMAT, type WebhookFormat, type WebhookMtype } from '../../../penpot/types';
import { formatItems, pickStep, textStep, type Step } from '../../common/quickInput';
import { validateWebhookUri } from '../../presentation';

export interface WebhookDraft {
  uri: string;
  format: WebhookFormat;
  isActive: boolean;
}

export function formatOf(mtype: WebhookMtype): WebhookFormat {
  return mtype === MTYPE_BY_FORMAT.transit ? 'transit' : 'json';
}

interface ActiveItem extends vscode.QuickPickItem {
  isActive: boolean;
}

const FORMAT_ITEMS = formatItems({
  json: 'Readable by any HTTP endpoint',
  transit: 'Penpot\'s own format; keeps types such as UUIDs and dates',
});

const ACTIVE_ITEMS: ActiveItem[] = [
  { isActive: true, label: 'Active', detail: 'Penpot sends events to the URL from now on' },
  { isActive: false, label: 'Inactive', detail: 'Saved, but switched off until you enable it' },
];

/**
 * The three detail steps, numbered from `firstStep`. They edit `draft` in place; `urlError` (Penpot's reason for
 * refusing the previous URL) is shown under the URL field until the user changes it.
 */
export function webhookDetailSteps(
  title: string, firstStep: number, totalSteps: number, draft: WebhookDraft, urlError?: string,
): Step[] {
  return [
    () => textStep({
      title, step: firstStep, totalSteps,
      prompt: 'Payload URL: Penpot POSTs every event of the team to it, and first checks it answers HEAD with 200 or 204',
      placeholder: 'https://example.com/penpot-webhook',
      value: draft.uri,
      validate: validateWebhookUri,
      initialError: urlError,
    }, (value) => { draft.uri = value.trim(); }),
    () => pickStep({
      title, step: firstStep + 1, totalSteps, placeholder: 'Content type of the payloads',
      items: FORMAT_ITEMS, active: FORMAT_ITEMS.find((i) => i.format === draft.format),
    }, (picked) => { draft.format = picked.format; }),
    () => pickStep({
      title, step: firstStep + 2, totalSteps, placeholder: 'Send events now?',
      items: ACTIVE_ITEMS, active: ACTIVE_ITEMS.find((i) => i.isActive === draft.isActive),
    }, (picked) => { draft.isActive = picked.isActive; }),
  ];
}

/** A refusal the user can fix by changing the URL: Penpot's validation of it (§3.6), shown in Penpot's words. */
export function isUrlRejection(error: unknown): error is Error {
  return isPenpotError(error) && error.kind === 'validation' && error.code === 'webhook-validation';
}

/** Checks a draft passed from code the same way the input boxes do. */
export function checkDraft(draft: WebhookDraft): string | undefined {
  const uriProblem = validateWebhookUri(draft.uri);
  if (uriProblem) return uriProblem;
  if (draft.format !== 'json' && draft.format !== 'transit') return `Unknown format "${String(draft.format)}"; use json or transit.`;
  if (typeof draft.isActive !== 'boolean') return 'isActive must be true or false.';
  return undefined;
}
