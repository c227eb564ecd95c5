// The rows an import skipped, as text to copy: the same CSV the window saves
// to fix (clientcsv.WriteRejected in Go): the file's header and cells with the
// reason in a last column.
import type { RejectedRow } from './api/types';

export const reasonColumn = 'Why it was skipped';

/** csvCell quotes a cell when a comma, quote or line break would split it. */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** rowsToFix is the CSV text of the skipped rows, ready to paste into a spreadsheet. */
export function rowsToFix(header: string[], rows: RejectedRow[]): string {
  const lines = [[...header, reasonColumn]];
  for (const r of rows) {
    const cells = header.map((_, i) => r.cells?.[i] ?? '');
    lines.push([...cells, `Line ${r.line}: ${r.reason}`]);
  }
  return lines.map((l) => l.map(csvCell).join(',')).join('\n') + '\n';
}
