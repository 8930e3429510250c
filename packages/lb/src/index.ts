export * from './model/service';
export * from './model/layout';
