// "Penpot: Generate Webhook Types": writes the TypeScript types of Penpot's webhook payloads (the generator the CLI's
// `events types` prints, src/penpot/typesGen.ts) into the workspace, or opens them as an untitled document.
import * as vscode from 'vscode';
import { PAYLOAD_SHAPES, PENPOT_EVENTS, shapeForVersion, type PayloadShape } from '../../penpot/catalog';
import { generateWebhookTypes } from '../../penpot/typesGen';
import { confirmModal } from '../common/confirm';
import { registerCommand } from '../common/commands';
import { Command } from '../registry';
import { errorMessage } from '../../common/errors';
import { pickStep, runSteps, type Step } from '../common/quickInput';
import { CANCELLED, failure, isOptions, type CommandResult, type Services } from '../services';
import { DEFAULT_SHAPE, SHAPE_VERSIONS, shapeDescription } from './catalogData';

const COMPONENT = 'events.generateTypes';
const TITLE = 'Generate Penpot Webhook Types';
/** Where the types go by default, relative to the workspace folder. */
export const DEFAULT_TYPES_PATH = 'src/penpot-webhooks.ts';

export interface GenerateTypesOptions {
  /** The file to write (a path or Uri), or "untitled" for an untitled document. Absent: asked. */
  uri?: string | vscode.Uri;
  /** The payload shape, e.g. "2.15+"; or `penpotVersion`. Absent: asked, 2.15+ first. */
  shape?: PayloadShape;
  /** A Penpot version ("2.13") whose shape to use. */
  penpotVersion?: string;
  /** Replace an existing file with other content without asking (true) or leave it (false). Absent: asked. */
  overwrite?: boolean;
}

export type GenerateTypesResult = CommandResult<{
  uri: string;
  shape: PayloadShape;
  events: number;
  /** What happened to the file: written new, replaced, already held these types, or an untitled document. */
  outcome: 'created' | 'replaced' | 'unchanged' | 'untitled';
}>;

const UNTITLED = 'untitled';
const CHOOSE = 'choose';

interface PlaceItem extends vscode.QuickPickItem {
  place: vscode.Uri | typeof CHOOSE | typeof UNTITLED;
}

interface ShapeItem extends vscode.QuickPickItem {
  shape: PayloadShape;
}

function optionUri(uri: string | vscode.Uri): vscode.Uri | typeof UNTITLED {
  if (uri instanceof vscode.Uri) return uri;
  if (uri === UNTITLED) return UNTITLED;
  return /^[a-z][\w+.-]+:\/\//i.test(uri) ? vscode.Uri.parse(uri) : vscode.Uri.file(uri);
}

function placeItems(): PlaceItem[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const multiRoot = folders.length > 1;
  return [
    ...folders.map((folder): PlaceItem => ({
      place: vscode.Uri.joinPath(folder.uri, DEFAULT_TYPES_PATH), label: `$(file-code) ${DEFAULT_TYPES_PATH}`,
      description: multiRoot ? folder.name : 'in the workspace',
    })),
    { place: CHOOSE, label: '$(folder-opened) Choose a file…', description: 'save dialog' },
    { place: UNTITLED, label: '$(new-file) Untitled document', description: 'save it yourself later' },
  ];
}

