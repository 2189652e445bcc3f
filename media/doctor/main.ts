// Entry of the doctor report webview (bundled to dist/webview/doctor.js). Draws the report the host sends: per check
// a codicon and a status word, the title, the sentence, the fix and its button. Text goes in through the DOM builder
// only (textContent), so a sentence holding markup from a server shows as characters.
import type {
  DoctorCheckView, DoctorHostMessage, DoctorReportView, DoctorWebviewMessage,
} from '../../src/extension/doctor/protocol';
import { reportSummary, STATUS_ICONS, STATUS_WORDS } from '../../src/extension/doctor/protocol';
import { button, clear, el, icon } from '../viewer/dom';

interface VsCodeApi {
  postMessage(message: DoctorWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

class DoctorApp {
  private readonly api = acquireVsCodeApi();
  private readonly runAgain = button('refresh', 'Run Again', { id: 'run-again' });
  private readonly copy = button('copy', 'Copy as Markdown', { id: 'copy-markdown' });
  private readonly meta = el('p', { className: 'meta', attrs: { id: 'meta' } });
  private readonly summary = el('p', { className: 'summary', attrs: { id: 'summary', role: 'status', 'aria-live': 'polite' } });
  private readonly notice = el('p', { className: 'notice', attrs: { id: 'notice', role: 'status', 'aria-live': 'polite', hidden: '' } });
  private readonly list = el('ol', { className: 'checks', attrs: { id: 'checks', 'aria-label': 'Checks' } });

  constructor(root: HTMLElement) {
    this.runAgain.classList.add('primary');
    this.runAgain.addEventListener('click', () => this.send({ type: 'runAgain' }));
    this.copy.addEventListener('click', () => this.send({ type: 'copyMarkdown' }));
    root.append(
      el('header', { className: 'header' }, [
        el('div', { className: 'heading' }, [el('h1', { text: 'Penpot webhook setup' }), this.meta]),
        el('div', { className: 'actions' }, [this.runAgain, this.copy]),
      ]),
      this.summary,
      this.notice,
      this.list,
    );
    window.addEventListener('message', (event: MessageEvent<DoctorHostMessage>) => this.onMessage(event.data));
    this.send({ type: 'ready' });
  }

  private send(message: DoctorWebviewMessage): void {
    this.api.postMessage(message);
  }

  private onMessage(message: DoctorHostMessage): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'checking') this.showChecking();
    else if (message.type === 'report') this.showReport(message.report);
    else if (message.type === 'notice') this.showNotice(message.text, message.tone);
  }

  private showChecking(): void {
    this.runAgain.disabled = true;
    this.copy.disabled = true;
    this.summary.replaceChildren(icon('loading'), document.createTextNode(' Checking…'));
    this.summary.className = 'summary checking';
    this.list.setAttribute('aria-busy', 'true');
  }

  private showReport(report: DoctorReportView): void {
    this.runAgain.disabled = false;
    this.copy.disabled = false;
    this.list.removeAttribute('aria-busy');
    this.meta.textContent = `${report.serverUrl} · checked ${new Date(report.checkedAt).toLocaleTimeString()}`;
    const failed = report.checks.some((c) => c.status === 'fail');
    this.summary.className = `summary ${failed ? 'fail' : 'ok'}`;
    this.summary.textContent = reportSummary(report.checks);
    this.notice.hidden = true;
    clear(this.list);
    for (const check of report.checks) this.list.appendChild(this.checkItem(check));
  }

  private checkItem(check: DoctorCheckView): HTMLElement {
    const word = STATUS_WORDS[check.status];
    const body = el('div', { className: 'check-body' }, [
      el('h2', { className: 'check-title', text: check.title }),
      el('p', { className: 'check-detail', text: check.detail }),
    ]);
    if (check.fix && check.status !== 'ok') {
      body.appendChild(el('p', { className: 'check-fix' }, [el('span', { className: 'fix-label', text: 'Fix: ' }), document.createTextNode(check.fix)]));
    }
    if (check.action) body.appendChild(this.actionControl(check));
    return el('li', { className: `check ${check.status}`, attrs: { 'data-check': check.id, 'data-status': check.status } }, [
      el('div', { className: 'check-status', title: word }, [icon(STATUS_ICONS[check.status]), el('span', { className: 'status-word', text: word })]),
      body,
    ]);
  }

  private actionControl(check: DoctorCheckView): HTMLElement {
    const action = check.action!;
    const fix = (): void => this.send({ type: 'fix', checkId: check.id });
    if (action.kind === 'link') {
      const link = el('button', { className: 'link', text: action.label, title: action.url ?? action.label });
      link.type = 'button';
      link.addEventListener('click', fix);
      return el('p', { className: 'check-action' }, [link]);
    }
    const control = button(check.status === 'ok' ? 'play' : 'wrench', action.label);
    control.classList.add('fix-button');
    if (check.status === 'fail') control.classList.add('primary');
    control.addEventListener('click', fix);
    return el('p', { className: 'check-action' }, [control]);
  }

  private showNotice(text: string, tone: 'info' | 'error'): void {
    // A run that could not finish ends with a notice: Run Again must work again.
    this.runAgain.disabled = false;
    if (this.list.getAttribute('aria-busy') === 'true') {
      this.list.removeAttribute('aria-busy');
      this.summary.className = 'summary fail';
      this.summary.textContent = 'The checks did not finish.';
    }
    this.notice.textContent = text;
    this.notice.className = `notice ${tone}`;
    this.notice.hidden = false;
  }
}

new DoctorApp(document.getElementById('app')!);
