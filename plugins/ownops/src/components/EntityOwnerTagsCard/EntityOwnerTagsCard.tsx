import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { Box, Chip, Divider, Typography } from '@material-ui/core';
import { ANNOTATION_BUDGET } from '@ownops/backstage-plugin-common';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { useOwnerLookup } from '../../hooks/useOwnerLookup';
import { useOwnerTagsPolicy } from '../../hooks/useOwnerTagsPolicy';
import {
  parseOwnerRef,
  ResolvedOwnerTags,
  resolveEntityOwnerTags,
} from '../../lib/ownerTags';
import {
  formatMoney,
  formatThresholds,
  relativeTime,
  shortUser,
} from '../format';
import { OwnerTagsProblems, OwnerTagsTable } from '../OwnerTagsTable';

function Fact(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box display="flex" alignItems="baseline" my={0.5} style={{ gap: 8 }}>
      <Typography
        variant="body2"
        color="textSecondary"
        component="span"
        style={{ minWidth: 110 }}
      >
        {props.label}
      </Typography>
      <Typography variant="body2" component="span" data-testid={props.testId}>
        {props.children}
      </Typography>
    </Box>
  );
}

function OwnerTagsSection(props: { resolved: ResolvedOwnerTags }) {
  const { resolved } = props;
  const policy = useOwnerTagsPolicy();
  return (
    <section aria-label="Owner tags">
      <Fact label="Owner" testId="ownops-owner">
        {resolved.ownerRef ? (
          <EntityRefLink entityRef={resolved.ownerRef} defaultKind="group" />
        ) : (
          'none'
        )}
      </Fact>
      <Fact label="Cost center">
        {resolved.costCenter ? (
          <>
            <strong data-testid="ownops-cost-center">
              {resolved.costCenter}
            </strong>{' '}
            <Typography variant="caption" color="textSecondary">
              (from {resolved.costCenterSource})
            </Typography>
          </>
        ) : (
          'none'
        )}
      </Fact>
      <Fact label="Environments">
        {resolved.environments.length > 0
          ? resolved.environments.map(environment => (
              <Chip
                key={environment}
                size="small"
                label={environment}
                style={{ marginRight: 4 }}
              />
            ))
          : 'none'}
      </Fact>
      <OwnerTagsProblems
        problems={resolved.problems}
        missingSeverity="warning"
      />
      {resolved.tags && (
        <Box mt={1}>
          <OwnerTagsTable tags={resolved.tags} keys={policy.keys} />
        </Box>
      )}
    </section>
  );
}

function BudgetSection(props: { entityRef: string }) {
  const api = useApi(ownopsApiRef);
  const state = useAsync(
    () => api.getBudget(props.entityRef),
    [api, props.entityRef],
  );
  let content: ReactNode;
  if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content =
      (state.error as Partial<ResponseError>).statusCode === 403 ? (
        <Typography variant="body2" color="textSecondary">
          You may not see this service's budget
        </Typography>
      ) : (
        <ResponseErrorPanel error={state.error} />
      );
  } else if (!state.value?.budget) {
    content = (
      <>
        <Typography variant="body2">
          <strong>No budget set</strong>
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Set one on the Cost tab, when creating the service from the "Service
          with owner tags" template, or with the {ANNOTATION_BUDGET} annotation
          on this component.
        </Typography>
      </>
    );
  } else {
    const { budget, source } = state.value;
    content = (
      <>
        <Fact label="Per month" testId="ownops-budget-amount">
          <strong>{formatMoney(budget.amount, budget.currency)}</strong>
        </Fact>
        {budget.thresholds.length > 0 && (
          <Fact label="Owners alerted" testId="ownops-budget-thresholds">
            alerts at {formatThresholds(budget.thresholds)}
          </Fact>
        )}
        <Typography variant="caption" color="textSecondary">
          {source === 'annotation' ? (
            <>From the {ANNOTATION_BUDGET} annotation in catalog-info.yaml</>
          ) : (
            <>
              Set {relativeTime(budget.updatedAt)} by{' '}
              {shortUser(budget.updatedBy)}
            </>
          )}
        </Typography>
      </>
    );
  }
  return (
    <section aria-label="Monthly budget">
      <Typography variant="subtitle2" gutterBottom>
        Monthly budget
      </Typography>
      {content}
    </section>
  );
}

/**
 * The entity page card: owner group, cost center, environments, the owner
 * tags every resource of the service carries, and its monthly budget.
 *
 * @public
 */
export function EntityOwnerTagsCard() {
  const { entity } = useEntity();
  const policy = useOwnerTagsPolicy();
  const ownerRef = parseOwnerRef(
    entity.spec?.owner,
    'spec.owner',
    entity.metadata.namespace ?? 'default',
  ).ref;
  const owner = useOwnerLookup(ownerRef);
  return (
    <InfoCard title="Owner tags and budget">
      {owner.loading ? (
        <Progress />
      ) : (
        <OwnerTagsSection
          resolved={resolveEntityOwnerTags(entity, owner.value, policy)}
        />
      )}
      <Box my={2}>
        <Divider />
      </Box>
      <BudgetSection entityRef={stringifyEntityRef(entity)} />
    </InfoCard>
  );
}
