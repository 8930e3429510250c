export * from './app-equality';
export * from './conflicts';
export * from './plan';
export * from './plan-json';
export * from './replace-step';
export * from './revert-plan';
export * from './scale-down';
