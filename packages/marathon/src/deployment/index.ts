export * from './plan';
export * from './replace-step';
export * from './scale-down';
