import { describe, expect, it } from 'vitest';
import { humanDuration, isoTime, mesosSecondsToMs, relativeTime } from './time';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const W = 7 * D;
const Y = 365 * D;
const MO = Y / 12;
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

describe('relativeTime', () => {
  it.each([
    [0, 'just now'],
    [41 * S, 'just now'],
    [42 * S, 'a minute ago'],
    [89 * S, 'a minute ago'],
    [90 * S, '2 minutes ago'],
    [59 * MIN, '59 minutes ago'],
    [60 * MIN, 'an hour ago'],
    [89 * MIN, 'an hour ago'],
    [90 * MIN, '2 hours ago'],
    [23 * H, '23 hours ago'],
    [24 * H, 'yesterday'],
    [2 * D - 1, 'yesterday'],
    [2 * D, '2 days ago'],
    [6 * D, '6 days ago'],
    [7 * D, 'a week ago'],
    [1.5 * W - 1, 'a week ago'],
    [1.5 * W, '2 weeks ago'],
    [MO - 1, '4 weeks ago'],
    [MO, 'a month ago'],
    [1.5 * MO, '2 months ago'],
    [Y - 1, '12 months ago'],
    [Y, 'a year ago'],
    [1.5 * Y, '2 years ago'],
    [10 * Y, '10 years ago'],
  ])('%d ms ago → %s', (delta, expected) => {
    expect(relativeTime(NOW - delta, NOW)).toBe(expected);
  });

  it.each([
    [10 * S, 'just now'],
    [60 * S, 'in a minute'],
    [5 * MIN, 'in 5 minutes'],
    [3 * H, 'in 3 hours'],
    [30 * H, 'tomorrow'],
    [3 * D, 'in 3 days'],
    [3 * Y, 'in 3 years'],
  ])('%d ms ahead → %s', (delta, expected) => {
    expect(relativeTime(NOW + delta, NOW)).toBe(expected);
  });
});

describe('isoTime', () => {
  it('formats UTC without milliseconds', () => {
    expect(isoTime(Date.UTC(2016, 2, 1, 12, 7, 5, 999))).toBe('2016-03-01T12:07:05Z');
    expect(isoTime(mesosSecondsToMs(1456834010.55285))).toBe(
      new Date(1456834010552.85).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(isoTime(Number.NaN)).toBe('');
  });

  it('converts Mesos seconds to ms', () => {
    expect(mesosSecondsToMs(1.5)).toBe(1500);
  });
});

describe('humanDuration', () => {
  it.each([
    [604_800, '7 days'],
    [86_400, '1 day'],
    [3_600, '1 hour'],
    [5_400, '1 hour 30 minutes'],
    [108_000, '1 day 6 hours'],
    [90, '1 minute 30 seconds'],
    [120, '2 minutes'],
    [1, '1 second'],
    [0, '0 seconds'],
    [0.5, '0.5 s'],
    [31_536_000, '365 days'],
    [-1, '-'],
  ])('%d s → %s', (seconds, expected) => {
    expect(humanDuration(seconds)).toBe(expected);
  });
});
