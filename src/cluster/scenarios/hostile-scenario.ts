/**
 * `hostile`: a cluster whose every free-text field tries to break the page: markup and script in framework,
 * task, role, host and file names, `javascript:` web UI URLs, right-to-left overrides, and 10 kB names.
 * A dashboard must show all of it as inert text. Used by the hostile-input browser tests.
 */
import type { ClusterCore } from '../master/cluster-core';
import type { ScenarioHandle } from './demo-scenario';
import { nowSecs } from '../master/ids';
import type { LocalAgentHandle } from '../index';
import { scheduleMaintenance } from '../master/maintenance';
import { emptyResources } from '../master/resources';

export const HOSTILE = {
  markup: '<img src=x onerror=alert(1)>',
  script: '<script>alert(2)</script>',
  svg: '"><svg onload=alert(3)>',
  javascriptUrl: 'javascript:alert(document.domain)',
  /** Shows as "invoiceexe.txt" in a naive renderer: U+202E reverses what follows. */
  rtl: 'invoice\u202Etxt.exe',
  long: 'W'.repeat(10 * 1024),
  role: '<marquee>hostile',
} as const;

/** A shell word for `text` (single-quoted; the strings above contain no single quote). */
const sh = (text: string) => `'${text}'`;

/** Creates hostile file names in the sandbox, prints hostile output, then idles. */
const HOSTILE_FILES_CMD = [
  `touch ${sh(HOSTILE.markup)} ${sh(HOSTILE.javascriptUrl)} ${sh(HOSTILE.rtl)} ${sh(HOSTILE.svg)}`,
  `touch ${sh('L'.repeat(200))}`,
  `printf '%s\\n' ${sh(HOSTILE.script)} ${sh(HOSTILE.markup)}`,
  `printf '\\033[31mred\\033[0m \\033]0;title\\007 \\033[2J cleared?\\n'`,
  'while true; do sleep 5; done',
].join('; ');

export async function startHostileScenario(
  core: ClusterCore,
  addAgent: () => Promise<LocalAgentHandle>,
): Promise<ScenarioHandle> {
  if (core.agents.length === 0) await addAgent();
  const markupFramework = core.registerFramework({
    name: HOSTILE.markup,
    user: HOSTILE.script,
    hostname: HOSTILE.svg,
    principal: HOSTILE.rtl,
    webuiUrl: HOSTILE.javascriptUrl,
    roles: [HOSTILE.role, `${HOSTILE.role}/child`],
    capabilities: ['MULTI_ROLE', 'PARTITION_AWARE'],
  });
  const longFramework = core.registerFramework({
    name: HOSTILE.long,
    user: HOSTILE.long,
    hostname: HOSTILE.long,
    webuiUrl: `${HOSTILE.javascriptUrl}//http://example.com`,
    roles: ['*'],
  });

  await core.launchTask({
    frameworkId: markupFramework.id,
    name: HOSTILE.markup,
    cmd: HOSTILE_FILES_CMD,
    role: HOSTILE.role,
    extras: {
      labels: {
        [HOSTILE.markup]: HOSTILE.script,
        homepage: HOSTILE.javascriptUrl,
        [HOSTILE.rtl]: HOSTILE.svg,
        long: HOSTILE.long,
      },
      discovery: { name: HOSTILE.markup, labels: { [HOSTILE.svg]: HOSTILE.markup } },
    },
  });
  await core.launchTask({
    frameworkId: longFramework.id,
    taskId: 'long-name-task',
    name: HOSTILE.long,
    cmd: 'while true; do sleep 5; done',
  });
  await core.launchTask({
    frameworkId: markupFramework.id,
    taskId: `rtl-${HOSTILE.rtl}`,
    name: HOSTILE.rtl,
    cmd: `printf '%s\\n' ${sh(HOSTILE.rtl)}; while true; do sleep 5; done`,
    role: HOSTILE.role,
  });

  // A framework that ran and left, so the completed tables carry hostile names too.
  const gone = core.registerFramework({
    name: `${HOSTILE.svg}${HOSTILE.rtl}`,
    webuiUrl: HOSTILE.javascriptUrl,
  });
  const done = await core.launchTask({ frameworkId: gone.id, name: HOSTILE.script, cmd: 'exit 0' });
  for (let i = 0; i < 100 && done.state !== 'TASK_FINISHED'; i++) await new Promise((r) => setTimeout(r, 20));
  await core.teardownFramework(gone.id);

  const agent = core.agents[0];
  if (agent) {
    agent.reserved.set(HOSTILE.role, { ...emptyResources(), cpus: 0.5, mem: 128 });
    core.createOffer(markupFramework.id, agent, { ...emptyResources(), cpus: 0.5, mem: 64, disk: 10 });
  }
  core.weights.set(HOSTILE.role, 3);
  core.quotas.set(HOSTILE.role, { guarantee: { cpus: 0.5 }, limit: { cpus: 1, mem: 512 } });
  scheduleMaintenance(
    core,
    [
      {
        machines: [{ hostname: HOSTILE.markup, ip: HOSTILE.javascriptUrl }, { hostname: HOSTILE.long }],
        start: nowSecs() + 3600,
        durationSecs: 3600,
      },
    ],
    { down: [{ hostname: HOSTILE.long }] },
  );
  return { stop: () => undefined };
}
