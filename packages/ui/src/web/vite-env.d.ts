// Vite's `?sharedworker` imports: a SharedWorker constructor for the bundled worker module.
declare module '*?sharedworker' {
  const SharedWorkerFactory: new (options?: { name?: string }) => SharedWorker;
  export default SharedWorkerFactory;
}
