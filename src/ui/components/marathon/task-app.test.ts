import { describe, expect, it } from 'vitest';
import { appIdOfTaskId, marathonAppOfTask } from './task-app';

describe('appIdOfTaskId', () => {
  it("reads the app id out of Marathon's task ids, old and new", () => {
    expect(appIdOfTaskId('stubby.46eb7e7b-e1fa-11e5-9a50-5ac2a4ac00a4')).toBe('/stubby');
    expect(appIdOfTaskId('prod_web.instance-564bd685-4c30-11e5-98c1-be5b2935a987._app.1')).toBe('/prod/web');
    expect(appIdOfTaskId('minecraft_survival-world.instance-564bd685-4c30-11e5-98c1-be5b2935a987')).toBe(
      '/minecraft/survival-world',
    );
    expect(appIdOfTaskId('my.dotted.app.46eb7e7b-e1fa-11e5-9a50-5ac2a4ac00a4')).toBe('/my.dotted.app');
  });

  it('says null for task ids that are not Marathon’s', () => {
    expect(appIdOfTaskId('hello.1')).toBeNull();
    expect(appIdOfTaskId('46eb7e7b-e1fa-11e5-9a50-5ac2a4ac00a4')).toBeNull();
    expect(appIdOfTaskId('a/b.46eb7e7b-e1fa-11e5-9a50-5ac2a4ac00a4')).toBeNull();
  });
});

describe('marathonAppOfTask', () => {
  const marathons = [{ key: 'm:8080', frameworkId: 'fw-marathon' }];
  it('links only tasks of a known Marathon framework', () => {
    const id = 'stubby.46eb7e7b-e1fa-11e5-9a50-5ac2a4ac00a4';
    expect(marathonAppOfTask({ id, frameworkId: 'fw-marathon' }, marathons)).toEqual({
      marathon: 'm:8080',
      appId: '/stubby',
    });
    expect(marathonAppOfTask({ id, frameworkId: 'fw-chronos' }, marathons)).toBeNull();
    expect(marathonAppOfTask({ id, frameworkId: 'fw-marathon' }, undefined)).toBeNull();
  });
});
