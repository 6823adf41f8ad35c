import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { COST_GROUP_BY } from '@ownops/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import { CostService } from '../cost/query/CostService';
import {
  costBreakdownQuery,
  createDeploymentBody,
  deploymentId as deploymentIdSchema,
  entityCostQuery,
  listDeploymentsQuery,
  parse,
  parseEntityRefInput,
  rollbackBody,
} from '../router/schemas';
import { DeploymentService } from '../service/DeploymentService';
import { SummaryService } from '../summary/SummaryService';

export interface OwnopsActionsOptions {
  deployments: DeploymentService;
  costs: CostService;
  summaries: Pick<SummaryService, 'getEntitySummary'>;
  auditor: AuditorService;
}

/** Round-trips a result through JSON, as the registry's output must be. */
function asJson<T>(value: T): JsonObject {
  return JSON.parse(JSON.stringify(value));
}

function userCredentials(
  credentials: BackstageCredentials,
): BackstageCredentials<BackstageUserPrincipal> {
  if ((credentials.principal as { type?: string }).type !== 'user') {
    throw new NotAllowedError(
      'Deploys and rollbacks are made for a user: call this action with user credentials',
    );
  }
  return credentials as BackstageCredentials<BackstageUserPrincipal>;
}

/** Who made a call: the user, else the service, for audit events. */
function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return principal.userEntityRef!;
  if (principal.type === 'service') return `service ${principal.subject}`;
  return 'unauthenticated';
}

/**
 * Runs a change inside the same audit event the REST route records; the
 * actor is named in the metadata because there is no HTTP request. A call
 * refused for its credentials is recorded as failed too.
 */
async function audited<T>(
  auditor: AuditorService,
  eventId: string,
  credentials: BackstageCredentials,
  meta: JsonObject,
  change: (user: BackstageCredentials<BackstageUserPrincipal>) => Promise<T>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId,
    severityLevel: 'medium',
    meta: {
      ...meta,
      actor: actorOf(credentials),
      via: 'actions-registry',
    },
  });
  try {
    const result = await change(userCredentials(credentials));
    await event.success();
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

/**
 * Registers Ownops' actions for AI agents (served over MCP by the MCP
 * actions plugin). Each calls the same service method as its REST route,
 * with the caller's credentials, so the same permission checks, validation
 * and audit events apply: an agent acting for a user can do nothing the
 * user could not.
 */
export function registerOwnopsActions(
  registry: ActionsRegistryService,
  options: OwnopsActionsOptions,
): void {
  const { deployments, costs, summaries, auditor } = options;
  const entityRefField = (z: any) =>
    z.string().describe('Entity ref, e.g. component:default/checkout-service');
  const anyObject = (z: any) => z.object({}).passthrough();

  registry.register({
    name: 'get-entity-summary',
    title: 'Read the Ownops summary of a service',
    description:
      'Per environment the current version and last deploy, month-to-date cost with forecast and budget status, and who is on call now. Each section comes back on its own; a failing one names its error.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ entityRef: entityRefField(z) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: asJson(
        await summaries.getEntitySummary(
          parseEntityRefInput(input.entityRef, 'entityRef'),
          credentials,
        ),
      ),
    }),
  });

  registry.register({
    name: 'list-deployments',
    title: 'List deployments',
    description:
      'Deployment history of a catalog entity, newest first, optionally for one environment or status.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          environment: z.string().optional(),
          status: z.string().optional(),
          limit: z.number().int().optional(),
          cursor: z.string().optional(),
        }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => {
      const { entityRef, ...rest } = input;
      const ref = parseEntityRefInput(entityRef, 'entityRef');
      const query = parse(listDeploymentsQuery, rest, 'input');
      return {
        output: asJson(
          await deployments.listDeployments(ref, query, credentials),
        ),
      };
    },
  });

  registry.register({
    name: 'get-entity-cost',
    title: 'Read the cost of a service or team',
    description:
      'Daily cost of a component or group by service category and environment, totals per currency, and this month’s budget status. Ranges are UTC days, `to` exclusive.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          from: z.string().optional(),
          to: z.string().optional(),
          environment: z.string().optional(),
        }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => {
      const { entityRef, ...rest } = input;
      const ref = parseEntityRefInput(entityRef, 'entityRef');
      const query = parse(entityCostQuery, rest, 'input');
      return {
        output: asJson(await costs.getEntityCost(ref, query, credentials)),
      };
    },
  });

  registry.register({
    name: 'get-cost-breakdown',
    title: 'Read the cost breakdown',
    description: `Cost grouped by ${COST_GROUP_BY.join(
      ', ',
    )} over a range against the previous one (finance: needs ownops.cost.readAll).`,
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          groupBy: z.enum([...COST_GROUP_BY] as [string, ...string[]]),
          from: z.string().optional(),
          to: z.string().optional(),
          costCenter: z.string().optional(),
          owner: z.string().optional(),
        }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => {
      const { format: _json, ...query } = parse(
        costBreakdownQuery,
        input,
        'input',
      );
      return {
        output: asJson(await costs.getBreakdown(query, credentials)),
      };
    },
  });

  registry.register({
    name: 'deploy',
    title: 'Deploy a version',
    description:
      'Deploys a version of a catalog entity to one of its environments, as the calling user (needs ownops.deployment.create; protected environments wait for approval by someone else). Answers with the deployment; one deployment per environment at a time.',
    attributes: { destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefField(z),
          environment: z.string(),
          version: z.string(),
          reason: z.string().optional(),
          idempotencyKey: z.string().optional(),
        }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => {
      const { entityRef, idempotencyKey, ...request } = input;
      const ref = parseEntityRefInput(entityRef, 'entityRef');
      const result = await audited(
        auditor,
        'deployment-create',
        credentials,
        { entityRef: ref, request: asJson(request) },
        async user =>
          deployments.createDeployment(
            ref,
            parse(createDeploymentBody, request, 'deployment request'),
            user,
            idempotencyKey,
          ),
      );
      return { output: asJson(result) };
    },
  });

  registry.register({
    name: 'rollback',
    title: 'Roll back to an earlier deployment',
    description:
      'Restores the version of an earlier successful deployment in its environment, as the calling user (needs ownops.deployment.rollback).',
    attributes: { destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          deploymentId: z
            .number()
            .int()
            .describe('The earlier successful deployment to restore'),
          reason: z.string().optional(),
        }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => {
      const { deploymentId, ...body } = input;
      const deployment = await audited(
        auditor,
        'deployment-rollback',
        credentials,
        { restoreDeploymentId: deploymentId, request: asJson(body) },
        async user =>
          deployments.rollbackTo(
            parse(deploymentIdSchema, deploymentId, 'deploymentId'),
            parse(rollbackBody, body, 'rollback request'),
            user,
          ),
      );
      return { output: asJson(deployment) };
    },
  });
}
