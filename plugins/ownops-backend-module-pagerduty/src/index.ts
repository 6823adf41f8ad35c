/**
 * PagerDuty for Ownops: an on-call provider reading the escalation policy
 * of an entity's PagerDuty service, and finished deployments reported to
 * PagerDuty as change events.
 *
 * @packageDocumentation
 */

export { ownopsModulePagerDuty as default } from './module';
export { ANNOTATION_PAGERDUTY_SERVICE_ID } from './PagerDutyOnCallProvider';
export { ANNOTATION_PAGERDUTY_INTEGRATION_KEY } from './PagerDutyChangeEventListener';
