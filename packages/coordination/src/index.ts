export * from './leadership';
export * from './standalone';
export * from './master-endpoint';
export * from './manual-detector';
export * from './memory-election';
export * from './leader-role';
export * from './zookeeper';
export * from './master-detection';
