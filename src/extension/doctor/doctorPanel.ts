// The doctor report as a webview panel: each check with a codicon, its status word, its sentence and its fix as a
// button (a command) or a link; "Run Again" and "Copy as Markdown". One panel per window. The page only names a
// check when it asks for a fix: the command, its arguments and any URL stay here (see protocol.ts). Restored after a
// window reload by a WebviewPanelSerializer, which runs the checks again.
import * as vscode from 'vscode';
import { panelWebviewOptions } from '../common/panelWebview';
import type { DoctorCheck } from '../../penpot/doctor';
import type { PenpotLog } from '../common/log';
import { errorMessage } from '../../common/errors';
import { createNonce, webviewShellHtml } from '../viewer/html';
import {
  doctorMarkdown, DOCTOR_VIEW_TYPE, fixOutcome, isDoctorWebviewMessage, reportSummary,
  type DoctorCheckView, type DoctorHostMessage, type DoctorReportView,
} from './protocol';

const TITLE = 'Penpot Webhook Setup';

export interface DoctorRun {
  serverUrl: string;
  checks: DoctorCheck[];
}

export interface DoctorPanelDeps {
  context: vscode.ExtensionContext;
  log: PenpotLog;
  /** Runs every check (the command's work); the panel shows "Checking…" meanwhile. */
  run(): Promise<DoctorRun>;
}

export class DoctorPanel {
  private static current: DoctorPanel | undefined;

  /** Opens the report (or brings the open one to the front) and runs the checks; resolves with their result. */
  static async show(deps: DoctorPanelDeps): Promise<DoctorRun> {
    let doctor = DoctorPanel.current;
    if (doctor) {
      doctor.deps = deps;
      doctor.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(DOCTOR_VIEW_TYPE, TITLE, vscode.ViewColumn.Active, webviewOptions(deps.context));
      doctor = new DoctorPanel(panel, deps);
    }
    return doctor.runChecks();
  }

  /** Brings back the report that was open before a window reload; its checks run again (the report is not saved). */
  static registerSerializer(deps: DoctorPanelDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DOCTOR_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        // The saved options are not trusted after a reload: set them again.
        panel.webview.options = webviewOptions(deps.context);
        if (DoctorPanel.current) panel.dispose(); // a second restored copy: one report per window
        else void new DoctorPanel(panel, deps).runChecks().catch(() => undefined); // the page says why it failed
        return Promise.resolve();
      },
    });
  }

  /** The open report as Markdown, for the command's result. */
  static get markdown(): string | undefined {
    return DoctorPanel.current?.markdown;
  }

  private readonly disposables: vscode.Disposable[] = [];
  private report: DoctorReportView | undefined;
  private checks: DoctorCheck[] = [];
  private checking = false;
  private running: Promise<DoctorRun> | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel, private deps: DoctorPanelDeps) {
    DoctorPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, 'media', 'penpot.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message)),
    );
  }

  /** One run at a time: a second request while checking waits for the same result. */
  private runChecks(): Promise<DoctorRun> {
    this.running ??= (async () => {
      this.checking = true;
      this.post({ type: 'checking' });
      try {
        const run = await this.deps.run();
        this.checks = run.checks;
        this.report = this.toView(run);
        this.deps.log.info('doctor', `${reportSummary(run.checks)} ${run.checks.map((c) => `${c.id}=${c.status}`).join(' ')}`);
        this.checking = false;
        this.post({ type: 'report', report: this.report });
        return run;
      } catch (error) {
        // The page must not stay on "Checking…": it says why, and Run Again works again.
        this.checking = false;
        this.notice(`The checks could not run: ${errorMessage(error)}`, 'error');
        throw error;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** What the page may see: the sentences, scrubbed (they never hold the token; this makes sure), and no command ids. */
  private toView(run: DoctorRun): DoctorReportView {
    const scrub = (text: string): string => this.deps.log.scrub(text);
    return {
      serverUrl: scrub(run.serverUrl),
      checkedAt: new Date().toISOString(),
      checks: run.checks.map((check): DoctorCheckView => ({
        id: check.id, status: check.status, title: scrub(check.title), detail: scrub(check.detail),
        ...(check.fix === undefined ? {} : { fix: scrub(check.fix) }),
        ...(check.action === undefined ? {} : {
          action: check.action.command !== undefined
            ? { label: check.action.label, kind: 'command' as const }
            : { label: check.action.label, kind: 'link' as const, url: check.action.url },
        }),
      })),
    };
  }

  /** The report as Markdown (what "Copy as Markdown" copies); undefined before the first run. */
  get markdown(): string | undefined {
    return this.report && doctorMarkdown(this.report);
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isDoctorWebviewMessage(message)) {
      this.deps.log.warn('doctor', 'ignored a malformed message from the report');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.post(this.checking || !this.report ? { type: 'checking' } : { type: 'report', report: this.report });
        return;
      case 'runAgain':
        await this.runChecks().catch(() => undefined); // the page has been told why
        return;
      case 'copyMarkdown': {
        const markdown = this.markdown;
        if (markdown === undefined) return;
        await vscode.env.clipboard.writeText(markdown);
        this.notice('Copied the report as Markdown.', 'info');
        return;
      }
      case 'fix':
        await this.fix(message.checkId);
        return;
    }
  }

  private async fix(checkId: string): Promise<void> {
    const action = this.checks.find((c) => c.id === checkId)?.action;
    if (!action) return;
    try {
      if (action.command !== undefined) {
        // A command chosen from data: one of ours (doctor.ts) or a built-in such as opening a setting.
        const result: unknown = await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
        const { text, tone } = fixOutcome(action.label, result);
        this.notice(text, tone);
      } else if (action.url !== undefined) {
        await vscode.env.openExternal(vscode.Uri.parse(action.url));
      }
    } catch (error) {
      this.notice(`${action.label} failed: ${errorMessage(error)}`, 'error');
    }
  }

  private notice(text: string, tone: 'info' | 'error'): void {
    this.post({ type: 'notice', text: this.deps.log.scrub(text), tone });
  }

  private post(message: DoctorHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = this.deps.context.extensionUri;
    const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(root, ...segments)).toString();
    return webviewShellHtml({
      cspSource: webview.cspSource,
      codiconsUri: asset('dist', 'webview', 'codicons', 'codicon.css'),
      commonStyleUri: asset('media', 'common', 'panel.css'),
      styleUri: asset('media', 'doctor', 'doctor.css'),
      scriptUri: asset('dist', 'webview', 'doctor.js'),
    }, createNonce(), TITLE);
  }

  private dispose(): void {
    if (DoctorPanel.current === this) DoctorPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return panelWebviewOptions(context, { mediaFolder: 'doctor' });
}
