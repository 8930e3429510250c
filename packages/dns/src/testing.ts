// `@tepui/dns/testing`: the real `dig` with its output parsed, and UDP + TCP on one port for
// stand-in resolvers, for tests outside the package (kept out of the package's main entry, which
// production code imports).
export { dig, digShort, parseDig, DIG, type DigRecord, type DigResult } from './serving/testing/dig';
export { bindUdpAndTcp, type UdpAndTcp } from './serving/udp-and-tcp';
