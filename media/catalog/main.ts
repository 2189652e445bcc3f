// The event catalog webview: the 24 events on the left (grouped by subject, with a filter), the selected one on the
// right (what causes it, who it reaches, its debounce, its fields per payload shape, schema, examples and type).
// Everything shown is inserted as text (media/viewer/dom.ts); the host generates what needs the generator.
import type { PayloadShape } from '../../src/penpot/catalog';
import {
  EXAMPLE_TABS,
  type CatalogHostMessage, type CopyWhat, type EventDetail, type EventView, type ExampleTab, type FieldView, type ShapeView, type SimulateFormat,
} from '../../src/extension/catalog/protocol';
import { button, clear, el, icon } from '../viewer/dom';
import { CatalogHost } from './host';
import { indentTransit } from './transitFormat';

const TAB_LABELS: Record<ExampleTab, string> = { json: 'JSON example', transit: 'Transit example', schema: 'JSON Schema', type: 'TypeScript' };

interface Model {
  events: EventView[];
  shapes: ShapeView[];
  shape: PayloadShape;
  selected?: string;
  filter: string;
  tab: ExampleTab;
  format: SimulateFormat;
  detail?: EventDetail;
}

const host = new CatalogHost((message) => onHostMessage(message));
const saved = host.state;
const model: Model = {
  events: [], shapes: [], shape: saved.shape ?? '2.15+', filter: saved.filter ?? '', tab: saved.tab ?? 'json', format: saved.format ?? 'json',
  ...(saved.selected ? { selected: saved.selected } : {}),
};

// ---- layout -----------------------------------------------------------------------------------------------------

const filterInput = el('input', { attrs: { id: 'filter', type: 'search', placeholder: 'Filter events or props', 'aria-label': 'Filter events', spellcheck: 'false' } });
const count = el('span', { className: 'count muted', attrs: { id: 'count' } });
const list = el('div', { className: 'event-list', attrs: { id: 'event-list', role: 'listbox', 'aria-label': 'Penpot webhook events' } });
const noMatch = el('div', { className: 'no-match muted', attrs: { id: 'no-match' } }, [icon('search'), el('span', { text: 'No event matches the filter.' })]);
noMatch.hidden = true;
const shapeSelect = el('select', { attrs: { id: 'shape', 'aria-label': 'Payload shape' } });
const generateButton = button('symbol-interface', 'Generate Types…', { id: 'generate-types', title: 'Write the types of all 24 events, in this payload shape, into a .ts file' });
generateButton.addEventListener('click', () => void host.request('generateTypes', { shape: model.shape }));
const detailPane = el('section', { className: 'detail', attrs: { id: 'detail', 'aria-live': 'polite' } });

const app = document.getElementById('app')!;
app.append(
  el('header', { className: 'toolbar' }, [
    el('span', { className: 'toolbar-title', text: 'Penpot webhook events' }),
    el('span', { className: 'spacer' }),
    el('label', { className: 'muted', text: 'Payload shape', attrs: { for: 'shape' } }),
    shapeSelect,
    generateButton,
  ]),
  el('div', { className: 'split' }, [
    el('nav', { className: 'list-pane' }, [
      el('div', { className: 'filters' }, [filterInput, count]), list, noMatch,
      el('p', { className: 'provenance muted', attrs: { id: 'provenance' } }, [
        icon('info'), el('span', { text: "Read from Penpot's source code: Penpot publishes no webhook documentation." }),
      ]),
    ]),
    detailPane,
  ]),
);
filterInput.value = model.filter;

// ---- host messages ----------------------------------------------------------------------------------------------

function onHostMessage(message: Exclude<CatalogHostMessage, { type: 'reply' }>): void {
  if (message.type === 'init') {
    model.events = message.events;
    model.shapes = message.shapes;
    if (!message.shapes.some((s) => s.shape === model.shape)) model.shape = message.defaultShape;
    const wanted = message.select ?? model.selected;
    model.selected = message.events.some((e) => e.name === wanted) ? wanted : message.events[0]?.name;
    drawShapes();
    drawList();
    void showSelected();
  } else if (message.type === 'select') {
    if (!model.events.some((e) => e.name === message.name)) return;
    // A filter that hides the asked-for event would leave the list and the detail disagreeing.
    if (!matches(model.events.find((e) => e.name === message.name)!, model.filter)) setFilter('');
    select(message.name);
  }
}

