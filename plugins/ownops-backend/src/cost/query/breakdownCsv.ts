import { CostBreakdown } from '@ownops/backstage-plugin-common';

const COLUMNS = [
  'group',
  'title',
  'currency',
  'effective_cost',
  'billed_cost',
  'previous_effective_cost',
  'change_percent',
  'budget_for_range',
] as const;

/**
 * A breakdown as CSV (RFC 4180, CRLF), one row per group and currency.
 * Text cells that a spreadsheet would run as a formula (starting with `=`,
 * `+`, `-`, `@`, tab or CR) are prefixed with `'`.
 */
export function breakdownCsv(breakdown: CostBreakdown): string {
  const lines = [COLUMNS.join(',')];
  for (const row of breakdown.rows) {
    lines.push(
      [
        text(row.key ?? '(unallocated)'),
        text(row.title ?? ''),
        row.currency,
        row.effectiveCost,
        row.billedCost,
        row.previousEffectiveCost,
        row.changePercent === null ? '' : String(row.changePercent),
        row.budgetForRange ?? '',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function text(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
