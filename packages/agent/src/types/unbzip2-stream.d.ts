// unbzip2-stream ships no types: a factory of a bzip2-decompressing duplex stream.
declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';
  function unbzip2Stream(): Duplex;
  export = unbzip2Stream;
}
