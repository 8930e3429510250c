// Value, Resource and Attribute as they appear in Mesos v1 JSON (include/mesos/v1/mesos.proto).
// Field names are the proto's snake_case names; enums are their value names.

export interface Scalar { value: number }
export interface Range { begin: number; end: number }
export interface Ranges { range: Range[] }
export interface ValueSet { item: string[] }
export interface Text { value: string }

export type ValueType = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';

export interface Label { key: string; value?: string }
export interface Labels { labels: Label[] }

export interface AllocationInfo { role?: string }

export type ReservationType = 'UNKNOWN' | 'STATIC' | 'DYNAMIC';

export interface ReservationInfo {
  type?: ReservationType;
  role?: string;
  principal?: string;
  labels?: Labels;
}

export interface DiskInfo {
  persistence?: { id: string; principal?: string };
  volume?: Volume;
  source?: { type: 'UNKNOWN' | 'PATH' | 'MOUNT' | 'BLOCK' | 'RAW'; path?: { root?: string }; mount?: { root?: string }; id?: string; profile?: string };
}

export interface Volume {
  container_path: string;
  host_path?: string;
  mode?: 'RW' | 'RO';
  image?: unknown;
  source?: unknown;
}

export interface Resource {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET';
  scalar?: Scalar;
  ranges?: Ranges;
  set?: ValueSet;
  /** Deprecated pre-refinement role; "*" means unreserved. */
  role?: string;
  allocation_info?: AllocationInfo;
  /** Deprecated pre-refinement dynamic reservation info. */
  reservation?: ReservationInfo;
  /** Post-refinement reservation stack, outermost first. */
  reservations?: ReservationInfo[];
  disk?: DiskInfo;
  revocable?: Record<string, never>;
  shared?: Record<string, never>;
  provider_id?: { value: string };
}

export interface Attribute {
  name: string;
  type: ValueType;
  scalar?: Scalar;
  ranges?: Ranges;
  set?: ValueSet;
  text?: Text;
}
