// The doctor report's pure parts: which webview messages the host accepts, the summary line, and the Markdown that
// "Copy as Markdown" puts on the clipboard.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctorMarkdown, fixOutcome, isDoctorWebviewMessage, reportSummary, STATUS_ICONS, STATUS_WORDS, type DoctorReportView } from '../../../../src/extension/doctor/protocol';

const report: DoctorReportView = {
  serverUrl: 'https://design.penpot.app',
  checkedAt: '2026-12-02T01:00:00.000Z',
  checks: [
    { id: 'server', status: 'ok', title: 'Penpot server', detail: 'https://design.penpot.app answers Penpot\'s API.' },
    { id: 'receiver', status: 'fail', title: 'Receiver', detail: 'No receiver is running in this window.', fix: 'Start the receiver.', action: { label: 'Start Receiver', kind: 'command' } },
    { id: 'webhooks', status: 'warn', title: 'Team webhooks', detail: 'None yet.', fix: 'Register the receiver.' },
    { id: 'flags', status: 'skip', title: 'Instance flags', detail: 'Not checked.', fix: 'Shown only when not ok.' },
  ],
};

describe('doctor report protocol', () => {
  it('accepts only the four messages the page sends, a fix only with a check id', () => {
    for (const message of [{ type: 'ready' }, { type: 'runAgain' }, { type: 'copyMarkdown' }, { type: 'fix', checkId: 'receiver' }]) {
      assert.equal(isDoctorWebviewMessage(message), true, JSON.stringify(message));
    }
    for (const message of [null, 'ready', {}, { type: 'fix' }, { type: 'fix', checkId: 3 }, { type: 'runCommand', command: 'workbench.action.terminal.new' }]) {
      assert.equal(isDoctorWebviewMessage(message), false, JSON.stringify(message));
    }
  });

  it('has a word and a codicon for every status', () => {
    assert.deepEqual(Object.keys(STATUS_WORDS).sort(), ['fail', 'ok', 'skip', 'warn']);
    assert.deepEqual(Object.keys(STATUS_ICONS).sort(), Object.keys(STATUS_WORDS).sort());
  });

  it('sums up the run by its failures, then its warnings', () => {
    assert.equal(reportSummary(report.checks), '1 of 4 checks failed: Receiver.');
    assert.equal(reportSummary(report.checks.filter((c) => c.status !== 'fail')), 'No check failed; 1 warning.');
    assert.equal(reportSummary([{ status: 'ok', title: 'a' }, { status: 'skip', title: 'b' }]), 'Every check passed or did not apply.');
  });

  it('writes Markdown for a bug report: status words, sentences, fixes as text, no command links', () => {
    assert.equal(doctorMarkdown(report), [
      '# Penpot webhook setup',
      '',
      'Server: https://design.penpot.app, checked 2026-12-02T01:00:00.000Z',
      '',
      '1 of 4 checks failed: Receiver.',
      '',
      '- **OK**: Penpot server. https://design.penpot.app answers Penpot\'s API.',
      '- **Failed**: Receiver. No receiver is running in this window.',
      '  - Fix: Start the receiver.',
      '- **Warning**: Team webhooks. None yet.',
      '  - Fix: Register the receiver.',
      '- **Skipped**: Instance flags. Not checked.',
      '  - Fix: Shown only when not ok.',
      '',
    ].join('\n'));
  });
});

describe('doctor fix outcome', () => {
  it("says what the fix's command did: cancelled, its failure, the test verdict, or done", () => {
    assert.deepEqual(fixOutcome('Register Receiver', { ok: false, message: 'Cancelled', cancelled: true }), { text: 'Register Receiver: cancelled.', tone: 'info' });
    assert.deepEqual(fixOutcome('Sign In', { ok: false, message: 'Sign in to Penpot first.' }), { text: 'Sign In: Sign in to Penpot first.', tone: 'error' });
    assert.deepEqual(fixOutcome('Send Test Event Through Penpot', { ok: true, report: { verdict: 'The create-project event arrived at the receiver 12 ms after the request.' } }),
      { text: "The create-project event arrived at the receiver 12 ms after the request. Run Again to see the webhook's state.", tone: 'info' });
    assert.deepEqual(fixOutcome('Start Receiver', { ok: true, url: 'http://127.0.0.1:1/hooks/x' }), { text: 'Start Receiver: done. Run Again to check.', tone: 'info' });
    // Commands of VS Code itself (Open Setting) resolve with nothing.
    assert.deepEqual(fixOutcome('Open Setting', undefined), { text: 'Open Setting: done. Run Again to check.', tone: 'info' });
  });
});
