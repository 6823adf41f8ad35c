import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { BudgetStatus } from '@ownops/backstage-plugin-common';
import { BudgetAlertStore } from '../../database/BudgetAlertStore';
import { BudgetStore } from '../../database/BudgetStore';
import { CostStore } from '../../database/CostStore';
import { decimalToNanos } from '../money/nanos';
import { budgetStatusesOf } from './budgetStatuses';
import { BudgetAlertConfig } from './config';
import { EffectiveBudget, EffectiveBudgets } from './EffectiveBudgets';
import { divideHalfEven } from './forecast';
import { IsoMonth, monthLabel, monthOf, previousMonth } from './month';

/**
 * During the first days of a month the previous month is checked too:
 * billing data lags, so its last days often arrive after it ended.
 */
export const LATE_DATA_DAYS = 3;

/** Notification topic of budget alerts. */
export const BUDGET_ALERT_TOPIC = 'ownops-budget';

export interface BudgetCheckResult {
  /** Budget statuses computed (a budget counts twice while the previous month is checked too). */
  checked: number;
  /** Thresholds claimed and notified in this run. */
  alerted: Array<{ entityRef: string; month: IsoMonth; threshold: number }>;
}

/**
 * Alerts owners and finance when a budget's month-to-date cost reaches one
 * of its thresholds, once per budget, month and threshold.
 *
 * Each newly reached threshold is first claimed in `ownops_budget_alerts`
 * (an insert the database accepts once), and only a run whose claim created
 * the row notifies: two replicas or two runs never alert twice. A claim is
 * never undone, so a notification that fails is not retried (at most once):
 * it is logged and its audit event fails, and the next threshold alerts as
 * usual. When several thresholds are newly reached at once (a big bill),
 * one notification names the highest and lists the others.
 */
export class BudgetAlertChecker {
  private readonly effective: EffectiveBudgets;

  constructor(
    private readonly deps: {
      budgets: BudgetStore;
      alerts: BudgetAlertStore;
      costs: Pick<CostStore, 'sum'>;
      catalog: CatalogService;
      auth: AuthService;
      notifications: NotificationService;
      auditor: AuditorService;
      logger: LoggerService;
      config: BudgetAlertConfig;
    },
  ) {
    this.effective = new EffectiveBudgets({
      store: deps.budgets,
      catalog: deps.catalog,
      logger: deps.logger,
    });
  }

  /** Checks every effective budget against the month of `now` (UTC). */
  async check(now: Date): Promise<BudgetCheckResult> {
    const budgets = await this.effective.list(
      await this.deps.auth.getOwnServiceCredentials(),
    );
    const result: BudgetCheckResult = { checked: 0, alerted: [] };
    const month = monthOf(now);
    const months =
      now.getUTCDate() <= LATE_DATA_DAYS
        ? [previousMonth(month), month]
        : [month];
    for (const checkedMonth of months) {
      const [statuses, alerted] = await Promise.all([
        budgetStatusesOf(this.deps.costs, budgets, checkedMonth, now),
        this.deps.alerts.alertedThresholds(checkedMonth),
      ]);
      for (const [index, status] of statuses.entries()) {
        result.checked += 1;
        const effective = budgets[index];
        const ref = effective.budget.entityRef;
        const fresh = status.thresholdsReached.filter(
          t => !alerted.get(ref)?.has(t),
        );
        if (fresh.length === 0) continue;
        try {
          const claimed = await this.claim(status, fresh, now);
          if (
            claimed.length > 0 &&
            (await this.notify(effective, status, claimed, now))
          ) {
            result.alerted.push(
              ...claimed.map(threshold => ({
                entityRef: ref,
                month: checkedMonth,
                threshold,
              })),
            );
          }
        } catch (error) {
          this.deps.logger.error(
            `Could not check the ${checkedMonth} budget of ${ref}: ${error}`,
          );
        }
      }
    }
    this.deps.logger.info(
      `Checked ${result.checked} budget statuses; alerted ${
        result.alerted
          .map(a => `${a.entityRef} ${a.month} ${a.threshold}%`)
          .join(', ') || 'nothing'
      }`,
    );
    return result;
  }

  /** Claims each threshold; returns those this run won, ascending. */
  private async claim(
    status: BudgetStatus,
    thresholds: number[],
    now: Date,
  ): Promise<number[]> {
    const claimed: number[] = [];
    for (const threshold of thresholds) {
      const won = await this.deps.alerts.claim(
        {
          entityRef: status.budget.entityRef,
          month: status.month,
          threshold,
          currency: status.budget.currency,
          budgetAmount: status.budget.amount,
          monthToDate: status.monthToDate,
        },
        now,
      );
      if (won) claimed.push(threshold);
    }
    return claimed;
  }

