import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { ownopsApiRef } from '../../api';
import {
  describeDeployTargetProblem,
  describeInvalidDeployTargetId,
} from './deployTargets';

/**
 * Blocks "Next" and "Create" unless the value is one of the deploy targets
 * the backend lists. When the list cannot be loaded it only checks the shape
 * of the typed id, like the field; `ownops:tags:resolve` checks the id
 * against the backend when the run starts.
 */
export const validateDeployTargetPicker: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  const ownopsApi = context.apiHolder.get(ownopsApiRef);
  if (!ownopsApi) {
    validation.addError(
      'The deploy target cannot be checked: the Ownops API is not available',
    );
    return;
  }
  let problem: string | undefined;
  try {
    const { targets } = await ownopsApi.listDeployTargets();
    problem = describeDeployTargetProblem(value, targets);
  } catch {
    problem = describeInvalidDeployTargetId(value);
  }
  if (problem) {
    validation.addError(problem);
  }
};
