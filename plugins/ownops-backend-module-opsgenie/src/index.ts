/**
 * Opsgenie for Ownops: an on-call provider reading the schedule of an
 * entity's Opsgenie team. Atlassian stops Opsgenie on 2027-04-05.
 *
 * @packageDocumentation
 */

export { ownopsModuleOpsgenie as default } from './module';
export {
  ANNOTATION_OPSGENIE_SCHEDULE,
  ANNOTATION_OPSGENIE_TEAM,
} from './OpsgenieOnCallProvider';
