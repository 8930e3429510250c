export * from './leadership';
export * from './standalone';
