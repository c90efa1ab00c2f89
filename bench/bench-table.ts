/** One benchmark's result: rows of named figures, printed as a table under the command that made them. */
export interface BenchResult {
  title: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}

export interface Bench {
  name: string;
  /** What it measures, in one line. */
  description: string;
  run(options: { smoke: boolean }): Promise<BenchResult>;
}

export function formatTable(result: BenchResult): string {
  const columns = [...new Set(result.rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined) =>
    value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : value;
  const widths = columns.map((column) =>
    Math.max(column.length, ...result.rows.map((row) => cell(row[column]).length)),
  );
  const line = (cells: string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `### ${result.title}`,
    '',
    line(columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...result.rows.map((row) => line(columns.map((column) => cell(row[column])))),
    ...(result.notes?.length ? ['', ...result.notes.map((note) => `- ${note}`)] : []),
  ].join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}
