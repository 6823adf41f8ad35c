import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { OwnopsExamplePolicy } from './OwnopsExamplePolicy';

/** Installs {@link OwnopsExamplePolicy} as the permission policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'ownops-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new OwnopsExamplePolicy(userInfo));
      },
    });
  },
});
