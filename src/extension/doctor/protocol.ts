// The message protocol between the doctor report webview (media/doctor) and the extension host, plus the report as
// Markdown ("Copy as Markdown", for a bug report). Imported by both sides: types and pure helpers only, no `vscode`,
// no DOM, no Node APIs.
//
// The webview posts `ready` and is sent the latest `report` (or `checking`). Fixes are asked for by check id: the
// host runs the action of the check it holds, so the page can never make the host run a command or open a URL of
// its own choosing.

/** The webview panel's view type; also the `onWebviewPanel:` activation event and the serializer key. */
export const DOCTOR_VIEW_TYPE = 'penpot.doctorReport';

export type CheckStatusView = 'ok' | 'warn' | 'fail' | 'skip';

/** A check as the page shows it; structurally the doctor's own check minus the action's command and arguments. */
export interface DoctorCheckView {
  id: string;
  status: CheckStatusView;
  title: string;
  detail: string;
  fix?: string;
  /** The fix as a button (`command`) or a link (`link`, shown with its address). */
  action?: { label: string; kind: 'command' | 'link'; url?: string };
}

export interface DoctorReportView {
  serverUrl: string;
  /** ISO time of the run. */
  checkedAt: string;
  checks: DoctorCheckView[];
}

export type DoctorHostMessage =
  | { type: 'checking' }
  | { type: 'report'; report: DoctorReportView }
  /** The outcome of a fix, Copy as Markdown or a failed run, in one sentence. */
  | { type: 'notice'; text: string; tone: 'info' | 'error' };

export type DoctorWebviewMessage =
  | { type: 'ready' }
  | { type: 'runAgain' }
  | { type: 'copyMarkdown' }
  | { type: 'fix'; checkId: string };

export function isDoctorWebviewMessage(value: unknown): value is DoctorWebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; checkId?: unknown };
  if (message.type === 'fix') return typeof message.checkId === 'string';
  return message.type === 'ready' || message.type === 'runAgain' || message.type === 'copyMarkdown';
}

/** The word beside each status icon (colour and icon alone do not carry meaning). */
export const STATUS_WORDS: Record<CheckStatusView, string> = { ok: 'OK', warn: 'Warning', fail: 'Failed', skip: 'Skipped' };

/** Codicon names (bundled font, so they render without an emoji font). */
export const STATUS_ICONS: Record<CheckStatusView, string> = { ok: 'pass-filled', warn: 'warning', fail: 'error', skip: 'circle-slash' };

/** One line saying how the run went, for the page's heading and the log. */
export function reportSummary(checks: readonly { status: CheckStatusView; title: string }[]): string {
  const failed = checks.filter((c) => c.status === 'fail');
  const warned = checks.filter((c) => c.status === 'warn').length;
  if (failed.length > 0) return `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.title).join(', ')}.`;
  if (warned > 0) return `No check failed; ${warned} warning${warned === 1 ? '' : 's'}.`;
  return 'Every check passed or did not apply.';
}

/**
 * The report as Markdown, for pasting into a bug report: the same sentences as the page, the fix as text (command
 * links would mean nothing outside VS Code). The checks never hold the token, and the host scrubs the text anyway.
 */
export function doctorMarkdown(report: DoctorReportView): string {
  const lines = ['# Penpot webhook setup', '', `Server: ${report.serverUrl}, checked ${report.checkedAt}`, '', reportSummary(report.checks), ''];
  for (const check of report.checks) {
    lines.push(`- **${STATUS_WORDS[check.status]}**: ${check.title}. ${check.detail}`);
    if (check.fix && check.status !== 'ok') lines.push(`  - Fix: ${check.fix}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What a fix's command did, in one sentence: its failure, the test delivery's verdict, or done. */
export function fixOutcome(label: string, result: unknown): { text: string; tone: 'info' | 'error' } {
  const outcome = (typeof result === 'object' && result !== null ? result : {}) as { ok?: unknown; message?: unknown; cancelled?: unknown; report?: { verdict?: unknown } };
  if (outcome.cancelled === true) return { text: `${label}: cancelled.`, tone: 'info' };
  if (outcome.ok === false) return { text: `${label}: ${typeof outcome.message === 'string' ? outcome.message.replace(/\.$/, '') : 'not done'}.`, tone: 'error' };
  if (typeof outcome.report?.verdict === 'string') return { text: `${outcome.report.verdict} Run Again to see the webhook's state.`, tone: 'info' };
  return { text: `${label}: done. Run Again to check.`, tone: 'info' };
}
