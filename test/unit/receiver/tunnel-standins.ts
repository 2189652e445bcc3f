// Stand-in executables of cloudflared and ngrok for the tests: small Node scripts on a temporary PATH that print what
// the real tools print (cloudflared's quick-tunnel banner on stderr; ngrok's JSON log lines on stdout), record their
// arguments, and stay up until they are stopped. They open no connection anywhere.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StandIns {
  dir: string;
  /** Where a stand-in writes its argv (JSON) when it starts and "stopped" when it gets SIGTERM. */
  logFile(tool: 'cloudflared' | 'ngrok'): string;
  cleanup(): void;
}

export const STANDIN_CLOUDFLARED_HOST = 'seasonal-deck-organisms-sf.trycloudflare.com';
export const STANDIN_NGROK_URL = 'https://3f2a-198-51-100-7.ngrok-free.app';

const CLOUDFLARED = `
const fs = require('node:fs');
const log = (process.env.STANDIN_LOG_DIR || require('node:path').dirname(process.argv[1])) + '/cloudflared.log';
fs.writeFileSync(log, JSON.stringify(process.argv.slice(2)) + '\\n');
process.on('SIGTERM', () => { fs.appendFileSync(log, 'stopped\\n'); process.exit(0); });
const t = new Date().toISOString().replace(/\\.\\d+Z$/, 'Z');
const say = (s) => process.stderr.write(t + ' INF ' + s + '\\n');
say('Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-networks');
say('Requesting new quick Tunnel on trycloudflare.com...');
setTimeout(() => {
  say('+--------------------------------------------------------------------------------------------+');
  say('|  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |');
  say('|  https://${STANDIN_CLOUDFLARED_HOST}                                      |');
  say('+--------------------------------------------------------------------------------------------+');
  say('Starting metrics server on 127.0.0.1:20241/metrics');
}, 150);
setInterval(() => {}, 1000);
`;

const NGROK = `
const fs = require('node:fs');
const log = (process.env.STANDIN_LOG_DIR || require('node:path').dirname(process.argv[1])) + '/ngrok.log';
fs.writeFileSync(log, JSON.stringify(process.argv.slice(2)) + '\\n');
process.on('SIGTERM', () => { fs.appendFileSync(log, 'stopped\\n'); process.exit(0); });
const t = new Date().toISOString();
const line = (o) => process.stdout.write(JSON.stringify({ t, ...o }) + '\\n');
line({ lvl: 'info', msg: 'open config file', path: '/home/user/.config/ngrok/ngrok.yml', err: '<nil>' });
line({ lvl: 'info', msg: 'starting web service', obj: 'web', addr: '127.0.0.1:4040', allow_hosts: [] });
if (process.env.STANDIN_NGROK_NO_AUTHTOKEN === '1') {
  line({ lvl: 'eror', msg: 'session closing', obj: 'tunnels.session', err: 'authentication failed: Usage of ngrok requires a verified account and authtoken.\\n\\nSign up for an account: https://dashboard.ngrok.com/signup\\nInstall your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken\\r\\n\\r\\nERR_NGROK_4018\\r\\n' });
  process.exit(1);
}
setTimeout(() => {
  line({ lvl: 'info', msg: 'client session established', obj: 'tunnels.session' });
  line({ lvl: 'info', msg: 'started tunnel', obj: 'tunnels', name: 'command_line', addr: 'http://localhost:' + process.argv[3], url: '${STANDIN_NGROK_URL}' });
}, 150);
setInterval(() => {}, 1000);
`;

/** Writes both stand-ins into a new temporary directory; put `dir` first on PATH (or give the path); logs go to STANDIN_LOG_DIR, default `dir`. */
export function writeStandIns(tools: ('cloudflared' | 'ngrok')[] = ['cloudflared', 'ngrok']): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'tunnel-standins-'));
  for (const tool of tools) {
    const file = join(dir, tool);
    writeFileSync(file, `#!${process.execPath}\n${tool === 'cloudflared' ? CLOUDFLARED : NGROK}`);
    chmodSync(file, 0o755);
  }
  return { dir, logFile: (tool) => join(dir, `${tool}.log`), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
