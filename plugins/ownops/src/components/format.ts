import { Deployment, DeploymentStatus } from '@ownops/backstage-plugin-common';
import { DateTime, Duration } from 'luxon';
import { numberFormat } from './intlFormats';

export function statusLabel(status: DeploymentStatus): string {
  return status.replace('_', ' ');
}

export function isFinished(status: DeploymentStatus): boolean {
  return ['succeeded', 'failed', 'cancelled'].includes(status);
}

export function relativeTime(iso: string | undefined): string {
  return iso ? DateTime.fromISO(iso).toRelative() ?? iso : '—';
}

export function humanDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const duration = Duration.fromMillis(ms).shiftTo(
    'days',
    'hours',
    'minutes',
    'seconds',
  );
  const parts = (['days', 'hours', 'minutes', 'seconds'] as const)
    .map(unit => [unit, Math.floor(duration.get(unit))] as const)
    .filter(([, value]) => value > 0)
    .slice(0, 2)
    .map(
      ([unit, value]) => `${value} ${value === 1 ? unit.slice(0, -1) : unit}`,
    );
  return parts.join(' ') || '0 seconds';
}

export function shortUser(ref: string): string {
  return ref.replace(/^user:(default\/)?/, '');
}

export function describeDeployment(deployment: Deployment): string {
  const what = deployment.kind === 'rollback' ? 'Rollback' : 'Deploy';
  return `${what} of ${deployment.version} is ${statusLabel(
    deployment.status,
  )} (#${deployment.id})`;
}

/** The server's own message for API errors, else the error's. */
export function errorMessage(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } })?.body;
  return body?.error?.message ?? (error as Error)?.message ?? String(error);
}

const DECIMAL = /^\d+(\.(\d+))?$/;

/**
 * A money amount kept as a decimal string, e.g. `USD 1,500.00`. The string
 * goes to Intl.NumberFormat as is (exact decimal formatting), never through
 * floating point; every decimal of the amount is shown.
 */
export function formatMoney(amount: string, currency: string): string {
  const match = DECIMAL.exec(amount.trim());
  if (!match) {
    return `${amount} ${currency}`;
  }
  try {
    const options: Intl.NumberFormatOptions = {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
    };
    const minimumFractionDigits =
      numberFormat(options).resolvedOptions().minimumFractionDigits ?? 2;
    const formatter = numberFormat({
      ...options,
      minimumFractionDigits,
      maximumFractionDigits: Math.max(
        minimumFractionDigits,
        match[2]?.length ?? 0,
      ),
    });
    return formatter
      .format(amount.trim() as `${number}`)
      .replace(/\u00a0/g, ' ');
  } catch {
    // An unknown currency code: show it as given.
    return `${amount} ${currency}`;
  }
}

/** `[50, 80, 100]` → `50%, 80%, 100%`. */
export function formatThresholds(thresholds: number[]): string {
  return thresholds.map(t => `${t}%`).join(', ');
}