async function exists(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export async function generateTypes(services: Services, options: GenerateTypesOptions = {}): Promise<GenerateTypesResult> {
  if (options.shape !== undefined && !PAYLOAD_SHAPES.includes(options.shape)) {
    return failure(services, COMPONENT, `Unknown payload shape "${String(options.shape)}"; use one of ${PAYLOAD_SHAPES.join(', ')}.`);
  }
  if (options.penpotVersion !== undefined && !shapeForVersion(options.penpotVersion)) {
    return failure(services, COMPONENT, `Unknown Penpot version "${options.penpotVersion}"; give one like 2.17 or 2.13 (2.0 or later).`);
  }
  // What the options say, and then what the steps pick (kept in an object: narrowing does not follow the callbacks).
  const answers: { place?: PlaceItem['place']; shape?: PayloadShape } = {
    place: options.uri !== undefined ? optionUri(options.uri)
      // Without a workspace there is nowhere obvious to write: an untitled document, saved where the user likes.
      : !vscode.workspace.workspaceFolders?.length ? UNTITLED : undefined,
    shape: options.shape ?? (options.penpotVersion !== undefined ? shapeForVersion(options.penpotVersion) : undefined),
  };

  const steps: Step[] = [];
  const total = (answers.place ? 0 : 1) + (answers.shape ? 0 : 1);
  let step = 0;
  if (!answers.place) {
    const at = ++step;
    steps.push(() => pickStep({ title: TITLE, step: at, totalSteps: total, items: placeItems(), placeholder: 'Where should the types go?' },
      (picked) => { answers.place = picked.place; }));
  }
  if (!answers.shape) {
    const at = ++step;
    steps.push(() => {
      const items: ShapeItem[] = PAYLOAD_SHAPES.map((s) => ({
        shape: s, label: SHAPE_VERSIONS[s], description: s === DEFAULT_SHAPE ? 'current' : undefined, detail: shapeDescription(s),
      }));
      return pickStep({ title: TITLE, step: at, totalSteps: total, items, placeholder: 'Payloads of which Penpot version?' },
        (picked) => { answers.shape = picked.shape; });
    });
  }
  if (!(await runSteps(steps))) return CANCELLED;
  let place = answers.place;
  const shape = answers.shape;
  if (!place || !shape) return CANCELLED;

  if (place === CHOOSE) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen = await vscode.window.showSaveDialog({
      title: TITLE, saveLabel: 'Generate',
      defaultUri: folder ? vscode.Uri.joinPath(folder, DEFAULT_TYPES_PATH) : undefined,
      filters: { TypeScript: ['ts'] },
    });
    if (!chosen) return CANCELLED;
    place = chosen;
  }

  const source = generateWebhookTypes(shape);
  const done = { shape, events: PENPOT_EVENTS.length };
  if (place === UNTITLED) {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: source });
    await vscode.window.showTextDocument(document, { preview: false });
    return { ok: true, uri: document.uri.toString(), outcome: 'untitled', ...done };
  }

  const uri = place;
  const existing = await exists(uri);
  const outcome: 'created' | 'replaced' | 'unchanged' = existing === undefined ? 'created' : existing === source ? 'unchanged' : 'replaced';
  if (outcome === 'replaced') {
    const replace = options.overwrite ?? await confirmModal(
      `Replace ${vscode.workspace.asRelativePath(uri)}?`,
      'The file exists and holds something else. The generated types replace all of it.',
      'Replace',
    );
    if (!replace) return { ...CANCELLED, message: `Left ${vscode.workspace.asRelativePath(uri)} as it was.` };
  }
  try {
    if (outcome !== 'unchanged') {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(source));
    }
  } catch (error) {
    return failure(services, COMPONENT, `Could not write ${vscode.workspace.asRelativePath(uri)}: ${errorMessage(error)}`);
  }
  await vscode.window.showTextDocument(uri, { preview: false });
  services.log.info(COMPONENT, `${outcome} ${uri.toString()} (Penpot ${shape} shape)`);
  void vscode.window.setStatusBarMessage(`$(file-code) Penpot webhook types (${SHAPE_VERSIONS[shape]}) in ${vscode.workspace.asRelativePath(uri)}`, 5000);
  return { ok: true, uri: uri.toString(), outcome, ...done };
}

export function registerGenerateTypes(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(registerCommand(Command.generateTypes, (arg?: unknown) =>
    generateTypes(services, arg instanceof vscode.Uri ? { uri: arg } : isOptions<GenerateTypesOptions>(arg) ? arg : {})));
}
