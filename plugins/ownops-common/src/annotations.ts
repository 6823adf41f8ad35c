/**
 * Comma-separated environments an entity deploys to, in promotion order,
 * for example `staging,production`.
 *
 * @public
 */
export const ANNOTATION_ENVIRONMENTS = 'ownops.io/environments';

/**
 * The deploy target id (from the `ownops` config) used for every environment.
 * `ownops.io/deploy-target.<environment>` overrides it for one environment.
 *
 * @public
 */
export const ANNOTATION_DEPLOY_TARGET = 'ownops.io/deploy-target';

/**
 * URL probed after each deploy to `<environment>`:
 * `ownops.io/health-check.<environment>`.
 *
 * @public
 */
export const ANNOTATION_HEALTH_CHECK_PREFIX = 'ownops.io/health-check';

/**
 * Cost center of a group or component.
 *
 * @public
 */
export const ANNOTATION_COST_CENTER = 'ownops.io/cost-center';

/**
 * Monthly budget of a component or group.
 *
 * @public
 */
export const ANNOTATION_BUDGET = 'ownops.io/budget';

/** @public */
export function deployTargetAnnotationFor(environment: string): string {
  return `${ANNOTATION_DEPLOY_TARGET}.${environment}`;
}

/** @public */
export function healthCheckAnnotationFor(environment: string): string {
  return `${ANNOTATION_HEALTH_CHECK_PREFIX}.${environment}`;
}

/**
 * Rotation of the built-in `rotation` on-call provider for a group:
 * `<length>d <HH:mm> <IANA time zone>`, for example `7d 09:00 Europe/Berlin`
 * (turns of 7 calendar days, handed off at 09:00 Berlin time). Any part may
 * be left out from the right: `14d` or `1d 08:30` keep the configured
 * defaults for the rest.
 *
 * @public
 */
export const ANNOTATION_ONCALL_ROTATION = 'ownops.io/oncall-rotation';

/**
 * The local date (`YYYY-MM-DD`) of a group's first rotation hand-off; the
 * group's members take turns from there in entity-ref order.
 *
 * @public
 */
export const ANNOTATION_ONCALL_START = 'ownops.io/oncall-start';
