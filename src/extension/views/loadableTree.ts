import * as vscode from 'vscode';
import type { PenpotApi } from '../../penpot/api';
import { isPenpotError } from '../../penpot/errors';
import type { Account, SignedInAccount } from '../account/account';
import { setContext } from '../common/contextKeys';
import { errorMessage } from '../../common/errors';
import { Disposable } from '../common/lifecycle';
import type { PenpotLog } from '../common/log';
import { MessageNode } from './nodes';
import { Command } from '../registry';
import { type ContextKeyName, type ViewIdName } from '../registry';

/** Context keys (registry.ts) describing a view's loaded data, e.g. "no teams". */
export type DataContext = Partial<Record<ContextKeyName, boolean>>;

export type LoadState<T> =
  | { kind: 'signed-out' }
  | { kind: 'idle' }
  | { kind: 'loaded'; data: T; account: SignedInAccount }
  | { kind: 'unreachable'; message: string }
  | { kind: 'failed'; message: string; unauthenticated: boolean };

/** Failures that mean "cannot talk to the server at all": the welcome view with Retry takes over. */
const UNREACHABLE_KINDS = new Set(['unreachable', 'timeout', 'tls', 'not-penpot']);

/**
 * A view whose content is loaded from Penpot for the signed-in account: loads lazily when first shown, shows view
 * progress while loading, lets the latest load win, and turns failures into a Retry node (or, when the server cannot
 * be reached, the welcome view plus the reason as the view's message) instead of pop-ups.
 */
export abstract class LoadableTree<T, N extends vscode.TreeItem> extends Disposable implements vscode.TreeDataProvider<N | MessageNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  protected state: LoadState<T> = { kind: 'signed-out' };
  private loading: Promise<void> | undefined;
  private generation = 0;
  private treeView: vscode.TreeView<N | MessageNode> | undefined;

  protected constructor(
    readonly viewId: ViewIdName,
    /** What the view lists, for messages: "teams", "access tokens". */
    private readonly subject: string,
    /** True while the server cannot be reached: the welcome view with Retry takes over. */
    private readonly unreachableKey: ContextKeyName,
    protected readonly account: Account,
    protected readonly log: PenpotLog,
  ) {
    super();
    this.register(account.onDidChange(() => this.reset()));
    this.reset();
  }

  /** Creates the tree view; separate from the constructor so tests can read the provider without a view. */
  createView(): vscode.TreeView<N | MessageNode> {
    this.treeView = this.register(vscode.window.createTreeView(this.viewId, { treeDataProvider: this, showCollapseAll: true }));
    return this.treeView;
  }

  protected abstract fetch(api: PenpotApi, account: SignedInAccount): Promise<T>;
  protected abstract rootNodes(data: T, account: SignedInAccount): Array<N | MessageNode>;
  /** Context keys describing the loaded data (e.g. "no teams"), set after every load. */
  protected abstract dataContext(data: T | undefined): DataContext;
  protected childNodes(_element: N): Array<N | MessageNode> {
    return [];
  }

  get current(): LoadState<T> {
    return this.state;
  }

  getTreeItem(element: N | MessageNode): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: N | MessageNode): Promise<Array<N | MessageNode>> {
    if (element) return element instanceof MessageNode ? [] : this.childNodes(element);
    await this.ensureLoaded();
    const state = this.state;
    switch (state.kind) {
      case 'loaded': return this.rootNodes(state.data, state.account);
      case 'failed': return [this.failureNode(state.message, state.unauthenticated)];
      default: return [];
    }
  }

  /** Waits for the data: the running load, or a first load. */
  async ensureLoaded(): Promise<void> {
    if (this.loading) await this.loading;
    else if (this.state.kind === 'idle') await this.refresh();
  }

  /** Reloads from Penpot; resolves when this (or a newer) load finished. */
  refresh(): Promise<void> {
    const account = this.account.signedIn;
    if (!account) {
      this.reset();
      return Promise.resolve();
    }
    const generation = ++this.generation;
    const load = vscode.window.withProgress({ location: { viewId: this.viewId } }, async () => {
      let next: LoadState<T>;
      try {
        next = { kind: 'loaded', data: await this.fetch(account.api, account), account };
      } catch (error) {
        next = this.failureState(error);
      }
      if (generation !== this.generation || account !== this.account.signedIn) return;
      this.applyState(next);
    });
    const tracked = Promise.resolve(load).finally(() => {
      if (this.loading === tracked) this.loading = undefined;
    });
    this.loading = tracked;
    return tracked;
  }

  /** Applies a change made by a command to the loaded data (no reload), then redraws. */
  protected update(mutate: (data: T) => T): void {
    if (this.state.kind !== 'loaded') return;
    this.applyState({ ...this.state, data: mutate(this.state.data) });
  }

  private failureState(error: unknown): LoadState<T> {
    const message = errorMessage(error);
    this.log.warn(this.viewId, `loading ${this.subject} failed: ${message}`);
    if (isPenpotError(error) && UNREACHABLE_KINDS.has(error.kind)) return { kind: 'unreachable', message };
    return { kind: 'failed', message, unauthenticated: isPenpotError(error) && error.kind === 'unauthenticated' };
  }

  private failureNode(message: string, unauthenticated: boolean): MessageNode {
    return new MessageNode(`Could not load ${this.subject}: ${message}`, {
      id: `${this.viewId}:error`,
      kind: 'error',
      detail: message,
      command: unauthenticated
        ? { command: Command.signIn, title: 'Sign In Again' }
        : { command: Command.refresh, title: 'Retry' },
    });
  }

  private reset(): void {
    this.generation++;
    this.applyState(this.account.signedIn ? { kind: 'idle' } : { kind: 'signed-out' });
  }

  private applyState(state: LoadState<T>): void {
    this.state = state;
    void setContext(this.unreachableKey, state.kind === 'unreachable');
    const data = this.dataContext(state.kind === 'loaded' ? state.data : undefined);
    for (const key of Object.keys(data) as ContextKeyName[]) void setContext(key, data[key]);
    if (this.treeView) this.treeView.message = state.kind === 'unreachable' ? state.message : undefined;
    this.changed.fire();
  }
}
