/** The Mesos release the local cluster pretends to be. */
export const MESOS_VERSION = '1.11.0';

/** The `/version` body (also merged into master and agent state). */
export function versionJson(): Record<string, string | number> {
  return {
    version: MESOS_VERSION,
    git_tag: MESOS_VERSION,
    build_date: '2020-11-19 16:25:40',
    build_time: 1605803140,
    build_user: 'mesoscope',
  };
}
