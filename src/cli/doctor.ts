// `doctor [--receiver-url URL] [--json]`: can Penpot reach the receiver, and will it send anything at all?
import { doctorExitCode, runDoctor, type DoctorCheck } from '../penpot/doctor';
import { UsageError, stringOption, type CliCommand } from './command';
import { isHttpUrl } from '../common/httpUrl';

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export const doctorCommand: CliCommand = {
  name: 'doctor',
  synopsis: '[--receiver-url URL]',
  summary: 'Check the server, its flags, the token, the public receiver URL and the webhooks pointing at it',
  details: [
    '--receiver-url is the public URL Penpot should call (e.g. a tunnel URL ending in /hooks/<secret>); it is',
    "probed with HEAD as Penpot does (200/204 within 3 s, from this project's receiver). PENPOT_TOKEN is optional.",
    'With --json prints {"checks":[{"id","status","title","detail","fix"?}]}. Exit 0 unless a check fails.',
  ],
  options: { 'receiver-url': { type: 'string' } },
  async run(ctx) {
    const receiverUrl = stringOption(ctx, 'receiver-url');
    if (receiverUrl !== undefined && !isHttpUrl(receiverUrl)) throw new UsageError('--receiver-url must be an http(s) URL.');
    const hasToken = (ctx.env.PENPOT_TOKEN ?? '').trim() !== '';
    const checks = await runDoctor({ serverUrl: ctx.serverUrl(), api: hasToken ? ctx.penpot() : undefined, publicReceiverUrl: receiverUrl });
    if (ctx.json) {
      ctx.printJson({ checks: checks.map(({ id, status, title, detail, fix }) => (fix === undefined ? { id, status, title, detail } : { id, status, title, detail, fix })) });
    } else {
      for (const check of checks) {
        ctx.print(`[${MARK[check.status]}] ${check.title}: ${check.detail}`);
        if (check.fix && check.status !== 'ok') ctx.print(`       fix: ${check.fix}`);
      }
    }
    return doctorExitCode(checks);
  },
};
