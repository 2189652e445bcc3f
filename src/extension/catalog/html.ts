// The catalog's HTML shell: the panels' one (the page holds no data; the script builds everything with text nodes).
import { webviewShellHtml, type ViewerAssets } from '../viewer/html';

export function catalogHtml(assets: ViewerAssets, nonce: string): string {
  return webviewShellHtml(assets, nonce, 'Penpot Webhook Events');
}
