// The detail pane of the selected event: header, actions, and the Decoded / Raw / Headers / Forward tabs.
import type { DetailTab } from '../../src/extension/viewer/protocol';
import type { ForwardResult, ReceivedEvent } from '../../src/receiver/types';
import { button, clear, el, icon } from './dom';
import { formatDateTime, formatSize } from '../../src/receiver/format';
import { recognizeShape, shapeDescription } from '../../src/receiver/shape';
import type { CheckReport } from '../../src/receiver/checkStatus';
import type { CheckStatus } from '../../src/receiver/checkStatus';
import { CHECK_ICONS, CHECK_TITLES, CHECK_TONES } from './checkView';
import { base64ToBytes, bytesToText, hexDump, statusLabel } from './format';
import { FORMAT_LABELS } from './list';
import { payloadNode, renderTree, setTreeOpen } from './tree';

export type DetailAction = 'copyJson' | 'copyCurl' | 'openJson' | 'replay';

export interface DetailCallbacks {
  onAction(action: DetailAction, id: string): void;
  onTab(tab: DetailTab): void;
  /** "Set Forward Target" from the Forward tab's empty state. */
  onSetForward(): void;
}

const TAB_LABELS: Record<DetailTab, string> = { decoded: 'Decoded', raw: 'Raw', headers: 'Headers', forward: 'Forward' };

export class DetailPane {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly tabBar: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tabButtons = new Map<DetailTab, HTMLButtonElement>();
  private event: ReceivedEvent | undefined;
  private check: CheckReport | undefined;
  private tab: DetailTab = 'decoded';
  /** The result of a replay started from this pane, shown in the Forward tab until another event is shown. */
  private replayResult: ForwardResult | undefined;

  constructor(private readonly callbacks: DetailCallbacks) {
    this.header = el('div', { className: 'detail-header' });
    this.actions = el('div', { className: 'detail-actions', attrs: { role: 'toolbar', 'aria-label': 'Event actions' } });
    const actionButtons: [DetailAction, string, string][] = [
      ['copyJson', 'copy', 'Copy JSON'],
      ['copyCurl', 'terminal', 'Copy as curl'],
      ['openJson', 'go-to-file', 'Open as JSON'],
      ['replay', 'debug-rerun', 'Replay'],
    ];
    for (const [action, iconName, label] of actionButtons) {
      const b = button(iconName, label, { id: `action-${action}` });
      b.addEventListener('click', () => { if (this.event) this.callbacks.onAction(action, this.event.id); });
      this.actions.appendChild(b);
    }
    this.tabBar = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Event detail' } });
    for (const tab of Object.keys(TAB_LABELS) as DetailTab[]) {
      const b = el('button', { className: 'tab', text: TAB_LABELS[tab], attrs: { role: 'tab', id: `tab-${tab}`, 'aria-controls': 'detail-body' } });
      b.type = 'button';
      b.addEventListener('click', () => this.selectTab(tab));
      this.tabButtons.set(tab, b);
      this.tabBar.appendChild(b);
    }
    this.tabBar.addEventListener('keydown', (e) => {
      const tabs = Object.keys(TAB_LABELS) as DetailTab[];
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(tabs.indexOf(this.tab) + step + tabs.length) % tabs.length];
      this.selectTab(next);
      this.tabButtons.get(next)?.focus();
    });
    this.body = el('div', { className: 'detail-body', attrs: { id: 'detail-body', role: 'tabpanel' } });
    this.element = el('section', { className: 'detail', attrs: { 'aria-label': 'Selected event' } }, [
      this.header, this.actions, this.tabBar, this.body,
    ]);
    this.showPlaceholder('Select an event to see its payload.');
  }

  get shownId(): string | undefined {
    return this.event?.id;
  }

  setTab(tab: DetailTab): void {
    this.tab = tab;
    this.syncTabs();
  }

  showPlaceholder(text: string): void {
    this.event = undefined;
    this.element.classList.add('empty');
    clear(this.header);
    this.header.appendChild(el('div', { className: 'placeholder', text }));
    clear(this.body);
  }

  showLoading(): void {
    this.element.classList.add('loading');
  }

  /** `check`: the event's differences from Penpot's contract. */
  show(event: ReceivedEvent, check?: CheckReport): void {
    if (this.event?.id !== event.id) this.replayResult = undefined;
    this.event = event;
    this.check = check;
    this.element.classList.remove('empty', 'loading');
    this.renderHeader(event);
    this.syncTabs();
  }

  /** A replay finished: show its outcome in the Forward tab. */
  showReplay(id: string, result: ForwardResult): void {
    if (this.event?.id !== id) return;
    this.replayResult = result;
    this.selectTab('forward');
  }

  private selectTab(tab: DetailTab): void {
    this.tab = tab;
    this.syncTabs();
    this.callbacks.onTab(tab);
  }

  private syncTabs(): void {
    for (const [tab, b] of this.tabButtons) {
      b.setAttribute('aria-selected', String(tab === this.tab));
      b.classList.toggle('active', tab === this.tab);
      b.tabIndex = tab === this.tab ? 0 : -1;
    }
    this.body.setAttribute('aria-labelledby', `tab-${this.tab}`);
    if (!this.event) return;
    clear(this.body);
    const render = { decoded: renderDecoded, raw: renderRaw, headers: renderHeaders, forward: () => this.renderForward() }[this.tab];
    this.body.appendChild(render(this.event));
  }

  private renderHeader(event: ReceivedEvent): void {
    clear(this.header);
    const title = event.summary.eventName ?? `${event.method} (not a Penpot event)`;
    const chips = el('div', { className: 'chips' }, [
      chip(FORMAT_LABELS[event.format], event.contentType || 'no content type'),
      chip(formatSize(event.size)),
      chip(`answered ${event.responseStatus}`, 'Status the receiver answered with'),
      event.simulated ? chip('simulated', 'Sent by "Penpot: Simulate Webhook Event"') : null,
      event.decodeError ? chip('not decoded', event.decodeError, 'warn') : null,
      shapeChip(event),
    ]);
    this.header.append(
      el('h2', { className: 'detail-title', text: title }),
      el('div', { className: 'detail-meta', text: `#${event.seq} · ${formatDateTime(event.receivedAt)} · from ${event.remoteAddress || 'unknown'}` }),
      chips,
      ...(this.check ? [contractBlock(this.check)] : []),
    );
  }

  private renderForward(): HTMLElement {
    const event = this.event!;
    const parts: HTMLElement[] = [];
    if (this.replayResult) parts.push(resultBlock('Replay', this.replayResult));
    if (event.forward) parts.push(resultBlock('Forward', event.forward));
    if (parts.length === 0) {
      const set = button('arrow-right', 'Set Forward Target…', { id: 'set-forward' });
      set.addEventListener('click', () => this.callbacks.onSetForward());
      parts.push(el('div', { className: 'empty-note' }, [
        el('p', { text: 'This event was not forwarded. Set a forward target (your integration under development) to have every received event sent on with its original bytes and content type, or use Replay to send this one.' }),
        set,
      ]));
    }
    return el('div', { className: 'forward-tab' }, parts);
  }
}

