import {
  EmptyState,
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  EnvironmentState,
  ownopsDeploymentApprovePermission,
  ownopsDeploymentCreatePermission,
  ownopsDeploymentRollbackPermission,
  readEnvironments,
} from '@ownops/backstage-plugin-common';
import { ReactElement, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ownopsApiRef } from '../../api';
import { useDeploymentSignal } from '../../hooks/useDeploymentSignal';
import { useInterval } from '../../hooks/useInterval';
import { ApprovalActions } from '../ApprovalActions';
import { DeployDialog } from '../DeployDialog';
import { DeploymentStatusChip } from '../DeploymentStatusChip';
import { describeDeployment, relativeTime, shortUser } from '../format';
import { RollbackDialog } from '../RollbackDialog';

const ACTIVE_POLL_MS = 5000;

/** A button that explains, in a tooltip, why it is disabled. */
function ReasonedButton(props: {
  label: string;
  ariaLabel: string;
  reason?: string;
  onClick: () => void;
  primary?: boolean;
}): ReactElement {
  const button = (
    <Button
      size="small"
      variant={props.primary ? 'contained' : 'outlined'}
      color={props.primary ? 'primary' : 'default'}
      aria-label={props.ariaLabel}
      disabled={!!props.reason}
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  );
  return props.reason ? (
    <Tooltip title={props.reason}>
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

function ownerOf(entity: Entity): string {
  const owner = entity.spec?.owner;
  return typeof owner === 'string' ? owner : 'unknown';
}

function displayName(entity: Entity): string {
  return entity.metadata.title ?? entity.metadata.name;
}

function DeployTable(props: { entity: Entity }) {
  const { entity } = props;
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(ownopsApiRef);
  const identityApi = useApi(identityApiRef);
  const [dialog, setDialog] = useState<{
    kind: 'deploy' | 'rollback';
    environment: EnvironmentState;
  }>();

  const state = useAsyncRetry(
    () => api.getEnvironments(entityRef),
    [api, entityRef],
  );
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const canDeploy = usePermission({
    permission: ownopsDeploymentCreatePermission,
    resourceRef: entityRef,
  });
  const canRollBack = usePermission({
    permission: ownopsDeploymentRollbackPermission,
    resourceRef: entityRef,
  });
  const canApprove = usePermission({
    permission: ownopsDeploymentApprovePermission,
    resourceRef: entityRef,
  });

  useDeploymentSignal(entityRef, () => state.retry());
  const anyActive = state.value?.environments.some(e => e.active);
  useInterval(() => state.retry(), anyActive ? ACTIVE_POLL_MS : undefined);

  if (state.loading && !state.value) {
    return <Progress />;
  }
  if (state.error && !state.value) {
    return <ResponseErrorPanel error={state.error} />;
  }
  const environments = state.value?.environments ?? [];
  const name = displayName(entity);
  const notOwner = (verb: string) =>
    `Only the owners of ${name} can ${verb} (owner: ${ownerOf(entity)})`;
  const permissionReason = (
    permission: { loading: boolean; allowed: boolean },
    verb: string,
  ) => {
    if (permission.loading) return 'Checking your permissions…';
    return permission.allowed ? undefined : notOwner(verb);
  };

  return (
    <>
      <Table size="small" aria-label="Environments">
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>Current version</TableCell>
            <TableCell>Last deployment</TableCell>
            <TableCell align="right">Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {environments.map(environment => {
            const shown = environment.active ?? environment.latest;
            const blocker =
              environment.problem ??
              (environment.active
                ? describeDeployment(environment.active)
                : undefined);
            const deployReason =
              permissionReason(canDeploy, 'deploy') ?? blocker;
            const rollbackReason =
              permissionReason(canRollBack, 'roll back') ??
              blocker ??
              (environment.rollbackCandidates.length === 0
                ? 'No earlier successful deployment to roll back to'
                : undefined);
            const reason = deployReason ?? rollbackReason;
            return (
              <TableRow key={environment.name}>
                <TableCell>
                  <Typography variant="body2">
                    <strong>{environment.name}</strong>
                    {environment.protected ? ' (protected)' : ''}
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    {environment.targetId}
                    {environment.targetType
                      ? ` · ${environment.targetType}`
                      : ''}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Typography
                    variant="body2"
                    data-testid={`current-version-${environment.name}`}
                  >
                    {environment.current?.version ?? 'never deployed'}
                  </Typography>
                  {environment.current && (
                    <Typography variant="caption" color="textSecondary">
                      {relativeTime(
                        environment.current.finishedAt ??
                          environment.current.createdAt,
                      )}{' '}
                      by {shortUser(environment.current.requestedBy)}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {shown ? (
                    <>
                      <DeploymentStatusChip status={shown.status} />
                      <Typography variant="caption" display="block">
                        {shown.kind === 'rollback' ? 'rollback to ' : ''}
                        {shown.version} (#{shown.id})
                      </Typography>
                    </>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell align="right">
                  <Box
                    display="flex"
                    justifyContent="flex-end"
                    flexWrap="wrap"
                    style={{ gap: 8 }}
                  >
                    <ReasonedButton
                      primary
                      label="Deploy"
                      ariaLabel={`Deploy to ${environment.name}`}
                      reason={deployReason}
                      onClick={() => setDialog({ kind: 'deploy', environment })}
                    />
                    <ReasonedButton
                      label="Roll back"
                      ariaLabel={`Roll back ${environment.name}`}
                      reason={rollbackReason}
                      onClick={() =>
                        setDialog({ kind: 'rollback', environment })
                      }
                    />
                    {environment.active?.status === 'awaiting_approval' && (
                      <ApprovalActions
                        deployment={environment.active}
                        userEntityRef={identity.value?.userEntityRef}
                        permission={canApprove}
                        onChange={state.retry}
                      />
                    )}
                  </Box>
                  {reason && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      {reason}
                    </Typography>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {dialog?.kind === 'deploy' && (
        <DeployDialog
          entityRef={entityRef}
          entityName={name}
          environment={dialog.environment}
          onClose={() => {
            setDialog(undefined);
            state.retry();
          }}
        />
      )}
      {dialog?.kind === 'rollback' && (
        <RollbackDialog
          entityName={name}
          environment={dialog.environment}
          onClose={() => {
            setDialog(undefined);
            state.retry();
          }}
        />
      )}
    </>
  );
}

/**
 * The entity page card: each environment's current version and status, with
 * Deploy and Roll back buttons (disabled, with the reason, where the user may
 * not act).
 *
 * @public
 */
export function EntityDeployCard() {
  const { entity } = useEntity();
  const configured = readEnvironments(entity);
  let content: ReactElement;
  if (configured.ok) {
    content = <DeployTable entity={entity} />;
  } else if (configured.missingAnnotations.length > 0) {
    content = (
      <MissingAnnotationEmptyState annotation={configured.missingAnnotations} />
    );
  } else {
    content = (
      <EmptyState
        missing="field"
        title="The Ownops annotations of this entity need fixing"
        description={configured.problems.join(' · ')}
      />
    );
  }
  return <InfoCard title="Deploy">{content}</InfoCard>;
}