// ---- list -------------------------------------------------------------------------------------------------------

function matches(event: EventView, filter: string): boolean {
  const haystack = [event.name, event.description, event.group, event.routingKey, ...event.props.flatMap((p) => [p.name, p.transitName])].join('\n').toLowerCase();
  return filter.toLowerCase().split(/\s+/).filter(Boolean).every((term) => haystack.includes(term));
}

function drawShapes(): void {
  clear(shapeSelect);
  for (const s of model.shapes) {
    const option = el('option', { text: `${s.versions} (${s.shape})`, title: s.description, attrs: { value: s.shape } });
    option.selected = s.shape === model.shape;
    shapeSelect.append(option);
  }
}

function drawList(): void {
  clear(list);
  let shown = 0;
  let group: string | undefined;
  let groupNode: HTMLElement | undefined;
  for (const event of model.events) {
    if (!matches(event, model.filter)) continue;
    if (event.group !== group) {
      group = event.group;
      groupNode = el('div', { className: 'group', attrs: { role: 'group', 'aria-label': group } }, [el('div', { className: 'group-title', text: group })]);
      list.append(groupNode);
    }
    shown++;
    const item = el('div', {
      className: `event-item${event.name === model.selected ? ' selected' : ''}`,
      attrs: { role: 'option', 'data-name': event.name, tabindex: event.name === model.selected ? '0' : '-1', 'aria-selected': String(event.name === model.selected) },
      title: event.description,
    }, [
      el('span', { className: 'event-name', text: event.name }),
      el('span', { className: 'event-badges' }, [
        event.reachesNobody ? el('span', { className: 'codicon codicon-warning warn', title: event.reachesNobody, attrs: { 'aria-label': 'Sometimes reaches no webhook' } }) : null,
        event.debounced ? el('span', { className: 'badge', text: 'debounced' }) : null,
        el('span', { className: 'routing muted', text: event.routingKey }),
      ]),
    ]);
    groupNode!.append(item);
  }
  count.textContent = model.filter ? `${shown} of ${model.events.length}` : `${model.events.length} events`;
  noMatch.hidden = shown > 0;
}

function setFilter(value: string): void {
  model.filter = value;
  filterInput.value = value;
  host.saveState({ filter: value });
  drawList();
}

function select(name: string): void {
  if (model.selected === name && model.detail?.name === name) return;
  model.selected = name;
  host.saveState({ selected: name });
  for (const item of list.querySelectorAll<HTMLElement>('.event-item')) {
    const on = item.dataset.name === name;
    item.classList.toggle('selected', on);
    item.setAttribute('aria-selected', String(on));
    item.tabIndex = on ? 0 : -1;
  }
  void showSelected();
}

function visibleNames(): string[] {
  return [...list.querySelectorAll<HTMLElement>('.event-item')].map((item) => item.dataset.name ?? '');
}

filterInput.addEventListener('input', () => setFilter(filterInput.value));
filterInput.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown' || event.key === 'Enter') {
    const first = visibleNames()[0];
    if (first === undefined) return;
    event.preventDefault();
    select(visibleNames().includes(model.selected ?? '') ? model.selected! : first);
    list.querySelector<HTMLElement>('.event-item.selected')?.focus();
  }
});
list.addEventListener('click', (event) => {
  const item = (event.target as HTMLElement).closest<HTMLElement>('.event-item');
  if (item?.dataset.name) select(item.dataset.name);
});
list.addEventListener('keydown', (event) => {
  const names = visibleNames();
  const at = names.indexOf(model.selected ?? '');
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: names.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  if (next < 0) {
    filterInput.focus();
    return;
  }
  const name = names[Math.min(next, names.length - 1)];
  if (name === undefined) return;
  select(name);
  const item = list.querySelector<HTMLElement>('.event-item.selected');
  item?.focus();
  item?.scrollIntoView({ block: 'nearest' });
});
shapeSelect.addEventListener('change', () => {
  model.shape = shapeSelect.value as PayloadShape;
  host.saveState({ shape: model.shape });
  void showSelected();
});

// ---- detail -----------------------------------------------------------------------------------------------------

let detailRequest = 0;
const statusLine = el('div', { className: 'action-status', attrs: { id: 'action-status', role: 'status' } });

