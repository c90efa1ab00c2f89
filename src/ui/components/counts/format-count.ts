/** One formatter for every count: `toLocaleString` makes a new one at each call, which shows on every poll. */
const COUNT = new Intl.NumberFormat('en');

/** A count as people read it: 10,000. */
export function formatCount(value: number): string {
  return COUNT.format(value);
}