  /** Sends one notification for the claimed thresholds; false if it failed. */
  private async notify(
    effective: EffectiveBudget,
    status: BudgetStatus,
    claimed: number[],
    now: Date,
  ): Promise<boolean> {
    const { budget } = status;
    const ref = budget.entityRef;
    const threshold = claimed[claimed.length - 1];
    const { kind, namespace, name } = parseEntityRef(ref);
    const recipients = this.recipientsOf(ref, effective.entity);
    const title = `${
      effective.entity?.metadata.title ?? name
    } reached ${threshold}% of its monthly budget`;
    const description = describe(status, effective, claimed, now);

    const event = await this.deps.auditor
      .createEvent({
        eventId: 'budget-alert',
        severityLevel: 'medium',
        meta: {
          entityRef: ref,
          month: status.month,
          threshold,
          thresholds: claimed,
          budgetSource: status.budgetSource,
          currency: budget.currency,
          budgetAmount: budget.amount,
          monthToDate: status.monthToDate,
          forecast: status.forecast,
          recipients,
        },
      })
      .catch(error => {
        // The claimed row records the alert; a missing audit event must not
        // also cost the owners their notification.
        this.deps.logger.error(
          `Could not record the budget-alert audit event of ${ref}: ${error}`,
        );
        return undefined;
      });
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title,
          description,
          link: `/catalog/${namespace}/${kind}/${name}/cost`,
          severity: threshold >= 100 ? 'high' : 'normal',
          topic: BUDGET_ALERT_TOPIC,
          // One notification per budget and month, updated as thresholds pass.
          scope: `${BUDGET_ALERT_TOPIC}:${ref}:${status.month}`,
        },
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not notify ${recipients.join(
          ', ',
        )} that ${ref} reached ${threshold}% of its ${
          status.month
        } budget; the alert is recorded and will not be sent again: ${error}`,
      );
      await event?.fail({ error: error as Error });
      return false;
    }
    await event?.success();
    return true;
  }

  /**
   * The budget's owners and the finance group: a component's `spec.owner`
   * (a group by default), a group itself.
   */
  private recipientsOf(ref: string, entity: Entity | undefined): string[] {
    const recipients = new Set<string>();
    const { kind, namespace } = parseEntityRef(ref);
    if (kind === 'group') {
      recipients.add(ref);
    } else {
      const owner = entity?.spec?.owner;
      if (typeof owner === 'string' && owner.length > 0) {
        try {
          recipients.add(
            stringifyEntityRef(
              parseEntityRef(owner, {
                defaultKind: 'group',
                defaultNamespace: namespace,
              }),
            ).toLocaleLowerCase('en-US'),
          );
        } catch {
          this.deps.logger.warn(`${ref} has an invalid owner "${owner}"`);
        }
      } else {
        this.deps.logger.warn(
          `${ref} has no owner in the catalog; its budget alert goes to finance only`,
        );
      }
    }
    recipients.add(this.deps.config.financeGroup);
    return [...recipients];
  }
}

/** The body of an alert: the month's figures in the budget's currency. */
function describe(
  status: BudgetStatus,
  effective: EffectiveBudget,
  claimed: number[],
  now: Date,
): string {
  const { budget, month } = status;
  const money = (amount: string) => formatMoney(amount, budget.currency);
  const ended = month < monthOf(now);
  const parts = [
    `${monthLabel(month)}: ${money(status.monthToDate)} ${
      ended ? 'spent' : 'month-to-date'
    } of a ${money(budget.amount)} budget (${status.percentUsed.toFixed(1)}%).`,
    ended
      ? 'The month has ended; late billing data brought it to this threshold.'
      : `Forecast for the month: ${money(
          status.forecast,
        )} (${status.forecastPercent.toFixed(1)}%).`,
  ];
  if (status.dataThrough) {
    parts.push(`Cost data through ${status.dataThrough}.`);
  }
  if (claimed.length > 1) {
    parts.push(
      `Also passed: ${claimed
        .slice(0, -1)
        .map(t => `${t}%`)
        .join(', ')}.`,
    );
  }
  if (effective.source === 'annotation') {
    parts.push(
      'The budget is set by the ownops.io/budget annotation in catalog-info.yaml.',
    );
  }
  return parts.join(' ');
}

/**
 * An exact decimal for people: rounded half to even to cents, thousands
 * grouped, with the currency code — `1,234.57 USD`.
 */
export function formatMoney(amount: string, currency: string): string {
  const nanos = decimalToNanos(amount);
  const negative = nanos < 0n;
  const cents = divideHalfEven(negative ? -nanos : nanos, 10_000_000n);
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (cents % 100n).toString().padStart(2, '0');
  return `${negative && cents > 0n ? '-' : ''}${whole}.${fraction} ${currency}`;
}