async function showSelected(): Promise<void> {
  const event = model.events.find((e) => e.name === model.selected);
  if (!event) {
    clear(detailPane);
    detailPane.append(el('p', { className: 'placeholder', text: 'Select an event.' }));
    return;
  }
  const request = ++detailRequest;
  const shape = model.shape;
  drawDetail(event, model.detail?.name === event.name && model.detail.shape === shape ? model.detail : undefined);
  try {
    const detail = await host.request('getDetail', { name: event.name, shape });
    if (request !== detailRequest) return;
    model.detail = detail;
    drawDetail(event, detail);
  } catch (error) {
    if (request === detailRequest) showStatus(false, `Could not generate the examples: ${(error as Error).message}`);
  }
}

function chip(text: string, className = '', title?: string): HTMLElement {
  return el('span', { className: `chip ${className}`.trim(), text, ...(title ? { title } : {}) });
}

function fieldsTable(fields: FieldView[], id: string, caption: string, note?: string): HTMLTableElement {
  const head = el('tr', {}, ['Name', 'Type (JSON)', 'Transit', 'Optional', 'Description'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })));
  const rows = fields.map((f) => el('tr', { attrs: { 'data-field': f.name } }, [
    el('td', { className: 'field-name' }, [el('code', { text: f.name }), f.transitName !== f.name ? el('div', { className: 'muted transit-key', text: `~:${f.transitName}` }) : null]),
    el('td', { className: 'type' }, [el('code', { text: f.jsonType })]),
    el('td', { className: 'type muted', text: f.transitType }),
    el('td', { className: f.optional ? 'optional' : 'muted', text: f.optional ? 'optional' : '—' }),
    el('td', { text: f.description }),
  ]));
  const title = el('caption', {}, [el('span', { className: 'caption-title', text: caption }), note ? el('span', { className: 'caption-note muted', text: note }) : null]);
  return el('table', { className: 'fields', attrs: { id } }, [title, el('thead', {}, [head]), el('tbody', {}, rows)]);
}

function exampleText(detail: EventDetail, tab: ExampleTab): string {
  switch (tab) {
    case 'json': return detail.jsonExample;
    case 'transit': return indentTransit(detail.transitExample);
    case 'schema': return detail.schema;
    case 'type': return detail.type;
  }
}

