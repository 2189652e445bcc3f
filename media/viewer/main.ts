// Entry of the payload viewer webview (bundled to dist/webview/viewer.js). Holds the row summaries, applies the
// event-name filter locally and the free-text search through the host (which has the payloads), and shows the
// selected event's detail fetched on demand.
import type { EventRow, HostMessage, ReceiverStatusView, ToolbarCommand } from '../../src/extension/viewer/protocol';
import { DETAIL_TABS } from '../../src/extension/viewer/protocol';
import { DetailPane, type DetailAction } from './detail';
import { button, el } from './dom';
import { EventList } from './list';
import { HostConnection } from './host';

const NO_NAME = '\u0000not-penpot';
const SEARCH_DELAY_MS = 200;

class ViewerApp {
  private readonly host = new HostConnection((m) => this.onHostMessage(m));
  /** Every stored row by id, in arrival order (Map keeps insertion order). */
  private readonly rows = new Map<string, EventRow>();
  private eventName = '';
  private searchText = '';
  /** Ids matching `searchText`; undefined while there is no search. */
  private searchMatches: Set<string> | undefined;
  private searchGeneration = 0;
  private detailGeneration = 0;

  private readonly list: EventList;
  private readonly detail: DetailPane;
  private readonly statusText = el('span', { className: 'status-text', attrs: { id: 'receiver-status', role: 'status' } });
  private readonly statusDot = el('span', { className: 'dot' });
  private readonly startButton = button('play', 'Start', { id: 'start' });
  private readonly stopButton = button('debug-stop', 'Stop', { id: 'stop' });
  private readonly nameSelect = el('select', { attrs: { id: 'event-filter', 'aria-label': 'Filter by event name' } });
  private readonly searchInput = el('input', {
    attrs: { id: 'search', type: 'search', placeholder: 'Search payloads', 'aria-label': 'Search in decoded payloads', spellcheck: 'false' },
  });
  private readonly countText = el('span', { className: 'count muted', attrs: { id: 'count', 'aria-live': 'polite' } });
  private readonly message = el('div', { className: 'message', attrs: { id: 'message', role: 'alert', hidden: '' } });
  /** An event the host asked to show before its row arrived. */
  private pendingReveal: string | undefined;
  private readonly emptyState: HTMLElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(root: HTMLElement) {
    this.list = new EventList({
      onSelect: (id) => this.onSelect(id),
      onScroll: (scrollTop) => {
        clearTimeout(this.scrollTimer);
        this.scrollTimer = setTimeout(() => this.host.saveState({ scrollTop }), 150);
      },
    });
    this.detail = new DetailPane({
      onAction: (action, id) => void this.runAction(action, id),
      onTab: (tab) => this.host.saveState({ tab }),
      onSetForward: () => void this.command('penpot.receiver.forward'),
    });

    const commandButtons: [HTMLButtonElement, ToolbarCommand][] = [
      [this.startButton, 'penpot.receiver.start'],
      [this.stopButton, 'penpot.receiver.stop'],
      [button('beaker', 'Simulate', { id: 'simulate', title: 'Simulate a Penpot webhook event' }), 'penpot.receiver.simulate'],
      [button('copy', 'Copy URL', { id: 'copy-url', title: 'Copy the receiver URL' }), 'penpot.receiver.copyUrl'],
      [button('plug', 'Register…', { id: 'register', title: 'Register the receiver as a team webhook in Penpot' }), 'penpot.receiver.register'],
      [button('arrow-right', 'Forward…', { id: 'forward', title: 'Forward every received event to a URL' }), 'penpot.receiver.forward'],
    ];
    const toolbar = el('header', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Receiver' } }, [
      this.statusDot, this.statusText, el('span', { className: 'spacer' }),
    ]);
    for (const [b, command] of commandButtons) {
      b.addEventListener('click', () => void this.command(command));
      toolbar.appendChild(b);
    }

