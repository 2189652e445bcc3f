// The catalog webview's connection to its host (the mechanism: media/common/hostConnection.ts).
import type { CatalogHostMessage, CatalogMessage, CatalogRequests, CatalogState } from '../../src/extension/catalog/protocol';
import { HostConnection } from '../common/hostConnection';

export class CatalogHost extends HostConnection<CatalogRequests, CatalogHostMessage, CatalogMessage, CatalogState> {}