function drawDetail(event: EventView, detail: EventDetail | undefined): void {
  const shapeInfo = model.shapes.find((s) => s.shape === model.shape);
  clear(detailPane);
  detailPane.classList.toggle('loading', detail === undefined);

  const formatSelect = el('select', { attrs: { id: 'simulate-format', 'aria-label': 'Format to simulate' } }, (['json', 'transit'] as const).map((f) => {
    const option = el('option', { text: f === 'json' ? 'JSON' : 'Transit', attrs: { value: f } });
    option.selected = f === model.format;
    return option;
  }));
  formatSelect.addEventListener('change', () => {
    model.format = formatSelect.value === 'transit' ? 'transit' : 'json';
    host.saveState({ format: model.format });
  });
  const simulate = button('beaker', 'Simulate', { id: 'simulate', title: `Send a generated ${event.name} to the local webhook receiver` });
  simulate.classList.add('primary');
  simulate.addEventListener('click', () => void runSimulate(event.name, simulate));
  const copyButton = (id: string, iconName: string, label: string, what: () => CopyWhat, title: string): HTMLButtonElement => {
    const b = button(iconName, label, { id, title });
    b.addEventListener('click', () => void copy(event.name, what()));
    return b;
  };

  const tabs = el('div', { className: 'tabs', attrs: { role: 'tablist' } });
  const pre = el('pre', { className: 'code', attrs: { id: 'example', role: 'tabpanel', tabindex: '0' } });
  const note = el('p', { className: 'muted code-note', attrs: { id: 'example-note' } });
  const drawTab = (): void => {
    for (const b of tabs.querySelectorAll<HTMLElement>('.tab')) {
      const on = b.dataset.tab === model.tab;
      b.classList.toggle('active', on);
      b.setAttribute('aria-selected', String(on));
    }
    pre.textContent = detail ? exampleText(detail, model.tab) : 'Generating…';
    note.textContent = {
      json: 'One generated payload, as Penpot writes it to a JSON webhook: camelCase keys, indented.',
      transit: "The same payload as Penpot's compact Transit, indented here for reading. ^0, ^1… are Transit cache codes for keys seen before.",
      schema: 'JSON Schema (draft 2020-12) of the JSON form in this payload shape.',
      type: 'The declarations "Generate Webhook Types" writes for this event.',
    }[model.tab];
  };
  for (const tab of EXAMPLE_TABS) {
    const b = el('button', { className: 'tab', text: TAB_LABELS[tab], attrs: { id: `tab-${tab}`, role: 'tab', 'data-tab': tab, type: 'button' } });
    b.addEventListener('click', () => {
      model.tab = tab;
      host.saveState({ tab });
      drawTab();
    });
    tabs.append(b);
  }
  drawTab();

  detailPane.append(
    el('div', { className: 'detail-header' }, [
      el('h1', { className: 'detail-title', text: event.name }),
      el('p', { className: 'description', attrs: { id: 'description' }, text: event.description }),
      el('div', { className: 'chips' }, [
        chip(event.group),
        chip(`routed by ${event.routingKey}`),
        event.debounced ? chip('debounced', 'warn') : null,
        event.streamed ? chip('fires when the stream starts', '', 'A streamed method: the event is sent when it starts, even if the work later fails.') : null,
      ]),
    ]),
    el('div', { className: 'detail-actions' }, [
      simulate, formatSelect,
      copyButton('copy-type', 'symbol-interface', 'Copy Type', () => 'type', `Copy the TypeScript interface ${event.name} payloads have`),
      copyButton('copy-schema', 'json', 'Copy Schema', () => 'schema', 'Copy the JSON Schema'),
      copyButton('copy-example', 'copy', 'Copy Example', () => (model.tab === 'transit' ? 'transit-example' : 'json-example'),
        'Copy the example shown (Transit when the Transit tab is open, else JSON)'),
    ]),
    statusLine,
    el('div', { className: 'detail-body' }, [
      el('dl', { className: 'facts' }, [
        el('dt', { text: 'Who gets it' }),
        el('dd', { attrs: { id: 'reaches' } }, [
          el('span', { text: event.reaches }),
          event.reachesNobody ? el('div', { className: 'notice', attrs: { id: 'reaches-nobody' } }, [icon('warning'), el('span', { text: event.reachesNobody })]) : null,
        ]),
        el('dt', { text: 'Debounce' }),
        el('dd', { attrs: { id: 'debounce' }, text: event.debounce }),
      ]),
      fieldsTable(event.props, 'props', 'props', 'What this event carries; the same in every payload shape.'),
      fieldsTable(detail?.fields ?? [], 'top-fields', `Around them · ${shapeInfo ? shapeInfo.versions : model.shape}`, shapeInfo?.description),
      el('div', { className: 'examples' }, [tabs, note, pre]),
      el('p', { className: 'muted source' }, [
        el('span', { text: "Derived from Penpot's source, not from documentation (there is none for webhooks): " }),
        el('code', { text: event.source }),
      ]),
    ]),
  );
}

let statusTimer: ReturnType<typeof setTimeout> | undefined;

function showStatus(ok: boolean, text: string, action?: HTMLElement): void {
  clear(statusLine);
  statusLine.className = `action-status ${ok ? 'ok' : 'bad'}`;
  statusLine.append(icon(ok ? 'check' : 'error'), el('span', { text }));
  if (action) statusLine.append(action);
  if (statusTimer) clearTimeout(statusTimer);
  // A confirmation fades after a while; an error stays until the next action.
  if (ok && !action) statusTimer = setTimeout(() => clear(statusLine), 6000);
}

async function copy(name: string, what: CopyWhat): Promise<void> {
  try {
    showStatus(true, await host.request('copy', { name, shape: model.shape, what }));
  } catch (error) {
    showStatus(false, (error as Error).message);
  }
}

async function runSimulate(name: string, trigger: HTMLButtonElement): Promise<void> {
  trigger.disabled = true;
  try {
    const outcome = await host.request('simulate', { name, shape: model.shape, format: model.format });
    let action: HTMLElement | undefined;
    if (outcome.ok) {
      const open = el('button', { className: 'link', text: 'Show in viewer', attrs: { id: 'show-in-viewer', type: 'button' } });
      open.addEventListener('click', () => void host.request('openViewer', outcome.eventId ? { eventId: outcome.eventId } : {}));
      action = open;
    }
    showStatus(outcome.ok, outcome.message, action);
  } catch (error) {
    showStatus(false, (error as Error).message);
  } finally {
    trigger.disabled = false;
  }
}

host.ready();
