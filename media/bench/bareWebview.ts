// The page of the benchmark's bare webview (src/extension/viewer/barePanel.ts): says `ready`, then shows the count
// the host sends, with the same performance marks as the viewer, so that its open is VS Code's share of the viewer's.
// A bundled file like the viewer's own script (no inline script), loaded the same way.
export {}; // a module, so this declaration stays local to the file
declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent<{ type?: unknown; total?: unknown }>) => {
  if (event.data.type !== 'init') return;
  performance.mark('bare-init-received');
  const count = document.getElementById('bare-count');
  if (count) count.textContent = `${String(event.data.total)} events`;
  performance.mark('bare-count-shown');
});
performance.mark('bare-ready-posted');
vscode.postMessage({ type: 'ready' });
