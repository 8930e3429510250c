// The Mesos release whose APIs Tepui's master and agent implement, reported wherever Mesos reports
// its version (tools gate features on it), and Tepui's own build information. One definition for
// the master and the agent.
export const MESOS_API_VERSION = '1.11.0';
export const TEPUI_VERSION = '0.1.0';

export const TEPUI_BUILD = Object.freeze({
  date: '2026-11-24 00:00:00',
  time: 1795478400,
  user: 'tepui',
});

/** The body of `GET /version` (src/version/version.cpp), plus `tepui_version`. */
export function versionJson(): Record<string, string | number> {
  return { version: MESOS_API_VERSION, build_date: TEPUI_BUILD.date, build_time: TEPUI_BUILD.time, build_user: TEPUI_BUILD.user, tepui_version: TEPUI_VERSION };
}
