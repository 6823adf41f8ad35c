import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Grid } from '@material-ui/core';
import { readEnvironments } from '@ownops/backstage-plugin-common';
import { EntityDeployCard } from '../EntityDeployCard';
import { DeploymentHistory } from './DeploymentHistory';
import { DoraFigures } from './DoraFigures';
import { ExternalDeploymentHistory } from './ExternalDeploymentHistory';

/**
 * The entity's "Deployments" tab: the deploy card, DORA figures per
 * environment, the full history with logs, and what the deploy targets
 * record themselves.
 *
 * @public
 */
export function EntityDeploymentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const configured = readEnvironments(entity);
  if (!configured.ok && configured.missingAnnotations.length > 0) {
    return (
      <MissingAnnotationEmptyState annotation={configured.missingAnnotations} />
    );
  }
  const environments = configured.ok
    ? configured.environments.map(e => e.name)
    : [];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <EntityDeployCard />
      </Grid>
      <Grid item xs={12}>
        <DoraFigures entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <DeploymentHistory entityRef={entityRef} environments={environments} />
      </Grid>
      <Grid item xs={12}>
        <ExternalDeploymentHistory
          entityRef={entityRef}
          environments={environments}
        />
      </Grid>
    </Grid>
  );
}
