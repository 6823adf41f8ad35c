import { CostBreakdownQuery, IsoDay } from '@ownops/backstage-plugin-common';

/** `ownops-cost-<groupBy>-<from>-<to>.csv`, `to` exclusive as in the API. */
export function csvFileName(
  query: Pick<CostBreakdownQuery, 'groupBy'>,
  range: { from: IsoDay; to: IsoDay },
): string {
  return `ownops-cost-${query.groupBy}-${range.from}-${range.to}.csv`;
}

/** Hands the text to the browser as a file download through a Blob URL. */
export function downloadText(text: string, fileName: string, type: string) {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    // Give the browser a moment to start the download before revoking.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
