// The project RPCs the twin needs for a real test delivery (issue 9): create-project, delete-project and
// get-projects, after Penpot's backend/src/app/rpc/commands/projects.clj. create-project and delete-project are
// webhook events routed by team-id; the twin answers first and delivers afterwards, as Penpot's audit → webhook
// worker does (§4.1). Projects live in a side table keyed by the twin's state, so the shared state type is untouched.
import { randomUUID } from 'node:crypto';
import type { TeamRole } from '../penpot/types';
import { instant, uuid } from '../transit/nodes';
import type { TransitMapObject, TransitNode } from '../transit/types';
import { objectNotFound, rpcError } from './errors';
import { Params } from './params';
import type { DeliveryResult, EmitOptions, TwinState } from './types';

export interface TwinProject {
  id: string;
  teamId: string;
  name: string;
  isDefault: boolean;
  createdAt: Date;
  modifiedAt: Date;
  /** Penpot soft-deletes: the row stays with deleted-at set until its garbage collector removes it. */
  deletedAt: Date | null;
}

/** What a project command needs beyond the twin's state: the delivery of its event. */
export interface ProjectCommandContext {
  state: TwinState;
  params: TransitMapObject;
  now: Date;
  /** Delivers an event to the team's active webhooks; absent, nothing is delivered. */
  emit?: (name: string, options: EmitOptions) => Promise<DeliveryResult[]>;
}

interface ProjectCommand {
  auth: boolean;
  run(ctx: ProjectCommandContext, profileId: string): { body: TransitNode | null };
}

const projectsByState = new WeakMap<TwinState, TwinProject[]>();

/** The twin's projects; every team has its default "Drafts" project, as Penpot creates with the team. */
export function projectsOf(state: TwinState): TwinProject[] {
  let projects = projectsByState.get(state);
  if (!projects) {
    projects = [];
    projectsByState.set(state, projects);
  }
  for (const team of state.teams) {
    if (!projects.some((p) => p.teamId === team.id && p.isDefault)) {
      projects.push({
        id: randomUUID(), teamId: team.id, name: 'Drafts', isDefault: true, createdAt: team.createdAt,
        modifiedAt: team.createdAt, deletedAt: null,
      });
    }
  }
  return projects;
}

function roleIn(state: TwinState, teamId: string, profileId: string): TeamRole | undefined {
  return state.memberships.find((m) => m.teamId === teamId && m.profileId === profileId)?.role;
}

/** `check-edition-permissions!`: owners, admins and editors; anyone else gets 404 object-not-found. */
function requireEditor(state: TwinState, teamId: string, profileId: string): void {
  const role = roleIn(state, teamId, profileId);
  if (role === undefined || role === 'viewer') throw objectNotFound();
}

function projectRow(p: TwinProject): TransitMapObject {
  return {
    id: uuid(p.id), 'team-id': uuid(p.teamId), name: p.name, 'is-default': p.isDefault,
    'created-at': instant(p.createdAt), 'modified-at': instant(p.modifiedAt), 'deleted-at': null,
  };
}

/** Delivery after the answer, like Penpot's worker; a failing delivery is a result, never the RPC's error. */
function deliverLater(ctx: ProjectCommandContext, name: string, teamId: string, profileId: string, props: Record<string, TransitNode>): void {
  if (!ctx.emit) return;
  const emit = ctx.emit;
  setImmediate(() => {
    void emit(name, { teamId, profileId, props }).catch(() => undefined);
  });
}

export const PROJECT_COMMANDS: Record<string, ProjectCommand> = {
  'create-project': {
    auth: true,
    run(ctx, profileId) {
      const p = new Params(ctx.params);
      const teamId = p.uuid('team-id');
      const name = p.string('name', { min: 1, max: 250 });
      const requestedId = p.optionalUuid('id');
      p.check();
      requireEditor(ctx.state, teamId, profileId);
      const projects = projectsOf(ctx.state);
      if (requestedId !== undefined && projects.some((pr) => pr.id === requestedId)) {
        // the primary key's unique violation (derived: Penpot maps it to a validation error)
        throw rpcError('validation', 'duplicate-key', 'a project with this id already exists');
      }
      const project: TwinProject = {
        id: requestedId ?? randomUUID(), teamId, name, isDefault: false, createdAt: ctx.now, modifiedAt: ctx.now,
        deletedAt: null,
      };
      projects.push(project);
      // The event's props are the request params: team-id, name and id only when the client sent one.
      const props: Record<string, TransitNode> = { 'team-id': uuid(teamId), name };
      if (requestedId !== undefined) props.id = uuid(requestedId);
      deliverLater(ctx, 'create-project', teamId, profileId, props);
      return { body: { ...projectRow(project), 'is-pinned': false } };
    },
  },

  'delete-project': {
    auth: true,
    run(ctx, profileId) {
      const p = new Params(ctx.params);
      const id = p.uuid('id');
      p.check();
      const project = projectsOf(ctx.state).find((pr) => pr.id === id && pr.deletedAt === null);
      if (!project) throw objectNotFound();
      requireEditor(ctx.state, project.teamId, profileId);
      if (project.isDefault) throw rpcError('validation', 'non-deletable-project', 'impossible to delete default project');
      project.deletedAt = ctx.now;
      deliverLater(ctx, 'delete-project', project.teamId, profileId, {
        id: uuid(project.id), 'team-id': uuid(project.teamId), name: project.name,
        'created-at': instant(project.createdAt), 'modified-at': instant(project.modifiedAt),
      });
      return { body: null };
    },
  },

  'get-projects': {
    auth: true,
    run(ctx, profileId) {
      const p = new Params(ctx.params);
      const teamId = p.uuid('team-id');
      p.check();
      if (roleIn(ctx.state, teamId, profileId) === undefined) throw objectNotFound();
      const rows = projectsOf(ctx.state)
        .filter((pr) => pr.teamId === teamId && pr.deletedAt === null)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((pr) => ({ ...projectRow(pr), 'is-pinned': false, count: 0 }));
      return { body: rows };
    },
  },
};
