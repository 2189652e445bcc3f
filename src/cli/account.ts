// `whoami` and `teams`.
import { roleOf } from '../penpot/types';
import type { CliCommand } from './command';
import { escapeControl, printList } from './table';

export const whoamiCommand: CliCommand = {
  name: 'whoami',
  synopsis: '',
  summary: 'Show the Penpot profile the token belongs to',
  async run(ctx) {
    const profile = await ctx.penpot().getProfile();
    if (ctx.json) {
      ctx.printJson(profile);
      return;
    }
    const email = profile.email ? ` <${profile.email}>` : '';
    ctx.print(escapeControl(`${profile.fullname || '(no name)'}${email}`));
    ctx.print(`id:     ${escapeControl(profile.id)}`);
    ctx.print(`server: ${ctx.serverUrl()}`);
  },
};

export const teamsCommand: CliCommand = {
  name: 'teams',
  synopsis: '',
  summary: 'List your teams and your role in each',
  async run(ctx) {
    const teams = await ctx.penpot().getTeams();
    printList(ctx, teams, 'No teams.', ['ID', 'NAME', 'ROLE', 'DEFAULT'],
      (team) => [team.id, team.name, roleOf(team.permissions), team.isDefault ? 'yes' : '']);
  },
};
