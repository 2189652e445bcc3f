// The catalog's HTML shell: the page holds no data (the script builds everything with text nodes), and the CSP is
// the viewer's: only the bundled script (by nonce) and the extension's own stylesheets and icon font.
import { contentSecurityPolicy, type ViewerAssets } from '../viewer/html';

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

function attr(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ATTRIBUTE_ESCAPES[c]);
}

export function catalogHtml(assets: ViewerAssets, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(assets.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(assets.codiconsUri)}">
<link rel="stylesheet" href="${attr(assets.styleUri)}">
<title>Penpot Webhook Events</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(nonce)}" src="${attr(assets.scriptUri)}"></script>
</body>
</html>`;
}
