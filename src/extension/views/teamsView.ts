import type { PenpotApi } from '../../penpot/api';
import type { Webhook } from '../../penpot/types';
import type { Account, SignedInAccount } from '../account/account';
import type { PenpotLog } from '../common/log';
import { errorMessage } from '../../common/errors';
import { LoadableTree, type DataContext } from './loadableTree';
import { MessageNode, TeamNode, WebhookNode, type TeamEntry } from './nodes';
import { Command } from '../registry';
import { ContextKey, ViewId } from '../registry';

export type TeamsTreeNode = TeamNode | WebhookNode;

/** Teams → their webhooks. Every team's webhooks load in parallel, so each team row can show its "n/8" count. */
export class TeamsTreeProvider extends LoadableTree<TeamEntry[], TeamsTreeNode> {
  constructor(account: Account, log: PenpotLog) {
    super(ViewId.teams, 'teams', ContextKey.teamsUnreachable, account, log);
  }

  protected async fetch(api: PenpotApi): Promise<TeamEntry[]> {
    const teams = await api.getTeams();
    return Promise.all(teams.map((team) => this.loadEntry(api, team.id, team)));
  }

  private async loadEntry(api: PenpotApi, teamId: string, team: TeamEntry['team']): Promise<TeamEntry> {
    try {
      return { team, webhooks: await api.getWebhooks(teamId) };
    } catch (error) {
      this.log.warn(ViewId.teams, `loading the webhooks of ${team.name} failed: ${errorMessage(error)}`);
      return { team, error: errorMessage(error) };
    }
  }

  protected rootNodes(entries: TeamEntry[]): TeamNode[] {
    return entries.map((entry) => new TeamNode(entry));
  }

  protected override childNodes(element: TeamsTreeNode): Array<TeamsTreeNode | MessageNode> {
    if (!(element instanceof TeamNode)) return [];
    const { team, webhooks, error } = element.entry;
    if (!webhooks) {
      return [new MessageNode(`Could not load webhooks: ${error ?? 'unknown error'}`, {
        id: `team:${team.id}:error`, kind: 'error', detail: error, command: { command: Command.refresh, title: 'Retry' },
      })];
    }
    if (webhooks.length === 0) {
      return [new MessageNode('No webhooks created so far.', { id: `team:${team.id}:empty`, kind: 'empty' })];
    }
    const profileId = this.state.kind === 'loaded' ? this.state.account.profile.id : '';
    return webhooks.map((webhook) => new WebhookNode(team, webhook, profileId));
  }

  protected dataContext(entries: TeamEntry[] | undefined): DataContext {
    return { [ContextKey.teamsEmpty]: entries !== undefined && entries.length === 0 };
  }

  /** The loaded teams, for commands that pick one. */
  get entries(): TeamEntry[] {
    return this.state.kind === 'loaded' ? this.state.data : [];
  }

  findTeam(teamId: string): TeamEntry | undefined {
    return this.entries.find((e) => e.team.id === teamId);
  }

  findWebhook(webhookId: string): { entry: TeamEntry; webhook: Webhook } | undefined {
    for (const entry of this.entries) {
      const webhook = entry.webhooks?.find((w) => w.id === webhookId);
      if (webhook) return { entry, webhook };
    }
    return undefined;
  }

  /** Reloads one team's webhooks after a change made to them. */
  async refreshTeam(teamId: string): Promise<void> {
    const account = this.account.signedIn;
    const entry = this.findTeam(teamId);
    if (!account || !entry) return this.refresh();
    const fresh = await this.loadEntry(account.api, teamId, entry.team);
    this.update((entries) => entries.map((e) => (e.team.id === teamId ? fresh : e)));
  }

  /** The account the loaded data belongs to. */
  get loadedFor(): SignedInAccount | undefined {
    return this.state.kind === 'loaded' ? this.state.account : undefined;
  }
}
