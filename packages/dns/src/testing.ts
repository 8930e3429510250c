// `@tepui/dns/testing`: the real `dig` with its output parsed, for tests outside the package (kept
// out of the package's main entry, which production code imports).
export { dig, digShort, parseDig, DIG, type DigRecord, type DigResult } from './serving/testing/dig';
