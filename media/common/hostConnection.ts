// A webview's side of its protocol with the extension host: the VS Code API handle, typed requests with promise
// replies, and the saved state. Each panel (viewer, catalog) names its own message types; the mechanism is this one.

/** What every panel's host sends back for a request. */
type Reply =
  | { type: 'reply'; requestId: number; ok: true; result: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string };

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

/**
 * `Requests`: method → { params, result }. `FromHost`: what the host posts (its replies included). `ToHost`: what the
 * webview posts, of which `ready` and `request` are built here.
 */
export class HostConnection<
  Requests extends { [M in keyof Requests]: { params: unknown; result: unknown } },
  FromHost extends { type: string },
  ToHost extends { type: string },
  State extends object,
> {
  private readonly api = acquireVsCodeApi<State>();
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly listener: (message: Exclude<FromHost, { type: 'reply' }>) => void) {
    window.addEventListener('message', (event: MessageEvent<FromHost>) => this.onMessage(event.data));
  }

  /** `details`: what the panel's `ready` says besides its type (the viewer: the rows its first screen shows). */
  ready(details?: Omit<Extract<ToHost, { type: 'ready' }>, 'type'>): void {
    this.post({ ...details, type: 'ready' } as ToHost);
  }

  request<M extends keyof Requests & string>(method: M, params: Requests[M]['params']): Promise<Requests[M]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post({ type: 'request', requestId, method, params } as unknown as ToHost);
    });
  }

  get state(): State {
    return this.api.getState() ?? ({} as State);
  }

  saveState(patch: Partial<State>): void {
    this.api.setState({ ...this.state, ...patch });
  }

  private post(message: ToHost): void {
    this.api.postMessage(message);
  }

  private onMessage(message: FromHost): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'reply') {
      const reply = message as unknown as Reply;
      const waiter = this.pending.get(reply.requestId);
      if (!waiter) return;
      this.pending.delete(reply.requestId);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
      return;
    }
    this.listener(message as Exclude<FromHost, { type: 'reply' }>);
  }
}
