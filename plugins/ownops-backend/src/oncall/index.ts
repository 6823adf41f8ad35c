export { OnCallService } from './OnCallService';
export type { OnCallServiceOptions } from './OnCallService';
export { RotationOnCallProvider } from './rotation/RotationOnCallProvider';
export { GroupMembers } from './GroupMembers';
export { readOnCallConfig } from './config';
export type { OnCallConfig, RotationDefaults } from './config';
