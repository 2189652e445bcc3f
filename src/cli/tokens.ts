// `tokens list|create|delete`: the user's personal access tokens.
import { TOKEN_EXPIRIES, isTokenExpiry } from '../penpot/client';
import type { AccessToken } from '../penpot/types';
import { UsageError, requiredOption, stringOption, type CliCommand } from './command';
import { escapeControl, isoDay, printList } from './table';

function expiryText(token: AccessToken, now: number): string {
  if (token.expiresAt === null) return 'never';
  const expired = Date.parse(token.expiresAt) <= now;
  return `${isoDay(token.expiresAt)}${expired ? ' (expired)' : ''}`;
}

export const tokensListCommand: CliCommand = {
  name: 'tokens list',
  synopsis: '',
  summary: 'List your personal access tokens (never their values)',
  async run(ctx) {
    const tokens = await ctx.penpot().getAccessTokens();
    const now = Date.now();
    printList(ctx, tokens, 'No access tokens.', ['ID', 'NAME', 'EXPIRES', 'CREATED'],
      (t) => [t.id, t.name, expiryText(t, now), t.createdAt ? isoDay(t.createdAt) : '']);
  },
};

export const tokensCreateCommand: CliCommand = {
  name: 'tokens create',
  synopsis: `--name NAME [--expires ${TOKEN_EXPIRIES.join('|')}]`,
  summary: 'Create an access token and print its value once',
  details: ['--expires is in days; the default is never.'],
  options: { name: { type: 'string' }, expires: { type: 'string' } },
  async run(ctx) {
    const name = requiredOption(ctx, 'name');
    const expires = stringOption(ctx, 'expires') ?? 'never';
    if (!isTokenExpiry(expires)) throw new UsageError(`--expires must be one of ${TOKEN_EXPIRIES.join(', ')}.`);
    const created = await ctx.penpot().createAccessToken(name, expires);
    if (ctx.json) {
      ctx.printJson(created);
      return;
    }
    const expiry = created.expiresAt ? `expires on ${isoDay(created.expiresAt)}` : 'has no expiration date';
    ctx.print(escapeControl(`Created access token "${created.name}" (${created.id}); it ${expiry}.`));
    ctx.note('Copy the token now: Penpot never shows it again.');
    ctx.print(created.token);
  },
};

export const tokensDeleteCommand: CliCommand = {
  name: 'tokens delete',
  synopsis: 'ID',
  summary: 'Delete an access token',
  details: ['Penpot reports success even for an unknown id.'],
  positionals: ['ID'],
  async run(ctx) {
    const [id] = ctx.positionals;
    await ctx.penpot().deleteAccessToken(id);
    if (ctx.json) ctx.printJson({ deleted: id });
    else ctx.print(`Deleted access token ${id}.`);
  },
};
