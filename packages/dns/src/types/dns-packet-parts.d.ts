// dns-packet 5.6 exports the codecs of one name, of one record's data, and of type and class
// numbers; @types/dns-packet declares only whole packets. These are the parts the reply writer uses.
declare module 'dns-packet/types' {
  export function toType(name: string): number;
}

declare module 'dns-packet/classes' {
  export function toClass(name: string): number;
}
