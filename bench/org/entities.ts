/*
 * A deterministic large organisation as catalog entities, for the
 * benchmarks: `groups` teams (group:default/team-NNN) spread over 20 cost
 * centers, each with a monthly budget annotation; `components` services
 * (component:default/svc-NNNNN), the same number per team, spread over
 * ~components/100 systems (system:default/sys-NNN, included); `membersPerGroup`
 * users per team (user:default/team-NNN-M, `spec.memberOf` the team), who
 * take turns on call in the built-in rotation.
 *
 * Component i (1-based) belongs to team ((i - 1) % groups) + 1 and to system
 * floor((i - 1) / 100) + 1. The same seed gives the same entities.
 */
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_BUDGET,
  ANNOTATION_COST_CENTER,
  ANNOTATION_DEPLOY_TARGET,
  ANNOTATION_ENVIRONMENTS,
} from '@ownops/backstage-plugin-common';

export interface OrgOptions {
  components: number;
  groups: number;
  membersPerGroup?: number;
  seed?: number;
}

export const DEFAULT_ORG_OPTIONS: Required<OrgOptions> = {
  components: 10_000,
  groups: 200,
  membersPerGroup: 5,
  seed: 7,
};

/** Number of cost centers the teams are spread over. */
export const COST_CENTERS = 20;
/** Components per system. */
export const COMPONENTS_PER_SYSTEM = 100;
/** The deploy target id every component uses (a no-op target in the benchmarks). */
export const BENCH_TARGET = 'bench';
export const ENVIRONMENTS = ['staging', 'production'] as const;

/** The component with the most deployments in the seeded data. */
export const BUSY_COMPONENT = 'svc-00001';
export const BUSY_COMPONENT_REF = `component:default/${BUSY_COMPONENT}`;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function componentName(i: number): string {
  return `svc-${pad(i, 5)}`;
}

export function groupName(j: number): string {
  return `team-${pad(j, 3)}`;
}

export function userName(j: number, m: number): string {
  return `${groupName(j)}-${m}`;
}

export function systemName(k: number): string {
  return `sys-${pad(k, 3)}`;
}

export function costCenterName(c: number): string {
  return `cc-${pad(c, 2)}`;
}

export function resolveOrgOptions(
  options?: Partial<OrgOptions>,
): Required<OrgOptions> {
  return { ...DEFAULT_ORG_OPTIONS, ...options };
}

/** 1-based team index of component i. */
export function groupOfComponent(i: number, options: OrgOptions): number {
  return ((i - 1) % options.groups) + 1;
}

/** 1-based system index of component i. */
export function systemOfComponent(i: number): number {
  return Math.floor((i - 1) / COMPONENTS_PER_SYSTEM) + 1;
}

/** 1-based cost center index of team j. */
export function costCenterOfGroup(j: number): number {
  return ((j - 1) % COST_CENTERS) + 1;
}

export function systemCount(options: OrgOptions): number {
  return Math.ceil(options.components / COMPONENTS_PER_SYSTEM);
}

/** The entity ref of component i's owner and its cost center name. */
export function componentOwnership(
  i: number,
  options: OrgOptions,
): { ownerRef: string; costCenter: string } {
  const j = groupOfComponent(i, options);
  return {
    ownerRef: `group:default/${groupName(j)}`,
    costCenter: costCenterName(costCenterOfGroup(j)),
  };
}

/** A small deterministic PRNG (mulberry32): numbers in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function orgEntities(options?: Partial<OrgOptions>): Entity[] {
  const o = resolveOrgOptions(options);
  const rand = random(o.seed);
  const entities: Entity[] = [];

  for (let j = 1; j <= o.groups; j++) {
    const budget = (5_000 + Math.floor(rand() * 45) * 1_000).toFixed(2);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: groupName(j),
        namespace: 'default',
        annotations: {
          [ANNOTATION_COST_CENTER]: costCenterName(costCenterOfGroup(j)),
          [ANNOTATION_BUDGET]: `${budget} USD | 50,80,100`,
        },
      },
      spec: { type: 'team', children: [] },
    });
  }

  for (let k = 1; k <= systemCount(o); k++) {
    const firstComponent = (k - 1) * COMPONENTS_PER_SYSTEM + 1;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: systemName(k), namespace: 'default' },
      spec: {
        owner: `group:default/${groupName(
          groupOfComponent(firstComponent, o),
        )}`,
      },
    });
  }

  for (let i = 1; i <= o.components; i++) {
    const { ownerRef, costCenter } = componentOwnership(i, o);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: componentName(i),
        namespace: 'default',
        annotations: {
          [ANNOTATION_ENVIRONMENTS]: ENVIRONMENTS.join(','),
          [ANNOTATION_DEPLOY_TARGET]: BENCH_TARGET,
          [ANNOTATION_COST_CENTER]: costCenter,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: ownerRef,
        system: `system:default/${systemName(systemOfComponent(i))}`,
      },
    });
  }

  for (let j = 1; j <= o.groups; j++) {
    for (let m = 1; m <= o.membersPerGroup; m++) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: userName(j, m), namespace: 'default' },
        spec: {
          profile: {
            displayName: `Member ${m} of ${groupName(j)}`,
            email: `${userName(j, m)}@example.com`,
          },
          memberOf: [`group:default/${groupName(j)}`],
        },
      });
    }
  }
  return entities;
}
