import { OnCallProvider } from '@ownops/backstage-plugin-node';
import { DatabaseOnCallOverrideStore } from '../database/DatabaseOnCallOverrideStore';
import { readOnCallConfig } from '../oncall/config';
import { GroupMembers } from '../oncall/GroupMembers';
import { OnCallService } from '../oncall/OnCallService';
import { RotationOnCallProvider } from '../oncall/rotation/RotationOnCallProvider';
import { OwnopsDeps } from './OwnopsDeps';

/** On-call: module providers first, then the built-in rotation with overrides. */
export async function setupOnCall(
  deps: OwnopsDeps,
  modules: { providers: OnCallProvider[] },
) {
  const { config, auth, catalog } = deps;
  const onCallConfig = readOnCallConfig(config);
  const overrides = await DatabaseOnCallOverrideStore.create({
    database: deps.database,
  });
  const members = new GroupMembers({ catalog, auth });
  const onCall = new OnCallService({
    providers: [
      ...modules.providers,
      new RotationOnCallProvider({
        members,
        overrides,
        defaults: onCallConfig.rotation,
      }),
    ],
    catalog,
    auth,
    timeoutMs: onCallConfig.timeoutMs,
  });
  return { onCall, overrides, members };
}
