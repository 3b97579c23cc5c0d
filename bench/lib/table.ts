import { round } from './stats.js';

export type Cell = string | number | null | undefined;

function show(value: Cell): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '-';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? round(value).toLocaleString('en-US') : String(value);
  }
  return value;
}

/** Prints rows as an aligned text table (numbers right-aligned) under a title. */
export function printTable(title: string, columns: string[], rows: Cell[][]): void {
  const text = rows.map((r) => r.map(show));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = columns.map((_, i) => rows.every((r) => typeof r[i] !== 'string'));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of text) {
    console.log(line(r));
  }
}
