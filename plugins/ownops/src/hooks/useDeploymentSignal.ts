import { useSignal } from '@backstage/plugin-signals-react';
import {
  DEPLOYMENTS_SIGNAL_CHANNEL,
  DeploymentSignal,
} from '@ownops/backstage-plugin-common';
import { useEffect } from 'react';

/** Calls `onChange` whenever the backend reports a change for `entityRef`. */
export function useDeploymentSignal(
  entityRef: string,
  onChange: (signal: DeploymentSignal) => void,
) {
  const { lastSignal } = useSignal<DeploymentSignal>(
    DEPLOYMENTS_SIGNAL_CHANNEL,
  );
  useEffect(() => {
    if (lastSignal && lastSignal.entityRef === entityRef) {
      onChange(lastSignal);
    }
    // Only a new signal should trigger the callback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal, entityRef]);
}
