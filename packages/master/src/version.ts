// The Mesos API version Tepui's master is compatible with, reported where Mesos reports its own
// version (tools gate features on it), and Tepui's own build information.
export const TEPUI_MESOS_VERSION = '1.11.0';
export const TEPUI_VERSION = '0.1.0';

export const BUILD = Object.freeze({
  date: '2026-11-24 00:00:00',
  time: 1795478400,
  user: 'tepui',
});
