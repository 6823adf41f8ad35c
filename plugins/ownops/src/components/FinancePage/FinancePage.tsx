import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Grid, TextField } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { Alert } from '@material-ui/lab';
import {
  CostBreakdown,
  ownopsCostReadAllPermission,
} from '@ownops/backstage-plugin-common';
import { useCallback, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import {
  addDays,
  ChartCurrencySelect,
  CostNotice,
  CostSelect,
  CostTotals,
  describeRange,
  eachDay,
  formatCost,
  isForbidden,
  isIsoDay,
  matchPreset,
  presetRange,
  RANGE_PRESETS,
  RangePreset,
  StackedDailyChart,
  toChartNumber,
  currenciesByPresence,
  useChartCurrency,
} from '../cost';
import { errorMessage } from '../format';
import { BreakdownTable } from './BreakdownTable';
import { BudgetsSection } from './BudgetsSection';
import { csvFileName, downloadText } from './exportCsv';
import {
  apiQuery,
  GROUP_BY_LABELS,
  GROUP_BY_OPTIONS,
  normalizeOwnerRef,
  useFinanceQuery,
} from './financeQuery';
import { IngestionSection } from './IngestionSection';
import { groupLabel } from './links';
import { UnallocatedSection } from './UnallocatedSection';
import { useCostNow } from '../cost/useCostNow';

/** The chart stacks this many groups; the rest are one "Other" series. */
export const TOP_GROUPS = 8;
const OTHER = '\u0000other';
const UNKEYED = '\u0000none';

const FINANCE_ONLY =
  "Only finance (ownops.cost.readAll) can see the organisation's cost; your own services' cost is on their Cost tab";

function FinanceOnly() {
  return (
    <CostNotice
      title="Finance only"
      testId="ownops-finance-forbidden"
      severity="info"
    >
      {FINANCE_ONLY}.
    </CostNotice>
  );
}

function BreakdownChart(props: { breakdown: CostBreakdown; currency: string }) {
  const { breakdown, currency } = props;
  const chart = useMemo(() => {
    const rows = breakdown.rows.filter(r => r.currency === currency);
    const top = rows.slice(0, TOP_GROUPS);
    const seriesOf = (key: string | null) => key ?? UNKEYED;
    const topKeys = new Set(top.map(r => seriesOf(r.key)));
    const series = top.map(row => ({
      key: seriesOf(row.key),
      label: groupLabel(breakdown.groupBy, row),
    }));
    if (rows.length > TOP_GROUPS) {
      series.push({
        key: OTHER,
        label: `Other (${rows.length - TOP_GROUPS})`,
      });
    }
    return {
      days: eachDay(breakdown.from, breakdown.to),
      series,
      points: breakdown.series
        .filter(p => p.currency === currency)
        .map(p => ({
          day: p.day,
          series:
            !p.other && topKeys.has(seriesOf(p.key)) ? seriesOf(p.key) : OTHER,
          value: toChartNumber(p.effectiveCost),
        })),
    };
  }, [breakdown, currency]);
  return (
    <StackedDailyChart
      testId="ownops-finance-chart"
      label={`Daily ${currency} cost by ${GROUP_BY_LABELS[
        breakdown.groupBy
      ].toLocaleLowerCase('en-US')}`}
      currency={currency}
      days={chart.days}
      series={chart.series}
      points={chart.points}
    />
  );
}

function OwnerFilter(props: {
  value?: string;
  onChange: (owner: string | undefined) => void;
}) {
  const [text, setText] = useState(props.value ?? '');
  const [shown, setShown] = useState(props.value);
  if (shown !== props.value) {
    // The filter changed elsewhere (URL, clear): show it.
    setShown(props.value);
    setText(props.value ?? '');
  }
  const apply = () => {
    const owner = normalizeOwnerRef(text);
    if (owner !== props.value) props.onChange(owner);
  };
  return (
    <TextField
      id="ownops-finance-owner"
      label="Owner"
      placeholder="group:default/team-checkout"
      value={text}
      onChange={event => setText(event.target.value)}
      onBlur={apply}
      onKeyDown={event => {
        if (event.key === 'Enter') apply();
      }}
      inputProps={{ 'data-testid': 'ownops-finance-owner-filter' }}
      InputLabelProps={{ shrink: true }}
      helperText="group ref; Enter to apply"
      variant="outlined"
      margin="dense"
      style={{ minWidth: 240 }}
    />
  );
}

function DayInput(props: {
  id: string;
  label: string;
  value: string;
  testId: string;
  onChange: (day: string) => void;
  error?: string;
}) {
  return (
    <TextField
      id={props.id}
      type="date"
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': props.testId }}
      error={!!props.error}
      helperText={props.error}
      variant="outlined"
      margin="dense"
    />
  );
}

function FinanceContent() {
  const api = useApi(ownopsApiRef);
  const costNow = useCostNow();
  const [query, update] = useFinanceQuery();
  const [version, setVersion] = useState(0);
  const [rangeError, setRangeError] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const queryKey = JSON.stringify(apiQuery(query));

  const state = useAsync(
    () => api.getCostBreakdown(apiQuery(query)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, queryKey, version],
  );
  const breakdown = state.value;

  // The cost centers seen so far stay in the filter while a query loads.
  const knownCostCenters = useRef<string[]>([]);
  if (breakdown) knownCostCenters.current = breakdown.costCenters;
  const costCenterOptions = [
    { value: '', label: 'All cost centers' },
    ...knownCostCenters.current.map(c => ({ value: c, label: c })),
  ];
  if (
    query.costCenter &&
    !knownCostCenters.current.includes(query.costCenter)
  ) {
    costCenterOptions.push({
      value: query.costCenter,
      label: query.costCenter,
    });
  }

  const chartCurrency = useChartCurrency(
    currenciesByPresence([
      ...(breakdown?.totals ?? []),
      ...(breakdown?.series ?? []),
    ]),
  );
  const shownCurrency = chartCurrency.value;

  const onIngested = useCallback(() => setVersion(v => v + 1), []);

  if (state.error && isForbidden(state.error)) {
    return <FinanceOnly />;
  }

  const resolved = breakdown ?? undefined;
  const from = query.from ?? resolved?.from ?? '';
  const to = query.to ?? resolved?.to;
  const through = to ? addDays(to, -1) : '';
  const preset: RangePreset | 'custom' =
    matchPreset(query, costNow()) ?? 'custom';
  const presetOptions: Array<{ value: RangePreset | 'custom'; label: string }> =
    [...RANGE_PRESETS];
  if (preset === 'custom') {
    presetOptions.push({ value: 'custom', label: 'Custom range' });
  }

  const setRange = (nextFrom: string, nextThrough: string) => {
    if (!isIsoDay(nextFrom) || !isIsoDay(nextThrough)) {
      setRangeError('Pick both days');
      return;
    }
    if (nextFrom > nextThrough) {
      setRangeError('"From" must not be after "Through"');
      return;
    }
    setRangeError(undefined);
    update({ from: nextFrom, to: addDays(nextThrough, 1) });
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const csv = await api.getCostBreakdownCsv(apiQuery(query));
      const range =
        query.from && query.to
          ? { from: query.from, to: query.to }
          : { from: resolved!.from, to: resolved!.to };
      downloadText(csv, csvFileName(query, range), 'text/csv;charset=utf-8');
    } catch (e) {
      setExportError(`Could not export the CSV: ${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="flex-start"
          flexWrap="wrap"
          style={{ gap: 16 }}
          role="group"
          aria-label="Cost query"
        >
          <CostSelect
            id="ownops-finance-group-by"
            label="Group by"
            value={query.groupBy}
            options={GROUP_BY_OPTIONS}
            onChange={groupBy => update({ groupBy })}
            testId="ownops-finance-group-by"
          />
          <CostSelect<RangePreset | 'custom'>
            id="ownops-finance-range"
            label="Range"
            value={preset}
            options={presetOptions}
            onChange={value => {
              if (value === 'custom') return;
              setRangeError(undefined);
              const range = presetRange(value, costNow());
              update({ from: range?.from, to: range?.to });
            }}
            testId="ownops-finance-range"
            minWidth={220}
          />
          <DayInput
            id="ownops-finance-from"
            label="From"
            value={from}
            testId="ownops-finance-from"
            onChange={day => setRange(day, through)}
          />
          <DayInput
            id="ownops-finance-through"
            label="Through (inclusive)"
            value={through}
            testId="ownops-finance-to"
            onChange={day => setRange(from, day)}
            error={rangeError}
          />
          <CostSelect
            id="ownops-finance-cost-center"
            label="Cost center"
            value={query.costCenter ?? ''}
            options={costCenterOptions}
            onChange={costCenter =>
              update({ costCenter: costCenter || undefined })
            }
            testId="ownops-finance-cost-center-filter"
          />
          <OwnerFilter
            value={query.owner}
            onChange={owner => update({ owner })}
          />
          <ChartCurrencySelect
            id="ownops-finance-currency"
            {...chartCurrency}
          />
          <Box flexGrow={1} />
          <Box mt={1}>
            <Button
              variant="outlined"
              color="primary"
              startIcon={<GetAppIcon />}
              onClick={exportCsv}
              disabled={exporting || !breakdown}
              data-testid="ownops-finance-export"
            >
              {exporting ? 'Exporting…' : 'Export CSV'}
            </Button>
          </Box>
        </Box>
        {exportError && (
          <Alert severity="error" role="alert">
            {exportError}
          </Alert>
        )}
      </Grid>

      <Grid item xs={12}>
        {state.error && !breakdown && (
          <ResponseErrorPanel error={state.error} />
        )}
        {!breakdown && !state.error && <Progress />}
        {breakdown && (
          <InfoCard
            title={`Daily cost by ${GROUP_BY_LABELS[
              breakdown.groupBy
            ].toLocaleLowerCase('en-US')}`}
            subheader={`${describeRange(breakdown.from, breakdown.to)}${
              breakdown.costCenter
                ? ` · cost center ${breakdown.costCenter}`
                : ''
            }${
              breakdown.owner ? ` · owner ${breakdown.owner}` : ''
            } · top ${TOP_GROUPS} groups, effective cost`}
          >
            {state.loading && <Progress />}
            <CostTotals
              totals={breakdown.totals}
              testId="ownops-finance-totals"
              empty={
                <>
                  No cost in this range with these filters.
                  {breakdown.dataRange
                    ? ` Billing data covers ${breakdown.dataRange.first} to ${breakdown.dataRange.last}.`
                    : ' No billing data has been ingested yet.'}
                </>
              }
              caption={total => {
                const unallocated = breakdown.unallocated.find(
                  u => u.currency === total.currency,
                );
                return (
                  <>
                    billed {formatCost(total.billedCost, total.currency)}
                    {unallocated
                      ? ` · unallocated ${formatCost(
                          unallocated.effectiveCost,
                          unallocated.currency,
                        )}`
                      : ''}
                  </>
                );
              }}
            />
            {shownCurrency && (
              <BreakdownChart breakdown={breakdown} currency={shownCurrency} />
            )}
          </InfoCard>
        )}
      </Grid>

      {breakdown && (
        <Grid item xs={12}>
          <BreakdownTable
            breakdown={breakdown}
            loading={state.loading}
            onFilterCostCenter={costCenter =>
              update({ costCenter, groupBy: 'owner' })
            }
          />
        </Grid>
      )}

      <Grid item xs={12}>
        <BudgetsSection version={version} />
      </Grid>
      <Grid item xs={12}>
        <UnallocatedSection
          range={{ from: query.from, to: query.to }}
          version={version}
        />
      </Grid>
      <Grid item xs={12}>
        <IngestionSection onIngested={onIngested} />
      </Grid>
    </Grid>
  );
}

/**
 * The organisation's cost for finance: grouped by owner, cost center,
 * system, entity, service category or environment over a range, with the
 * previous period, budgets, unallocated spend, ingestion and CSV export.
 * Users without `ownops.cost.readAll` get a short explanation instead.
 *
 * @public
 */
export function FinancePage() {
  const canReadAll = usePermission({
    permission: ownopsCostReadAllPermission,
  });
  let body;
  if (canReadAll.loading) {
    body = <Progress />;
  } else if (!canReadAll.allowed) {
    body = <FinanceOnly />;
  } else {
    body = <FinanceContent />;
  }
  return (
    <Content>
      <div data-testid="ownops-finance-page">{body}</div>
    </Content>
  );
}

/** The finance page with its own header, for apps on the legacy frontend system. */
export function LegacyFinancePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Finance"
        subtitle="Cost by owner, cost center and system; budgets; unallocated spend"
      />
      <FinancePage />
    </Page>
  );
}