    const exportButton = button('desktop-download', 'Export…', { id: 'export', title: 'Export the selected, shown or all events as JSON or NDJSON' });
    exportButton.addEventListener('click', () => void this.exportEvents());
    const clearButton = button('clear-all', 'Clear', { id: 'clear', title: 'Delete every stored event' });
    clearButton.addEventListener('click', () => void this.call(() => this.host.request('clear', {})));
    const filters = el('div', { className: 'filters' }, [
      this.nameSelect, this.searchInput, this.countText, el('span', { className: 'spacer' }), exportButton, clearButton,
    ]);
    this.nameSelect.addEventListener('change', () => {
      this.eventName = this.nameSelect.value;
      this.host.saveState({ eventName: this.eventName });
      this.refreshList();
    });
    this.searchInput.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => void this.setSearch(this.searchInput.value), SEARCH_DELAY_MS);
    });

    this.emptyState = this.buildEmptyState();
    const listPane = el('div', { className: 'list-pane' }, [this.list.element, this.emptyState]);
    root.append(toolbar, filters, this.message, el('main', { className: 'split' }, [listPane, this.detail.element]));

    const saved = this.host.state;
    if (saved.tab && DETAIL_TABS.includes(saved.tab)) this.detail.setTab(saved.tab);
    this.eventName = saved.eventName ?? '';
    this.searchText = saved.search ?? '';
    this.searchInput.value = this.searchText;
    this.host.ready();
  }

  private buildEmptyState(): HTMLElement {
    const start = button('play', 'Start the receiver');
    start.addEventListener('click', () => void this.command('penpot.receiver.start'));
    const simulate = button('beaker', 'Simulate an event');
    simulate.addEventListener('click', () => void this.command('penpot.receiver.simulate'));
    return el('div', { className: 'empty-state', attrs: { id: 'empty-state' } }, [
      el('h2', { text: 'No webhook events yet' }),
      el('p', { text: 'Start the receiver, register it as a webhook on a Penpot team, and every event Penpot sends shows up here, newest first. Or simulate one of Penpot\'s 24 events.' }),
      el('div', { className: 'row' }, [start, simulate]),
    ]);
  }

  // ---- host messages ------------------------------------------------------------------------------------

  private onHostMessage(message: Exclude<HostMessage, { type: 'reply' }>): void {
    switch (message.type) {
      case 'init': {
        this.rows.clear();
        for (const row of message.rows) this.rows.set(row.id, row);
        this.setStatus(message.status);
        this.rebuildNameOptions();
        const saved = this.host.state;
        void this.applySearch().then(() => {
          this.refreshList();
          if (saved.scrollTop) this.list.scrollTo(saved.scrollTop);
          if (saved.selectedId && this.rows.has(saved.selectedId)) this.list.select(saved.selectedId, !saved.scrollTop);
        });
        break;
      }
      case 'added': {
        for (const row of message.rows) this.rows.set(row.id, row);
        this.rebuildNameOptions();
        if (this.searchMatches) void this.searchNew(message.rows.map((r) => r.id));
        else this.refreshList();
        if (this.pendingReveal !== undefined && this.rows.has(this.pendingReveal)) void this.reveal(this.pendingReveal);
        break;
      }
      case 'updated': {
        for (const row of message.rows) this.rows.set(row.id, row);
        this.list.update(message.rows);
        const shown = this.detail.shownId;
        if (shown && message.rows.some((r) => r.id === shown)) void this.loadDetail(shown);
        break;
      }
      case 'removed': {
        for (const id of message.ids) {
          this.rows.delete(id);
          this.searchMatches?.delete(id);
        }
        this.rebuildNameOptions();
        this.refreshList();
        break;
      }
      case 'cleared': {
        this.rows.clear();
        this.searchMatches?.clear();
        this.rebuildNameOptions();
        this.refreshList();
        break;
      }
      case 'status':
        this.setStatus(message.status);
        break;
      case 'reveal':
        void this.reveal(message.id);
        break;
    }
  }

  private setStatus(status: ReceiverStatusView): void {
    this.statusDot.classList.toggle('on', status.running);
    let text: string;
    if (status.running && status.localUrl) {
      const where = new URL(status.localUrl).host;
      text = `Listening on ${where} · answers ${status.responseStatus}`;
    } else {
      text = status.error ? `Stopped: ${status.error}` : 'Receiver stopped';
    }
    if (status.publicUrl) text += ` · public URL ${new URL(status.publicUrl).host}`;
    if (status.forwardUrl) text += ` · forwarding to ${status.forwardUrl}`;
    this.statusText.textContent = text;
    this.statusText.title = status.externalUrl && status.externalUrl !== status.localUrl
      ? `Open in a browser at ${status.externalUrl}` : text;
    this.startButton.hidden = status.running;
    this.stopButton.hidden = !status.running;
    this.updateEmptyState();
  }

  // ---- filtering ----------------------------------------------------------------------------------------

  private matches(row: EventRow): boolean {
    if (this.eventName && (row.eventName ?? NO_NAME) !== this.eventName) return false;
    return !this.searchMatches || this.searchMatches.has(row.id);
  }

  /** Recomputes the shown rows (newest first) from every row and the filters. */
  private refreshList(): void {
    const shown: EventRow[] = [];
    const all = [...this.rows.values()];
    for (let i = all.length - 1; i >= 0; i--) if (this.matches(all[i])) shown.push(all[i]);
    this.list.setRows(shown);
    const filtered = this.eventName !== '' || this.searchMatches !== undefined;
    this.countText.textContent = filtered ? `${shown.length} of ${this.rows.size} events` : `${this.rows.size} events`;
    this.updateEmptyState();
    const primary = this.list.primaryId;
    if (primary === undefined && this.detail.shownId !== undefined) this.detail.showPlaceholder('Select an event to see its payload.');
  }

  private updateEmptyState(): void {
    this.emptyState.hidden = this.rows.size > 0;
    this.list.element.hidden = this.rows.size === 0;
  }

  private rebuildNameOptions(): void {
    const counts = new Map<string, number>();
    for (const row of this.rows.values()) {
      const key = row.eventName ?? NO_NAME;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const options = [el('option', { text: `All events (${this.rows.size})`, attrs: { value: '' } })];
    const names = [...counts.keys()].sort((a, b) => (a === NO_NAME ? 1 : b === NO_NAME ? -1 : a.localeCompare(b)));
    if (this.eventName && !counts.has(this.eventName)) names.push(this.eventName);
    for (const name of names) {
      const label = name === NO_NAME ? 'Not a Penpot event' : name;
      options.push(el('option', { text: `${label} (${counts.get(name) ?? 0})`, attrs: { value: name } }));
    }
    this.nameSelect.replaceChildren(...options);
    this.nameSelect.value = this.eventName;
  }

  private async setSearch(text: string): Promise<void> {
    this.searchText = text.trim();
    this.host.saveState({ search: this.searchText });
    await this.applySearch();
    this.refreshList();
  }

  /** Asks the host which events contain the search text (the webview only has summaries). */
  private async applySearch(): Promise<void> {
    const generation = ++this.searchGeneration;
    if (!this.searchText) {
      this.searchMatches = undefined;
      return;
    }
    const ids = await this.call(() => this.host.request('search', { text: this.searchText }));
    if (generation === this.searchGeneration) this.searchMatches = new Set(ids ?? []);
  }

  private async searchNew(ids: string[]): Promise<void> {
    const generation = this.searchGeneration;
    const found = await this.call(() => this.host.request('search', { text: this.searchText, ids }));
    if (generation !== this.searchGeneration || !this.searchMatches) return;
    for (const id of found ?? []) this.searchMatches.add(id);
    this.refreshList();
  }

  // ---- selection and detail -----------------------------------------------------------------------------

  private onSelect(id: string | undefined): void {
    this.host.saveState({ selectedId: id });
    if (id === undefined) {
      this.detail.showPlaceholder('Select an event to see its payload.');
      return;
    }
    void this.loadDetail(id);
  }

  private async loadDetail(id: string): Promise<void> {
    const generation = ++this.detailGeneration;
    this.detail.showLoading();
    const event = await this.call(() => this.host.request('getDetail', { id }));
    if (generation !== this.detailGeneration) return;
    if (event) this.detail.show(event);
    else this.detail.showPlaceholder('This event is no longer stored.');
  }

  private async reveal(id: string): Promise<void> {
    const row = this.rows.get(id);
    this.pendingReveal = row ? undefined : id;
    if (!row) return;
    if (!this.matches(row)) {
      this.eventName = '';
      this.searchInput.value = '';
      await this.setSearch('');
      this.rebuildNameOptions();
      this.host.saveState({ eventName: '' });
    }
    this.list.select(id);
    this.list.focus();
  }

  // ---- actions ------------------------------------------------------------------------------------------

  private async runAction(action: DetailAction, id: string): Promise<void> {
    if (action === 'replay') {
      const result = await this.call(() => this.host.request('replay', { id }));
      if (result) this.detail.showReplay(id, result);
      return;
    }
    await this.call(() => this.host.request(action, { id }));
  }

  private async exportEvents(): Promise<void> {
    await this.call(() => this.host.request('export', { selectedIds: this.list.selectedIds, visibleIds: this.list.visibleIds }));
  }

  private command(command: ToolbarCommand): Promise<void | undefined> {
    return this.call(() => this.host.request('runCommand', { command }));
  }

  /** Runs a request; a failure is shown in the message bar (the host has logged it) and yields undefined. */
  private async call<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await run();
      this.message.hidden = true;
      return result;
    } catch (error) {
      this.message.textContent = error instanceof Error ? error.message : String(error);
      this.message.hidden = false;
      return undefined;
    }
  }
}

new ViewerApp(document.getElementById('app')!);
