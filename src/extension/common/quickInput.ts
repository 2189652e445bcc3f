// Multi-step input in the style of VS Code's quickinput sample: numbered steps, a Back button from step 2 on,
// validation as you type, and an error from the server shown under the field it belongs to.
import * as vscode from 'vscode';
import { MTYPE_BY_FORMAT, type WebhookFormat } from '../../penpot/types';
import { formatName } from '../presentation';

const BACK = Symbol('back');
type Back = typeof BACK;

interface StepOptions {
  title: string;
  step: number;
  totalSteps: number;
}

export interface TextStepOptions extends StepOptions {
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  validate?: (value: string) => string | undefined;
  /** A message to show before the user types, e.g. why the server refused the previous value. */
  initialError?: string;
}

/**
 * Shows `input` and resolves with its first outcome: what `listen`'s handlers pass to `finish`, BACK from the Back
 * button, or undefined when the input is hidden. The input and every listener are disposed once it settles.
 */
function showUntilSettled<R>(
  input: Pick<vscode.InputBox, 'onDidTriggerButton' | 'onDidHide' | 'show' | 'dispose'>,
  listen: (finish: (value: R) => void) => vscode.Disposable[],
): Promise<R | Back | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: R | Back | undefined) => {
      if (settled) return;
      settled = true;
      for (const d of disposables) d.dispose();
      input.dispose();
      resolve(value);
    };
    const disposables = [
      ...listen(finish),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => finish(undefined)),
    ];
    input.show();
  });
}

/** Resolves to the accepted text, BACK, or undefined when the user dismissed the input. */
function askText(options: TextStepOptions): Promise<string | Back | undefined> {
  const input = vscode.window.createInputBox();
  input.title = options.title;
  input.step = options.step;
  input.totalSteps = options.totalSteps;
  input.prompt = options.prompt;
  input.value = options.value ?? '';
  input.placeholder = options.placeholder;
  input.password = options.password ?? false;
  input.ignoreFocusOut = true;
  input.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  input.validationMessage = options.initialError
    ? { message: options.initialError, severity: vscode.InputBoxValidationSeverity.Error }
    : undefined;
  return showUntilSettled<string>(input, (finish) => [
    input.onDidChangeValue((value) => {
      input.validationMessage = options.validate?.(value);
    }),
    input.onDidAccept(() => {
      const problem = options.validate?.(input.value);
      if (problem) {
        input.validationMessage = problem;
        return;
      }
      finish(input.value);
    }),
  ]);
}

export interface PickStepOptions<T extends vscode.QuickPickItem> extends StepOptions {
  placeholder: string;
  items: readonly T[];
  active?: T;
}

/** Resolves to the picked item, BACK, or undefined when the user dismissed the pick. */
function askPick<T extends vscode.QuickPickItem>(options: PickStepOptions<T>): Promise<T | Back | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.placeholder = options.placeholder;
  pick.items = options.items;
  pick.ignoreFocusOut = true;
  if (options.active) pick.activeItems = [options.active];
  pick.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return showUntilSettled<T>(pick, (finish) => [
    pick.onDidAccept(() => {
      const [item] = pick.selectedItems.length ? pick.selectedItems : pick.activeItems;
      if (item) finish(item);
    }),
  ]);
}

export interface FormatItem extends vscode.QuickPickItem {
  format: WebhookFormat;
}

/** The JSON and Transit payload choices, described by their content type; `details` says what each means where asked. */
export function formatItems(details?: Record<WebhookFormat, string>): FormatItem[] {
  return (['json', 'transit'] as const).map((format) => ({
    format, label: formatName(MTYPE_BY_FORMAT[format]), description: MTYPE_BY_FORMAT[format],
    ...(details ? { detail: details[format] } : {}),
  }));
}

export type StepOutcome = 'next' | 'back' | 'cancel';
export type Step = () => Promise<StepOutcome>;

/** What a step does with the answer: nothing returned means 'next'; an outcome redirects the flow. */
export type StepAccept<T> = (answer: T) => StepOutcome | void | Promise<StepOutcome | void>;

async function settleStep<T>(answer: Promise<T | Back | undefined>, accept: StepAccept<T>): Promise<StepOutcome> {
  const value = await answer;
  if (value === undefined) return 'cancel';
  if (value === BACK) return 'back';
  return (await accept(value)) ?? 'next';
}

/** One pick step for runSteps: dismissing the pick cancels, Back goes back, and the picked item goes to `accept`. */
export function pickStep<T extends vscode.QuickPickItem>(options: PickStepOptions<T>, accept: StepAccept<T>): Promise<StepOutcome> {
  return settleStep(askPick(options), accept);
}

/** One text step for runSteps, like pickStep: the accepted text goes to `accept`. */
export function textStep(options: TextStepOptions, accept: StepAccept<string>): Promise<StepOutcome> {
  return settleStep(askText(options), accept);
}

/**
 * Runs steps in order; a step returns 'next', 'back' (to the previous step) or 'cancel'. Resolves to true when
 * the last step went 'next'.
 */
export async function runSteps(steps: readonly Step[]): Promise<boolean> {
  let index = 0;
  while (index < steps.length) {
    const outcome = await steps[index]();
    if (outcome === 'cancel') return false;
    index = outcome === 'back' ? Math.max(0, index - 1) : index + 1;
  }
  return true;
}
