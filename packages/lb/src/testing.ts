// `@tepui/lb/testing`: a Marathon to follow and its JSON, for tests and benchmarks outside the
// package (kept out of the package's main entry, which production code imports).
export { FakeMarathon, type FakeEvent, type FakeMarathonOptions } from './marathon/testing/fake-marathon';
export { appJson, taskJson, instanceIdOf, statusUpdate, healthChanged } from './marathon/testing/fixtures';
