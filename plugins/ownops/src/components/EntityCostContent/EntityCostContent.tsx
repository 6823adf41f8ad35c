import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Grid, Tooltip, Typography } from '@material-ui/core';
import {
  ANNOTATION_BUDGET,
  ANNOTATION_ENVIRONMENTS,
  EntityCost,
  ownopsBudgetUpdatePermission,
} from '@ownops/backstage-plugin-common';
import { useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { useOwnerTagsPolicy } from '../../hooks/useOwnerTagsPolicy';
import { BudgetDialog } from '../BudgetDialog';
import {
  ChartCurrencySelect,
  CostNotice,
  CostSelect,
  CostTotals,
  describeRange,
  eachDay,
  formatCost,
  isForbidden,
  monthStart,
  nextMonthStart,
  presetRange,
  RANGE_PRESETS,
  RangePreset,
  StackedDailyChart,
  todayUtc,
  toChartNumber,
  currenciesByPresence,
  useChartCurrency,
} from '../cost';
import { useCostNow } from '../cost/useCostNow';
import { deployMarkers } from './deployMarkers';
import { MonthPanel } from './MonthPanel';

const ALL = '';

function displayName(entity: Entity): string {
  return entity.metadata.title ?? entity.metadata.name;
}

/** Who may read an entity's cost, for the 403 message. */
function Forbidden(props: { name: string }) {
  return (
    <CostNotice
      title={`You may not see the cost of ${props.name}`}
      testId="ownops-cost-forbidden"
    >
      Cost is shown to the owners of a component or group (ownops.cost.read) and
      to finance (ownops.cost.readAll). Ask an owner or finance if you need
      these figures.
    </CostNotice>
  );
}

/** Why there is nothing to show, and how to get billing rows attributed. */
function NoCostData(props: { entity: Entity }) {
  const { keys } = useOwnerTagsPolicy();
  const ref = stringifyEntityRef(props.entity);
  const isGroup = props.entity.kind.toLocaleLowerCase('en-US') === 'group';
  return (
    <EmptyState
      missing="data"
      title={`No cost data for ${displayName(props.entity)} yet`}
      description={
        <span data-testid="ownops-cost-empty">
          Billing rows are attributed by the owner tags on the cloud resources:{' '}
          <code>{keys.entity}</code> names the component
          {isGroup ? '' : ` (${ref})`} and <code>{keys.owner}</code> the owner
          group{isGroup ? ` (${ref})` : ''}. Resources without these tags count
          as unallocated spend. Once the resources are tagged, finance can run
          the cost ingestion ("Ingest now" on the Finance page) or wait for the
          scheduled one.
        </span>
      }
    />
  );
}

/**
 * The entity's "Cost" tab: daily cost by service category with deploy
 * markers, totals per currency, this month against the budget and the
 * forecast, and the budget dialog. For a group, the cost of everything the
 * group owns.
 *
 * @public
 */
export function EntityCostContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const name = displayName(entity);
  const api = useApi(ownopsApiRef);
  const costNow = useCostNow();
  const [environment, setEnvironment] = useState<string>(ALL);
  const [preset, setPreset] = useState<RangePreset>('default');
  const [budgetOpen, setBudgetOpen] = useState(false);
  // Bumped after a budget is saved, to read the figures again.
  const [version, setVersion] = useState(0);

  const cost = useAsync(
    () =>
      api.getEntityCost(entityRef, {
        ...presetRange(preset, costNow()),
        environment: environment || undefined,
      }),
    [api, entityRef, preset, environment, version],
  );
  // The last answer stays on screen (with the controls) while the next one
  // loads or when it fails.
  const lastValue = useRef<EntityCost>();
  if (cost.value) lastValue.current = cost.value;
  const value: EntityCost | undefined = cost.value ?? lastValue.current;
  const status = value?.budgetStatus ?? null;
  const month = status?.month ?? todayUtc(costNow()).slice(0, 7);

  // The whole month over every environment, for month-to-date and its chart.
  const monthCost = useAsync(
    () =>
      value
        ? api.getEntityCost(entityRef, {
            from: monthStart(month),
            to: nextMonthStart(month),
          })
        : Promise.resolve(undefined),
    [api, entityRef, month, !!value, version],
  );

  const deploysAnnotated =
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    !!entity.metadata.annotations?.[ANNOTATION_ENVIRONMENTS];
  const deployments = useAsync(async () => {
    if (!deploysAnnotated) return [];
    try {
      return (await api.listDeployments(entityRef, { limit: 100 })).items;
    } catch {
      // Markers are a nicety: the tab works without them.
      return [];
    }
  }, [api, entityRef, deploysAnnotated]);

  const canUpdateBudget = usePermission({
    permission: ownopsBudgetUpdatePermission,
    resourceRef: entityRef,
  });

  const currencies = useMemo(
    () =>
      currenciesByPresence([
        ...(value?.totals ?? []),
        ...(value?.series ?? []),
      ]),
    [value],
  );
  const chartCurrency = useChartCurrency(currencies);
  const shownCurrency = chartCurrency.value;

  const chart = useMemo(() => {
    if (!value || !shownCurrency) return undefined;
    const points = value.series.filter(p => p.currency === shownCurrency);
    const byCategory = new Map<string, number>();
    for (const p of points) {
      byCategory.set(
        p.serviceCategory,
        (byCategory.get(p.serviceCategory) ?? 0) +
          toChartNumber(p.effectiveCost),
      );
    }
    const categories = [...byCategory.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([category]) => ({ key: category, label: category }));
    return {
      days: eachDay(value.from, value.to),
      series: categories,
      points: points.map(p => ({
        day: p.day,
        series: p.serviceCategory,
        value: toChartNumber(p.effectiveCost),
      })),
    };
  }, [value, shownCurrency]);

  const markers = useMemo(
    () =>
      value && deployments.value
        ? deployMarkers(
            deployments.value,
            { from: value.from, to: value.to },
            value.environment,
          )
        : [],
    [value, deployments.value],
  );

  if (cost.loading && !value) {
    return <Progress />;
  }
  if (cost.error && !value) {
    return (
      <div data-testid="ownops-cost-tab">
        {isForbidden(cost.error) ? (
          <Forbidden name={name} />
        ) : (
          <ResponseErrorPanel error={cost.error} />
        )}
      </div>
    );
  }
  if (!value) {
    return null;
  }

  const budgetReason = (() => {
    if (canUpdateBudget.loading) return 'Checking your permissions…';
    if (!canUpdateBudget.allowed) {
      return `Only the owners of ${name} and finance can change its budget (ownops.budget.update)`;
    }
    if (status?.budgetSource === 'annotation') {
      return `The budget of ${name} comes from the ${ANNOTATION_BUDGET} annotation in its catalog-info.yaml; change it there`;
    }
    return undefined;
  })();
  const budgetButton = (
    <Button
      variant="outlined"
      color="primary"
      disabled={!!budgetReason}
      onClick={() => setBudgetOpen(true)}
    >
      Set budget
    </Button>
  );

  const environmentOptions = [
    { value: ALL, label: 'All' },
    ...value.environments.map(e => ({ value: e, label: e })),
  ];
  if (environment && !value.environments.includes(environment)) {
    environmentOptions.push({ value: environment, label: environment });
  }

  return (
    <Grid container spacing={3} data-testid="ownops-cost-tab">
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <CostSelect
            id="ownops-cost-range"
            label="Range"
            value={preset}
            options={RANGE_PRESETS}
            onChange={setPreset}
            testId="ownops-cost-range"
            minWidth={220}
          />
          <CostSelect
            id="ownops-cost-environment"
            label="Environment"
            value={environment}
            options={environmentOptions}
            onChange={setEnvironment}
            testId="ownops-cost-environment-filter"
          />
          <ChartCurrencySelect id="ownops-cost-currency" {...chartCurrency} />
          <Box flexGrow={1} />
          {budgetReason ? (
            <Tooltip title={budgetReason}>
              <span data-testid="ownops-cost-set-budget-reason">
                {budgetButton}
              </span>
            </Tooltip>
          ) : (
            budgetButton
          )}
        </Box>
        {budgetReason && !canUpdateBudget.loading && (
          <Typography variant="caption" color="textSecondary" component="p">
            {budgetReason}.
          </Typography>
        )}
      </Grid>

      <Grid item xs={12}>
        {cost.loading && <Progress />}
        {cost.error && <ResponseErrorPanel error={cost.error} />}
        {value.dataRange === null ? (
          <NoCostData entity={entity} />
        ) : (
          <InfoCard
            title="Daily cost by service category"
            subheader={`${describeRange(value.from, value.to)}${
              value.environment ? ` · ${value.environment}` : ''
            } · effective cost (amortized, after discounts)`}
          >
            <CostTotals
              totals={value.totals}
              testId="ownops-cost-totals"
              label="Totals over the range"
              empty={
                <>
                  No cost in this range
                  {value.environment ? ` for ${value.environment}` : ''}.
                  Billing data covers {value.dataRange.first} to{' '}
                  {value.dataRange.last}.
                </>
              }
              caption={total => (
                <>billed {formatCost(total.billedCost, total.currency)}</>
              )}
            />
            {chart && (
              <StackedDailyChart
                testId="ownops-cost-chart"
                label={`Daily ${shownCurrency} cost of ${name} by service category`}
                currency={shownCurrency!}
                days={chart.days}
                series={chart.series}
                points={chart.points}
                markers={markers}
              />
            )}
            {markers.length > 0 && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="p"
                data-testid="ownops-cost-deploy-markers"
              >
                Dashed lines: deployments —{' '}
                {markers.map(m => `${m.label} on ${m.day}`).join('; ')}
              </Typography>
            )}
          </InfoCard>
        )}
      </Grid>

      <Grid item xs={12}>
        <MonthPanel
          month={month}
          status={status}
          monthCost={monthCost.value ?? undefined}
          monthError={
            monthCost.error && !isForbidden(monthCost.error)
              ? monthCost.error
              : undefined
          }
          entityName={name}
        />
      </Grid>

      <BudgetDialog
        open={budgetOpen}
        entityRef={entityRef}
        entityName={name}
        initial={
          status
            ? {
                amount: status.budget.amount,
                currency: status.budget.currency,
                thresholds: status.budget.thresholds,
              }
            : undefined
        }
        onClose={() => setBudgetOpen(false)}
        onSaved={() => setVersion(v => v + 1)}
      />
    </Grid>
  );
}
