// The viewer webview's connection to its host (the mechanism: media/common/hostConnection.ts).
import type { HostMessage, ViewerMessage, ViewerRequests, ViewerState } from '../../src/extension/viewer/protocol';
import { HostConnection as Connection } from '../common/hostConnection';

export class HostConnection extends Connection<ViewerRequests, HostMessage, ViewerMessage, ViewerState> {}
