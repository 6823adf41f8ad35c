import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_COST_CENTER,
  COST_CENTER_PATTERN,
  decideCostCenter,
} from '@ownops/backstage-plugin-common';
import { OwnopsScaffolderConfig } from '../config';
import {
  describeInvalidServiceName,
  describeUnsafeText,
  InputProblems,
  MAX_DESCRIPTION_LENGTH,
} from '../input/safeInput';
import { askOwnopsBackend, OwnopsBackendCaller } from '../ownopsBackend';
import { addEnvironmentProblems, buildOwnerTagSet } from '../tagSet';

export const RESOLVE_OWNER_TAGS_ACTION_ID = 'ownops:tags:resolve';

const examples = [
  {
    description: 'Resolve the owner tags of a new service from the form',
    example: `steps:
  - id: tags
    name: Resolve owner tags
    action: ownops:tags:resolve
    input:
      name: \${{ parameters.name }}
      description: \${{ parameters.description }}
      owner: \${{ parameters.owner }}
      costCenter: \${{ parameters.costCenter }}
      environments: \${{ parameters.environments }}
      deployTarget: \${{ parameters.deployTarget }}`,
  },
];

export function createResolveOwnerTagsAction(options: {
  catalog: CatalogService;
  backend: OwnopsBackendCaller;
  config: OwnopsScaffolderConfig;
}) {
  const { catalog, backend, config } = options;
  return createTemplateAction({
    id: RESOLVE_OWNER_TAGS_ACTION_ID,
    description:
      'Resolves and validates the owner tags (entity, owner group, cost center, environment) of a new service, before anything is created',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Name of the new component'),
        description: z =>
          z
            .string()
            .optional()
            .describe(
              'One-line description, checked before it reaches any file',
            ),
        owner: z =>
          z.string().describe('Owning group, e.g. group:default/team-checkout'),
        costCenter: z =>
          z
            .string()
            .optional()
            .describe(
              "Overrides the group's ownops.io/cost-center when ownops.tags.allowCostCenterOverride is true",
            ),
        environments: z =>
          z.array(z.string()).describe('Environments in promotion order'),
        deployTarget: z =>
          z.string().describe('Ownops deploy target id from app-config'),
      },
      output: {
        entityRef: z => z.string(),
        ownerRef: z => z.string(),
        costCenter: z => z.string(),
        environments: z => z.array(z.string()),
        deployTarget: z => z.string(),
        requiredKeys: z => z.array(z.string()),
        tags: z =>
          z
            .record(z.string(), z.record(z.string(), z.string()))
            .describe('The owner tags of each environment, key → value'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const problems = new InputProblems();
      const nameProblem = describeInvalidServiceName(input.name);
      if (nameProblem) problems.add('name', nameProblem);
      if (input.description !== undefined) {
        const descriptionProblem = describeUnsafeText(
          input.description,
          MAX_DESCRIPTION_LENGTH,
        );
        if (descriptionProblem) problems.add('description', descriptionProblem);
      }
      addEnvironmentProblems(problems, input.environments);
      const costCenterOverride = input.costCenter?.trim() || undefined;
      if (costCenterOverride && !COST_CENTER_PATTERN.test(costCenterOverride)) {
        problems.add(
          'costCenter',
          `"${costCenterOverride}" may only contain letters, digits and "-" (at most 63 characters)`,
        );
      }
      const targetProblem = describeUnsafeText(input.deployTarget, 100);
      if (targetProblem) problems.add('deployTarget', targetProblem);
      let ownerRef: string | undefined;
      try {
        ownerRef = stringifyEntityRef(
          parseEntityRef(input.owner, { defaultKind: 'group' }),
        );
      } catch (error) {
        problems.add(
          'owner',
          `"${input.owner}" is not an entity reference (${
            (error as Error).message
          })`,
        );
      }
      problems.throwIfAny('Invalid template input');

      const credentials = await ctx.getInitiatorCredentials();
      const owner = await loadOwnerGroup(catalog, ownerRef!, credentials);
      if (config.requireOwnerMembership) {
        assertMember(owner, ctx.user?.ref, ctx.user?.entity);
      }
      const costCenter = chooseCostCenter(owner, costCenterOverride, config);
      const entityRef = `component:default/${input.name}`;
      if (await catalog.getEntityByRef(entityRef, { credentials })) {
        throw new InputError(
          `name: ${entityRef} already exists in the catalog; choose another name`,
        );
      }
      await assertDeployTargetExists(backend, credentials, input.deployTarget);

      const tagSet = buildOwnerTagSet(
        {
          entityRef,
          ownerRef: stringifyEntityRef(getCompoundEntityRef(owner)),
          costCenter,
          environments: input.environments,
        },
        config.tagKeys,
      );
      ctx.logger.info(
        `Owner tags of ${entityRef}: ${Object.entries(tagSet.common)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')}, ${config.tagKeys.environment}=${input.environments.join(
          '|',
        )}`,
      );
      ctx.output('entityRef', entityRef);
      ctx.output('ownerRef', stringifyEntityRef(getCompoundEntityRef(owner)));
      ctx.output('costCenter', costCenter);
      ctx.output('environments', tagSet.environments);
      ctx.output('deployTarget', input.deployTarget);
      ctx.output('requiredKeys', tagSet.requiredKeys);
      ctx.output('tags', tagSet.byEnvironment);
    },
  });
}

async function loadOwnerGroup(
  catalog: CatalogService,
  ownerRef: string,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const owner = await catalog.getEntityByRef(ownerRef, { credentials });
  if (!owner) {
    throw new InputError(`owner: ${ownerRef} was not found in the catalog`);
  }
  if (owner.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `owner: ${ownerRef} is a ${owner.kind}, but a service must be owned by a Group`,
    );
  }
  return owner;
}

function assertMember(
  group: Entity,
  userRef: string | undefined,
  user: Entity | undefined,
) {
  const groupRef = stringifyEntityRef(group);
  if (!userRef) {
    throw new NotAllowedError(
      `owner: only a signed-in member of ${groupRef} may create a service it owns`,
    );
  }
  const isMember =
    group.relations?.some(
      r => r.type === RELATION_HAS_MEMBER && r.targetRef === userRef,
    ) ||
    user?.relations?.some(
      r => r.type === RELATION_MEMBER_OF && r.targetRef === groupRef,
    );
  if (!isMember) {
    throw new NotAllowedError(
      `owner: ${userRef} is not a member of ${groupRef}; only its members may create a service it owns`,
    );
  }
}

function chooseCostCenter(
  owner: Entity,
  override: string | undefined,
  config: OwnopsScaffolderConfig,
): string {
  const decision = decideCostCenter({
    groupRef: stringifyEntityRef(owner),
    groupCostCenter: owner.metadata.annotations?.[ANNOTATION_COST_CENTER],
    override,
    allowOverride: config.allowCostCenterOverride,
  });
  if ('refused' in decision) {
    throw new InputError(`costCenter: ${decision.message}`);
  }
  return decision.costCenter;
}

async function assertDeployTargetExists(
  backend: OwnopsBackendCaller,
  credentials: BackstageCredentials,
  deployTarget: string,
) {
  const { client, options } = await backend.forUser(credentials);
  const { targets } = await askOwnopsBackend(
    `check the deploy target "${deployTarget}"`,
    () => client.listDeployTargets(options),
  );
  if (!targets.some(target => target.id === deployTarget)) {
    throw new InputError(
      `deployTarget: "${deployTarget}" is not a deploy target of this portal (known: ${
        targets.map(target => target.id).join(', ') || 'none'
      })`,
    );
  }
}
