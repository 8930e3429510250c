// The UI package's public entry point for servers: where the built browser bundle lives. Marathon
// serves this folder at /ui/; it is built by `npm run build` (Vite, see vite.config.mts).
import { join } from 'node:path';

/** Absolute path of the folder holding index.html and assets/ of the built UI. */
export const uiBundleDir: string = join(__dirname, 'bundle');
