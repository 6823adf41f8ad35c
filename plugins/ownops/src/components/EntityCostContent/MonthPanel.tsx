import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import {
  Box,
  Chip,
  Grid,
  IconButton,
  Tooltip,
  Typography,
} from '@material-ui/core';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import {
  ANNOTATION_BUDGET,
  BudgetStatus,
  EntityCost,
  FORECAST_TRAILING_DAYS,
} from '@ownops/backstage-plugin-common';
import { ReactNode, useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ChartBox,
  compactAmount,
  describeMonth,
  eachDay,
  formatChartAmount,
  formatCost,
  formatPercent,
  monthStart,
  nextMonthStart,
  shortDay,
  toChartNumber,
} from '../cost';
import { formatThresholds } from '../format';

export const FORECAST_METHOD = `Month-to-date plus the average daily cost of the ${FORECAST_TRAILING_DAYS} days up to the last day with billing data (never below zero), times the days of the month after it`;

const STATE_COLORS: Record<BudgetStatus['state'], string> = {
  ok: '#2e7d32',
  'at-risk': '#ed6c02',
  over: '#d32f2f',
};

const STATE_LABELS: Record<BudgetStatus['state'], string> = {
  ok: 'ok',
  'at-risk': 'at risk',
  over: 'over budget',
};

