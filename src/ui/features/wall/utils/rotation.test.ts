import { describe, expect, it } from 'vitest';
import { nextStop, parseRotation } from './rotation';

describe('parseRotation', () => {
  it('reads pages with their seconds; the last seconds given apply to pages without their own', () => {
    expect(parseRotation('/wall,/agents:30').stops).toEqual([
      { path: '/wall', seconds: 30 },
      { path: '/agents', seconds: 30 },
    ]);
    expect(parseRotation('/wall:120,/agents:30,/frameworks').stops).toEqual([
      { path: '/wall', seconds: 120 },
      { path: '/agents', seconds: 30 },
      { path: '/frameworks', seconds: 60 },
    ]);
    expect(parseRotation(null)).toEqual({ stops: [], problems: [] });
  });

  it('refuses anything that is not a page of this app, and absurd times', () => {
    const { stops, problems } = parseRotation(
      '//evil.example/x:10,https://evil.example:10,/a?b=c,/wall:1,/agents:10',
    );
    expect(stops).toEqual([{ path: '/agents', seconds: 10 }]);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/not a mesoscope page/);
    expect(problems[3]).toMatch(/\/wall:1 must stay from 5/);
  });
});

describe('nextStop', () => {
  const params = new URLSearchParams('rotate=/wall,/agents:30&theme=light&refresh=2&kiosk');
  const { stops } = parseRotation(params.get('rotate'));

  it('goes to the next page after the current one, in kiosk mode, carrying the display options', () => {
    expect(nextStop(stops, '/wall', params)).toEqual({
      url: '/agents?kiosk&rotate=%2Fwall%2C%2Fagents%3A30&theme=light&refresh=2',
      afterMs: 30_000,
    });
    expect(nextStop(stops, '/agents', params)?.url).toMatch(/^\/wall\?kiosk&rotate=/);
  });

  it('comes back to the list from a page outside it, and stays put with a single page', () => {
    expect(nextStop(stops, '/frameworks', params)?.url).toMatch(/^\/wall\?kiosk/);
    expect(nextStop([{ path: '/wall', seconds: 30 }], '/wall', params)).toBeNull();
    expect(nextStop([], '/wall', params)).toBeNull();
  });
});
