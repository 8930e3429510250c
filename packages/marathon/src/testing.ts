// What tests outside this package use to hold other implementations to Marathon's contracts.
export { describeStateStoreContract, type StoreUnderTest } from './storage/state-store.contract';
export { CHUNKS_DIR, chunkNames, encodeManifest, splitDocument } from './storage/zk-chunks';
