// Multi-step input in the style of VS Code's quickinput sample: numbered steps, a Back button from step 2 on,
// validation as you type, and an error from the server shown under the field it belongs to.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type Back = typeof BACK;

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

/** Resolves to the accepted text, BACK, or undefined when the user dismissed the input. */
export function askText(options: TextStepOptions): Promise<string | Back | undefined> {
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
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: string | Back | undefined) => {
      if (settled) return;
      settled = true;
      disposables.forEach((d) => d.dispose());
      input.dispose();
      resolve(value);
    };
    const disposables = [
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
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => finish(undefined)),
    ];
    input.show();
  });
}

export interface PickStepOptions<T extends vscode.QuickPickItem> extends StepOptions {
  placeholder: string;
  items: readonly T[];
  active?: T;
}

/** Resolves to the picked item, BACK, or undefined when the user dismissed the pick. */
export function askPick<T extends vscode.QuickPickItem>(options: PickStepOptions<T>): Promise<T | Back | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.placeholder = options.placeholder;
  pick.items = options.items;
  pick.ignoreFocusOut = true;
  if (options.active) pick.activeItems = [options.active];
  pick.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: T | Back | undefined) => {
      if (settled) return;
      settled = true;
      disposables.forEach((d) => d.dispose());
      pick.dispose();
      resolve(value);
    };
    const disposables = [
      pick.onDidAccept(() => {
        const [item] = pick.selectedItems.length ? pick.selectedItems : pick.activeItems;
        if (item) finish(item);
      }),
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      pick.onDidHide(() => finish(undefined)),
    ];
    pick.show();
  });
}

/**
 * Runs steps in order; a step returns 'next', 'back' (to the previous step) or 'cancel'. Resolves to true when
 * the last step went 'next'.
 */
export async function runSteps(steps: ReadonlyArray<() => Promise<'next' | 'back' | 'cancel'>>): Promise<boolean> {
  let index = 0;
  while (index < steps.length) {
    const outcome = await steps[index]();
    if (outcome === 'cancel') return false;
    index = outcome === 'back' ? Math.max(0, index - 1) : index + 1;
  }
  return true;
}