/** A chip for a budget's state: `ok`, `at-risk` or `over`. */
export function BudgetStateChip(props: {
  state: BudgetStatus['state'];
  testId?: string;
}) {
  return (
    <Chip
      size="small"
      label={STATE_LABELS[props.state]}
      data-testid={props.testId}
      data-state={props.state}
      style={{
        backgroundColor: STATE_COLORS[props.state],
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}

function Figure(props: {
  label: ReactNode;
  testId: string;
  value: ReactNode;
  caption?: ReactNode;
}) {
  return (
    <Box>
      <Typography variant="overline" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="h6" component="div" data-testid={props.testId}>
        {props.value}
      </Typography>
      {props.caption && (
        <Typography variant="caption" color="textSecondary" component="div">
          {props.caption}
        </Typography>
      )}
    </Box>
  );
}

/** Month-to-date of the budget's currency, cumulated per day (for the chart). */
function cumulativeRows(status: BudgetStatus, monthCost: EntityCost) {
  const { month, budget, dataThrough } = status;
  const days = eachDay(monthStart(month), nextMonthStart(month));
  const daily = new Map<string, number>();
  for (const point of monthCost.series) {
    if (point.currency !== budget.currency) continue;
    daily.set(
      point.day,
      (daily.get(point.day) ?? 0) + toChartNumber(point.effectiveCost),
    );
  }
  let total = 0;
  const lastDay = days[days.length - 1];
  return days.map(day => {
    const row: {
      day: string;
      monthToDate?: number;
      forecast?: number;
    } = { day };
    if (dataThrough && day <= dataThrough) {
      total += daily.get(day) ?? 0;
      row.monthToDate = Math.round(total * 100) / 100;
    }
    if (dataThrough && day === dataThrough) {
      // Start the forecast line where the actuals end, at the exact figure.
      row.monthToDate = toChartNumber(status.monthToDate);
      row.forecast = row.monthToDate;
    }
    if (day === lastDay) {
      row.forecast = toChartNumber(status.forecast);
    }
    return row;
  });
}

function CumulativeChart(props: {
  status: BudgetStatus;
  monthCost: EntityCost;
}) {
  const { status, monthCost } = props;
  const rows = useMemo(
    () => cumulativeRows(status, monthCost),
    [status, monthCost],
  );
  const { currency, amount } = status.budget;
  const budget = toChartNumber(amount);
  const forecast = toChartNumber(status.forecast);
  return (
    <ChartBox
      testId="ownops-cost-mtd-chart"
      label={`Cumulative cost of ${describeMonth(
        status.month,
      )} against the budget`}
      height={220}
      initialWidth={600}
    >
      <LineChart data={rows} margin={{ top: 16, right: 16, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
        <YAxis
          tickFormatter={compactAmount}
          width={56}
          domain={[0, Math.ceil(Math.max(budget, forecast) * 1.1) || 'auto']}
        />
        <ChartTooltip
          formatter={(value, name) => [
            formatChartAmount(Number(value), currency),
            name,
          ]}
        />
        <Legend />
        <ReferenceLine
          y={budget}
          stroke={STATE_COLORS.over}
          strokeDasharray="6 3"
          label={{
            value: `Budget ${formatCost(amount, currency)}`,
            position: 'insideBottomRight',
            fontSize: 11,
          }}
        />
        <Line
          type="linear"
          dataKey="monthToDate"
          name="Month to date"
          stroke="#1f77b4"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="linear"
          dataKey="forecast"
          name="Forecast"
          stroke="#ff7f0e"
          strokeDasharray="5 4"
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ChartBox>
  );
}

/**
 * "This month": month-to-date, forecast and budget with the state, and the
 * cumulative month-to-date against the budget as a line chart.
 */
export function MonthPanel(props: {
  /** `YYYY-MM`: the budget's month, else the current month. */
  month: string;
  status: BudgetStatus | null;
  /** The entity's cost over the whole month (all environments). */
  monthCost?: EntityCost;
  monthError?: Error;
  entityName: string;
}) {
  const { status, monthCost, month } = props;
  const forecastLabel = (
    <Box display="flex" alignItems="center" component="span">
      Forecast
      <Tooltip title={FORECAST_METHOD}>
        <IconButton
          size="small"
          aria-label="How the forecast is computed"
          style={{ padding: 2, marginLeft: 2 }}
        >
          <InfoOutlined style={{ fontSize: 14 }} />
        </IconButton>
      </Tooltip>
    </Box>
  );

  let figures: ReactNode;
  if (status) {
    const { budget } = status;
    figures = (
      <Grid container spacing={2}>
        <Grid item xs={6} md={3}>
          <Figure
            label="Month to date"
            testId="ownops-cost-mtd"
            value={formatCost(status.monthToDate, budget.currency)}
            caption={
              status.dataThrough
                ? `data through ${status.dataThrough}`
                : 'no billing data yet this month'
            }
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Figure
            label={forecastLabel}
            testId="ownops-cost-forecast"
            value={formatCost(status.forecast, budget.currency)}
            caption={`${formatPercent(status.forecastPercent)} of the budget`}
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Figure
            label="Budget"
            testId="ownops-cost-budget"
            value={formatCost(budget.amount, budget.currency)}
            caption={
              status.budgetSource === 'annotation'
                ? `from the ${ANNOTATION_BUDGET} annotation`
                : 'per month'
            }
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Figure
            label="Used"
            testId="ownops-cost-percent-used"
            value={
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                {formatPercent(status.percentUsed)}
                <BudgetStateChip
                  state={status.state}
                  testId="ownops-cost-budget-state"
                />
              </Box>
            }
            caption={
              <span data-testid="ownops-cost-thresholds">
                {status.thresholdsReached.length > 0
                  ? `${formatThresholds(status.thresholdsReached)} reached`
                  : 'no threshold reached'}
                {budget.thresholds.length > 0
                  ? ` (alerts at ${formatThresholds(budget.thresholds)})`
                  : ''}
              </span>
            }
          />
        </Grid>
        {status.otherCurrencies.length > 0 && (
          <Grid item xs={12}>
            <Typography variant="caption" color="textSecondary">
              Cost in {status.otherCurrencies.join(', ')} is not counted against
              this {budget.currency} budget; currencies are never converted.
            </Typography>
          </Grid>
        )}
      </Grid>
    );
  } else {
    const totals = monthCost?.totals ?? [];
    figures = (
      <Grid container spacing={2}>
        <Grid item xs={6} md={3}>
          <Figure
            label="Month to date"
            testId="ownops-cost-mtd"
            value={
              totals.length > 0
                ? totals
                    .map(t => formatCost(t.effectiveCost, t.currency))
                    .join(' · ')
                : '—'
            }
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Figure
            label={forecastLabel}
            testId="ownops-cost-forecast"
            value="—"
            caption="forecast comes with a budget"
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <Figure
            label="Budget"
            testId="ownops-cost-budget"
            value="No budget set"
          />
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="ownops-cost-no-budget"
          >
            Set a monthly budget for {props.entityName} with the{' '}
            <strong>Set budget</strong> button above, in the "Service with owner
            tags" template, or with the {ANNOTATION_BUDGET} annotation in
            catalog-info.yaml, e.g. <code>"1500.00 USD | 50,80,100"</code>{' '}
            (amount, currency and alert thresholds in percent).
          </Typography>
        </Grid>
      </Grid>
    );
  }

  return (
    <InfoCard
      title="This month"
      subheader={describeMonth(status?.month ?? month)}
    >
      {figures}
      {props.monthError && (
        <Box mt={2}>
          <ResponseErrorPanel error={props.monthError} />
        </Box>
      )}
      {status && monthCost && (
        <Box mt={2}>
          <CumulativeChart status={status} monthCost={monthCost} />
        </Box>
      )}
    </InfoCard>
  );
}
