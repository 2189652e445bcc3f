// The viewer's HTML shell. Everything it shows is built by the script with text nodes; the page itself holds no
// data, and the CSP allows only the bundled script (by nonce) and the extension's own stylesheet and font.
import { randomBytes } from 'node:crypto';

export interface ViewerAssets {
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  /** media/common/panel.css: the rules the three panels share, linked before the panel's own. */
  commonStyleUri: string;
  /** The panel's own stylesheet. */
  styleUri: string;
  codiconsUri: string;
}

/** A fresh nonce per page load, from the OS's CSPRNG (not Math.random: a guessable nonce weakens the CSP). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function attr(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ATTRIBUTE_ESCAPES[c]);
}

/**
 * The HTML shell of every panel of the extension (viewer, event catalog, doctor report): the CSP, the icon font,
 * the shared panel stylesheet then the panel's own (so it can override a shared rule), and its bundled script; the
 * script builds the page in the empty root element.
 */
export function webviewShellHtml(assets: ViewerAssets, nonce: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(assets.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(assets.codiconsUri)}">
<link rel="stylesheet" href="${attr(assets.commonStyleUri)}">
<link rel="stylesheet" href="${attr(assets.styleUri)}">
<title>${title.replace(/[&<>]/g, (c) => ATTRIBUTE_ESCAPES[c])}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(nonce)}" src="${attr(assets.scriptUri)}"></script>
</body>
</html>`;
}

export function viewerHtml(assets: ViewerAssets, nonce: string): string {
  return webviewShellHtml(assets, nonce, 'Penpot Webhooks');
}
