// The webview's side of the protocol: the VS Code API handle, typed requests with promise replies, and state.
import type {
  HostMessage, RequestMethod, ViewerMessage, ViewerRequests, ViewerState,
} from '../../src/extension/viewer/protocol';

interface VsCodeApi {
  postMessage(message: ViewerMessage): void;
  getState(): ViewerState | undefined;
  setState(state: ViewerState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type HostListener = (message: Exclude<HostMessage, { type: 'reply' }>) => void;

export class HostConnection {
  private readonly api = acquireVsCodeApi();
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly listener: HostListener) {
    window.addEventListener('message', (event: MessageEvent<HostMessage>) => this.onMessage(event.data));
  }

  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  request<M extends RequestMethod>(method: M, params: ViewerRequests[M]['params']): Promise<ViewerRequests[M]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      this.api.postMessage({ type: 'request', requestId, method, params } as ViewerMessage);
    });
  }

  get state(): ViewerState {
    return this.api.getState() ?? {};
  }

  saveState(patch: Partial<ViewerState>): void {
    this.api.setState({ ...this.state, ...patch });
  }

  private onMessage(message: HostMessage): void {
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
