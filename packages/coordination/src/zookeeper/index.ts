export * from './zk-url';
export * from './zk-errors';
export * from './zk-session';
export * from './leader-codec';
export * from './zk-contender';
export * from './zk-detector';
export * from './zk-election';