/** At most this many differences are listed; the rest are counted. */
const MAX_PROBLEMS = 12;

/** "Matches rename-file (Penpot 2.15+)", or what differs, each with its path. */
function contractBlock(check: CheckReport): HTMLElement {
  const status = check.status;
  const where = check.event === undefined ? '' : ` ${check.event} (Penpot ${check.shape ?? '?'})`;
  const count = check.problems.length;
  const differences = `${count} difference${count === 1 ? '' : 's'}`;
  const headline: Record<CheckStatus, string> = {
    match: `Matches${where}`,
    drift: `Drift from${where}: fields Penpot does not send (a newer Penpot version, or not from Penpot)`,
    invalid: `Does not match${where}: ${differences}`,
    unknown: `Not one of Penpot's 24 webhook events: ${differences}`,
    undecodable: 'Not checked: there is no JSON or Transit payload',
  };
  const lines = check.problems;
  const list = lines.length === 0 ? null : el('ul', { attrs: { 'aria-label': "Differences from Penpot's contract" } }, [
    ...lines.slice(0, MAX_PROBLEMS).map((line) => el('li', { text: line })),
    lines.length > MAX_PROBLEMS ? el('li', { className: 'muted', text: `… and ${lines.length - MAX_PROBLEMS} more` }) : null,
  ]);
  return el('div', { className: `contract ${CHECK_TONES[status]}`, attrs: { id: 'contract', role: 'note' } }, [
    el('div', { className: 'contract-head', title: CHECK_TITLES[status] }, [icon(CHECK_ICONS[status]), el('span', { text: headline[status] })]),
    list,
    el('div', { className: 'why muted', text: "Checked against the webhook contract derived from Penpot's source (2.0 to 2.17), not against a live Penpot." }),
  ]);
}

