// The catalog webview's side of its protocol: the VS Code API handle, typed requests with promise replies, and state.
import type {
  CatalogHostMessage, CatalogMessage, CatalogRequestMethod, CatalogRequests, CatalogState,
} from '../../src/extension/catalog/protocol';

interface VsCodeApi {
  postMessage(message: CatalogMessage): void;
  getState(): CatalogState | undefined;
  setState(state: CatalogState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type HostListener = (message: Exclude<CatalogHostMessage, { type: 'reply' }>) => void;

export class CatalogHost {
  private readonly api = acquireVsCodeApi();
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly listener: HostListener) {
    window.addEventListener('message', (event: MessageEvent<CatalogHostMessage>) => this.onMessage(event.data));
  }

  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  request<M extends CatalogRequestMethod>(method: M, params: CatalogRequests[M]['params']): Promise<CatalogRequests[M]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      this.api.postMessage({ type: 'request', requestId, method, params } as CatalogMessage);
    });
  }

  get state(): CatalogState {
    return this.api.getState() ?? {};
  }

  saveState(patch: Partial<CatalogState>): void {
    this.api.setState({ ...this.state, ...patch });
  }

  private onMessage(message: CatalogHostMessage): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'reply') {
      const waiter = this.pending.get(message.requestId);
      if (!waiter) return;
      this.pending.delete(message.requestId);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
      return;
    }
    this.listener(message);
  }
}
