// Entry of the payload viewer webview (bundled to dist/webview/viewer.js). Holds the row summaries (model.ts),
// applies the menu filters (event name, format, check status) locally and the free-text search through the host
// (which has the payloads), and shows the selected event's detail fetched on demand. Host messages update the
// model at once; the list, the count and the menus are redrawn at most once per animation frame.
import type { EventRow, HostMessage, ReceiverStatusView, ToolbarCommand } from '../../src/extension/viewer/protocol';
import { DETAIL_TABS } from '../../src/extension/viewer/protocol';
import { FORMAT_LABELS } from './list';
import { isFiltered, NO_NAME, NOT_MATCHING, RowModel, rowMatches, type Facet, type RowFilters } from './model';
import { CHECK_LABELS, CHECK_STATUSES, type CheckStatus } from '../../src/receiver/checkStatus';
import type { DecodedPayload } from '../../src/receiver/types';
import { DetailPane, type DetailAction } from './detail';
import { button, el } from './dom';
import { plural } from '../../src/common/words';
import { EventList } from './list';
import { HostConnection } from './host';

class ViewerApp {
  private readonly host = new HostConnection((m) => this.onHostMessage(m));
  private readonly model = new RowModel();
  private filters: RowFilters = {};
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
  private readonly selects: Record<Facet, HTMLSelectElement> = {
    eventName: el('select', { attrs: { id: 'event-filter', 'aria-label': 'Filter by event name' } }),
    format: el('select', { attrs: { id: 'format-filter', 'aria-label': 'Filter by format' } }),
    check: el('select', { attrs: { id: 'check-filter', 'aria-label': 'Filter by Penpot contract status', hidden: '' } }),
  };
  private readonly noMatch = el('div', { className: 'no-match muted', attrs: { id: 'no-match', role: 'status', hidden: '' } });
  private refreshQueued = false;
  /** The saved selection and scroll position, applied once the rows have arrived. */
  private restorePending = true;
  private readonly searchInput = el('input', {
    attrs: { id: 'search', type: 'search', placeholder: 'Search payloads', 'aria-label': 'Search in decoded payloads', spellcheck: 'false' },
  });
  private readonly countText = el('span', { className: 'count muted', attrs: { id: 'count', 'aria-live': 'polite' } });
  private readonly message = el('div', { className: 'message', attrs: { id: 'message', role: 'alert', hidden: '' } });
  /** An event the host asked to show before its row arrived. */
  private pendingReveal: string | undefined;
  private readonly emptyState: HTMLElement;
  /** A search is being answered; `searchTyped`: the input changed meanwhile, search again when it is. */
  private searching = false;
  private searchTyped = false;
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly root: HTMLElement) {
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
      this.selects.eventName, this.selects.format, this.selects.check, this.searchInput, this.countText, el('span', { className: 'spacer' }), exportButton, clearButton,
    ]);
    for (const facet of Object.keys(this.selects) as Facet[]) {
      this.selects[facet].addEventListener('change', () => {
        this.filters = { ...this.filters, [facet]: this.selects[facet].value };
        this.host.saveState({ [facet]: this.filters[facet] });
        this.refreshList();
      });
    }
    this.searchInput.addEventListener('input', () => void this.searchAsTyped());

    this.emptyState = this.buildEmptyState();
    const clearFilters = button('clear-all', 'Clear filters', { id: 'clear-filters' });
    clearFilters.addEventListener('click', () => void this.clearFilters());
    this.noMatch.append(el('span', { text: 'No events match the filters.' }), clearFilters);
    // Under the column header, where the rows would be.
    this.list.element.insertBefore(this.noMatch, this.list.element.lastChild);
    const listPane = el('div', { className: 'list-pane' }, [this.list.element, this.emptyState]);
    // Not laid out until the first rows arrive: VS Code hands the page its messages only after the page's `load`
    // event, which waits for every font being fetched, and laying out the toolbar's icons would start fetching the
    // icon font (about 30 ms here). The rows and the count then show without waiting for the icons.
    this.root.style.display = 'none';
    root.append(toolbar, filters, this.message, el('main', { className: 'split' }, [listPane, this.detail.element]));

    const saved = this.host.state;
    if (saved.tab && DETAIL_TABS.includes(saved.tab)) this.detail.setTab(saved.tab);
    this.filters = { eventName: saved.eventName ?? '', format: saved.format ?? '', check: saved.check ?? '' };
    this.searchText = saved.search ?? '';
    this.searchInput.value = this.searchText;
    performance.mark('viewer-ready-posted');
    // A page not laid out yet (no height) leaves the count to the host.
    this.host.ready(window.innerHeight > 0 ? { firstRows: EventList.rowsPerScreen() } : {});
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
        // For profiling (bench/viewer.ts): when the first rows arrived, against when the count was drawn.
        if (performance.getEntriesByName('viewer-init-received').length === 0) performance.mark('viewer-init-received');
        this.root.style.removeProperty('display');
        this.model.init(message.rows, message.total);
        this.restorePending = true;
        this.setStatus(message.status);
        // Drawn at once rather than in the next frame: the list then renders its rows in the frame that shows the
        // count, one frame sooner.
        void this.applySearch().then(() => this.redraw());
        break;
      }
      case 'initRows':
        this.model.prependOlder(message.rows, message.done);
        this.refreshList();
        break;
      case 'changes': {
        this.model.apply(message);
        if (message.cleared) this.searchMatches?.clear();
        for (const id of message.removed) this.searchMatches?.delete(id);
        if (this.searchMatches && message.added.length > 0) void this.searchNew(message.added.map((r) => r.id));
        this.refreshList();
        if (message.updated.length > 0) {
          this.list.update(message.updated);
          const shown = this.detail.shownId;
          if (shown && message.updated.some((r) => r.id === shown)) void this.loadDetail(shown);
        }
        if (this.pendingReveal !== undefined && this.model.has(this.pendingReveal)) void this.reveal(this.pendingReveal);
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

  /** Asks for a redraw of the list, the count and the menus in the next animation frame (one per frame). */
  private refreshList(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    requestAnimationFrame(() => {
      this.refreshQueued = false;
      this.redraw();
    });
  }

  /** Recomputes the shown rows (newest first) from the model and the filters: one pass over the rows. */
  private redraw(): void {
    const shown = this.model.filtered(this.filters, this.searchMatches);
    this.list.setRows(shown);
    const total = this.model.total;
    const loading = this.model.loading ? ' (loading…)' : '';
    this.countText.textContent = isFiltered(this.filters, this.searchMatches)
      ? `${shown.length} of ${plural(total, 'event')}${loading}` : plural(total, 'event');
    // For profiling (and bench/viewer.ts): when the first count after opening was drawn.
    if (total > 0 && performance.getEntriesByName('viewer-count-shown').length === 0) performance.mark('viewer-count-shown');
    // Still receiving the older rows: screen readers (and the benchmark) can tell.
    if (this.model.loading) this.countText.setAttribute('aria-busy', 'true');
    else this.countText.removeAttribute('aria-busy');
    this.rebuildMenus();
    this.updateEmptyState();
    this.noMatch.hidden = !(shown.length === 0 && this.model.size > 0);
    if (this.restorePending && !this.model.loading) {
      this.restorePending = false;
      const saved = this.host.state;
      if (saved.scrollTop) this.list.scrollTo(saved.scrollTop);
      if (saved.selectedId && this.model.has(saved.selectedId)) this.list.select(saved.selectedId, !saved.scrollTop);
    }
    const primary = this.list.primaryId;
    if (primary === undefined && this.detail.shownId !== undefined) this.detail.showPlaceholder('Select an event to see its payload.');
  }

  private updateEmptyState(): void {
    const empty = this.model.total === 0;
    this.emptyState.hidden = !empty;
    this.list.element.hidden = empty;
  }

  /** The menus' options with their counts (kept by the model); options are rebuilt only when the values change. */
  private rebuildMenus(): void {
    const rebuild = this.model.facetsChanged;
    this.model.facetsChanged = false;
    for (const facet of Object.keys(this.selects) as Facet[]) {
      const select = this.selects[facet];
      const chosen = this.filters[facet] ?? '';
      let values = this.model.values(facet);
      if (facet === 'check') {
        select.hidden = values.every((v) => v === '') && !chosen; // nothing checked yet
        // In the contract's order, "Does not match" first; rows not checked yet ('') have no option of their own.
        values = [NOT_MATCHING, ...CHECK_STATUSES.filter((v) => values.includes(v))];
      }
      if (rebuild || select.options.length === 0) {
        const sorted = facet === 'check' ? values
          : values.sort((a, b) => (a === NO_NAME ? 1 : b === NO_NAME ? -1 : a.localeCompare(b)));
        if (chosen && !values.includes(chosen)) sorted.push(chosen);
        select.replaceChildren(
          el('option', { attrs: { value: '' } }),
          ...sorted.map((value) => el('option', { attrs: { value } })),
        );
      }
      if (select.value !== chosen) select.value = chosen; // filters cleared by a button or a reveal
      for (const option of Array.from(select.options)) {
        const text = option.value === '' ? `${this.allLabel(facet)} (${this.model.size})` : `${this.valueLabel(facet, option.value)} (${this.model.count(facet, option.value)})`;
        if (option.textContent !== text) option.textContent = text;
      }
    }
  }

  private allLabel(facet: Facet): string {
    return facet === 'eventName' ? 'All events' : facet === 'format' ? 'All formats' : 'Any status';
  }

  private valueLabel(facet: Facet, value: string): string {
    if (facet === 'eventName') return value === NO_NAME ? 'Not a Penpot event' : value;
    if (facet === 'format') return FORMAT_LABELS[value as EventRow['format']] ?? value;
    return value === NOT_MATCHING ? 'Does not match' : CHECK_LABELS[value as CheckStatus] ?? value;
  }

  private async clearFilters(): Promise<void> {
    this.filters = {};
    this.host.saveState({ eventName: '', format: '', check: '' });
    this.searchInput.value = '';
    await this.setSearch('');
  }

  /**
   * Searches at once, with no delay after typing; input during a search is folded into one more search when that
   * one is answered (the latest text), so fast typing never queues a search per key.
   */
  private async searchAsTyped(): Promise<void> {
    if (this.searching) {
      this.searchTyped = true;
      return;
    }
    this.searching = true;
    try {
      do {
        this.searchTyped = false;
        await this.setSearch(this.searchInput.value);
      } while (this.searchTyped);
    } finally {
      this.searching = false;
    }
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
    for (const id of found ?? []) if (this.model.has(id)) this.searchMatches.add(id);
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
    const detail = await this.call(() => this.host.request('getDetail', { id }));
    if (generation !== this.detailGeneration) return;
    // A large body's payload comes as JSON text, parsed here rather than serialized by the extension host.
    const event = detail?.decodedJson === undefined ? detail?.event : { ...detail.event, decoded: JSON.parse(detail.decodedJson) as DecodedPayload };
    if (detail && event) this.detail.show(event, detail.check);
    else this.detail.showPlaceholder('This event is no longer stored.');
  }

  private async reveal(id: string): Promise<void> {
    const row = this.model.get(id);
    this.pendingReveal = row ? undefined : id;
    if (!row) return;
    if (!rowMatches(row, this.filters, this.searchMatches)) {
      this.filters = {};
      this.searchInput.value = '';
      this.host.saveState({ eventName: '', format: '', check: '' });
      await this.setSearch('');
    }
    // The list takes the new rows in the next frame; select after it.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    this.redraw();
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