/** Which Penpot versions send this payload shape (conformance finding 4); nothing for bodies that are not events. */
function shapeChip(event: ReceivedEvent): HTMLElement | null {
  if (event.summary?.eventName === undefined || !event.decoded) return null;
  let shape;
  try {
    shape = recognizeShape(event.decoded);
  } catch {
    return null; // a chip is never worth a broken detail pane
  }
  return chip(shape === 'unknown' ? 'shape: unknown' : `Penpot ${shape}`, shapeDescription(shape), shape === 'unknown' ? 'warn' : '');
}

function chip(text: string, title?: string, extra = ''): HTMLElement {
  return el('span', { className: `chip ${extra}`.trim(), text, title: title ?? text });
}

function renderDecoded(event: ReceivedEvent): HTMLElement {
  if (event.decodeError) {
    return el('div', { className: 'notice warn' }, [
      icon('warning'),
      el('span', { text: `${event.decodeError} The exact bytes are in the Raw tab.` }),
    ]);
  }
  if (!event.decoded) {
    const why: Record<string, string> = {
      empty: 'The body is empty.',
      binary: `The body is ${formatSize(event.size)} of binary data; the Raw tab shows it as hex.`,
      text: 'The body is plain text:',
    };
    const note = el('p', { className: 'muted', text: why[event.format] ?? 'Nothing to decode.' });
    if (event.format !== 'text') return note;
    return el('div', {}, [note, el('pre', { className: 'raw', text: bytesToText(base64ToBytes(event.bodyBase64)) })]);
  }
  const tree = renderTree(payloadNode(event.decoded));
  const expandAll = button('expand-all', 'Expand all', { compact: true });
  const collapseAll = button('collapse-all', 'Collapse all', { compact: true });
  expandAll.addEventListener('click', () => setTreeOpen(tree, true));
  collapseAll.addEventListener('click', () => setTreeOpen(tree, false));
  const kind = event.decoded.kind === 'transit' ? 'Transit, decoded with its type tags' : 'JSON';
  return el('div', { className: 'decoded' }, [
    el('div', { className: 'subbar' }, [el('span', { className: 'muted', text: kind }), el('span', { className: 'spacer' }), expandAll, collapseAll]),
    tree,
  ]);
}

function renderRaw(event: ReceivedEvent): HTMLElement {
  const bytes = base64ToBytes(event.bodyBase64);
  const info = el('div', { className: 'subbar muted', text: `${event.contentType || 'no content type'} · ${bytes.length} bytes, exactly as received` });
  if (event.format === 'binary') return el('div', {}, [info, el('pre', { className: 'raw', text: hexDump(bytes) })]);
  return el('div', {}, [info, el('pre', { className: 'raw', text: bytes.length ? bytesToText(bytes) : '(empty body)' })]);
}

function renderHeaders(event: ReceivedEvent): HTMLElement {
  const table = el('table', { className: 'kv' });
  const row = (name: string, value: string, cls = ''): void => {
    table.appendChild(el('tr', { className: cls }, [el('th', { text: name }), el('td', { text: value })]));
  };
  row('Request', `${event.method} ${event.path}`, 'meta');
  row('From', event.remoteAddress || 'unknown', 'meta');
  row('Answered', String(event.responseStatus), 'meta');
  for (const [name, value] of event.headers) row(name, value);
  return table;
}

function resultBlock(title: string, result: ForwardResult): HTMLElement {
  const status = statusLabel(result.status, result.error);
  const table = el('table', { className: 'kv' });
  const row = (name: string, value: string, cls = ''): HTMLElement => {
    const cell = el('td', { className: cls, text: value });
    table.appendChild(el('tr', {}, [el('th', { text: name }), cell]));
    return cell;
  };
  row('Target', result.target);
  const statusCell = row('Status', result.status === undefined ? 'no answer' : String(result.status), `status ${status.tone}`);
  if (status.note) {
    statusCell.title = status.note;
    statusCell.append(icon('warning'), el('span', { className: 'status-note', text: ' Penpot would count this as a failed delivery' }));
  }
  if (result.error) row('Error', result.error, 'bad');
  row('Time', `${result.ms} ms`);
  row('At', formatDateTime(result.at));
  const body = result.body === undefined
    ? el('p', { className: 'muted', text: 'The target answered with an empty body.' })
    : el('pre', { className: 'raw', text: result.body + (result.bodyTruncated ? '\n… (only the first 64 KB are kept)' : '') });
  return el('div', { className: 'result' }, [el('h3', { text: title }), table, result.error && result.status === undefined ? null : body]);
}
