import { describe, expect, it } from 'vitest';
import { baseName, isDirectoryMode, parseBrowseResponse, parseReadResponse } from './files';
import { machineLabel, maintenanceWindowSpan, parseMaintenanceSchedule } from './maintenance';
import { MesosParseError } from './master-state';
import { parseMetricsSnapshot } from './metrics';
import { parseMonitorStatistics } from './monitor';
import { parseRoles } from './roles';
import { parseStateSummary, taskCountsFromSummary } from './state-summary';
import { rawFixture, type Raw } from './test-fixtures';

describe('files', () => {
  it('spots directories in a real sandbox listing', () => {
    const raw = rawFixture('v0.27-dcos-agent/files-browse.json');
    const files = parseBrowseResponse(raw);
    const dirs = raw.filter((f: Raw) => f.mode[0] === 'd').length;
    expect(files.filter((f) => isDirectoryMode(f.mode))).toHaveLength(dirs);
    expect(isDirectoryMode('drwxr-xr-x')).toBe(true);
    expect(isDirectoryMode('-rw-r--r--')).toBe(false);
    expect(isDirectoryMode('lrwxrwxrwx')).toBe(false);
  });

  it('reads the size probe and data replies', () => {
    const [probe, chunk] = rawFixture('v0.27.1-capgemini/files-read-master-log.json');
    expect(parseReadResponse(probe)).toMatchObject({ offset: -1, data: '' });
    expect(parseReadResponse(chunk).data.length).toBe(chunk.data.length);
    expect(() => parseReadResponse({ offset: '0', data: '' })).toThrow(MesosParseError);
    expect(() => parseBrowseResponse({})).toThrow(MesosParseError);
  });

  it('baseName', () => {
    expect(baseName('/a/b/stdout')).toBe('stdout');
    expect(baseName('/a/b/')).toBe('b');
    expect(baseName('x')).toBe('x');
  });
});

describe('metrics', () => {
  it('drops non-number values and rejects non-objects', () => {
    expect(parseMetricsSnapshot({ a: 1, b: 'x', c: null, d: 2.5 })).toEqual({ a: 1, d: 2.5 });
    expect(() => parseMetricsSnapshot('nope')).toThrow(MesosParseError);
  });
});

describe('state-summary', () => {
  it('counters match the raw TASK_* fields', () => {
    const raw = rawFixture('summaries/state-summary-healthy-tasks-in-mesos-and-marathon.json');
    const summary = parseStateSummary(raw);
    summary.frameworks.forEach((framework, i) => {
      const counts = taskCountsFromSummary(framework);
      expect(counts.running).toBe(raw.frameworks[i].TASK_RUNNING);
      expect(counts.finished).toBe(raw.frameworks[i].TASK_FINISHED);
      expect(counts.unreachable).toBe(raw.frameworks[i].TASK_UNREACHABLE ?? 0);
    });
  });

  it('history: every snapshot parses with its running counts intact', () => {
    const raw: Raw[] = rawFixture('summaries/history-30-snapshots-1-agent.json');
    const parsed = raw.map((snapshot) => parseStateSummary(snapshot));
    expect(parsed).toHaveLength(30);
    const running = parsed.map((s) => s.frameworks.reduce((n, f) => n + f.TASK_RUNNING, 0));
    const rawRunning = raw.map((s) =>
      s.frameworks.reduce((n: number, f: Raw) => n + (f.TASK_RUNNING ?? 0), 0),
    );
    expect(running).toEqual(rawRunning);
  });
});

describe('roles', () => {
  it('0.22: only resources, no allocated/quota', () => {
    const raw = rawFixture('v0.22.0-datadog/master-roles.json');
    const [role] = parseRoles(raw).roles;
    expect(role?.name).toBe('*');
    expect(role?.allocated).toBeUndefined();
    expect(role?.resources?.cpus).toBe(raw.roles[0].resources.cpus);
    expect(role?.frameworks).toEqual(raw.roles[0].frameworks);
  });

  it('1.x: quota limits keep absent resources absent', () => {
    const raw = rawFixture('mesos-docs/docs/master-roles.quota-md.json');
    const [role] = parseRoles(raw).roles;
    expect(role?.quota?.limit).toEqual(raw.roles[0].quota.limit);
    expect(role?.quota?.guarantee).toBeUndefined();
    expect(role?.offered).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
  });
});

describe('monitor', () => {
  it('keeps the statistics numbers', () => {
    const raw = rawFixture('v0.19-mesos-cli/agent-monitor-statistics.json');
    const entries = parseMonitorStatistics(raw);
    entries.forEach((entry, i) => {
      expect(entry.statistics.mem_rss_bytes).toBe(raw[i].statistics.mem_rss_bytes);
      expect(entry.statistics.disk_used_bytes).toBeUndefined();
    });
  });
});

describe('maintenance', () => {
  it('computes window spans in ms', () => {
    const raw = rawFixture('mesos-docs/docs/master-maintenance-schedule.maintenance-md.json');
    const [first] = parseMaintenanceSchedule(raw).windows;
    expect(first).toBeDefined();
    if (!first) return;
    const { start, duration } = raw.windows[0].unavailability;
    expect(maintenanceWindowSpan(first)).toEqual({
      startMs: start.nanoseconds / 1e6,
      endMs: (start.nanoseconds + duration.nanoseconds) / 1e6,
    });
    expect(first.machine_ids.map(machineLabel)).toEqual(['machine1', 'machine2']);
    expect(machineLabel({ ip: '10.0.0.3' })).toBe('10.0.0.3');
    expect(parseMaintenanceSchedule({}).windows).toEqual([]);
  });
});
