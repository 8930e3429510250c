// POST /api/v1 on the agent (Mesos' Slave::Http::api, src/slave/http.cpp), JSON only: LIST_FILES,
// READ_FILE and GET_CONTAINERS are served; every other agent::Call is a 400 naming it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptsJson, AGENT_CALL_TYPES, type AgentCall, type AgentListFilesResponse, type AgentReadFileResponse } from '@tepui/protocol';
import { BadRequest, MethodNotAllowed, NotAcceptable, UnsupportedMediaType } from '../errors';
import type { SandboxFiles } from '../files/files-http';
import type { ResourceMonitor } from '../usage/resource-monitor';
import { readBody } from './request-body';
import { getContainersResponse } from './usage-codec';

type Decoded = { readonly ok: true; readonly call: AgentCall } | { readonly ok: false; readonly error: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A uint64 field as stout's JSON parser takes it: a non-negative integer, as a number or a string. */
function uint64(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The body of an agent::Call in JSON, checked as Mesos parses and validates it (src/slave/validation.cpp). */
export function decodeAgentCall(body: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { ok: false, error: `Failed to parse body into JSON: ${(err as Error).message}` };
  }
  if (!isObject(value)) return { ok: false, error: 'Failed to convert JSON into Call protobuf: Expecting a JSON object' };
  const type = value['type'];
  if (typeof type !== 'string' || !(AGENT_CALL_TYPES as readonly string[]).includes(type) || type === 'UNKNOWN') {
    return { ok: false, error: "Failed to validate agent::Call: Expecting 'type' to be present" };
  }
  if (type === 'LIST_FILES') {
    const listFiles = value['list_files'];
    if (listFiles === undefined || listFiles === null) return { ok: false, error: "Failed to validate agent::Call: Expecting 'list_files' to be present" };
    if (!isObject(listFiles) || typeof listFiles['path'] !== 'string') return { ok: false, error: 'Failed to convert JSON into Call protobuf: Missing required fields: list_files.path' };
    return { ok: true, call: { type, list_files: { path: listFiles['path'] } } };
  }
  if (type === 'READ_FILE') {
    const readFile = value['read_file'];
    if (readFile === undefined || readFile === null) return { ok: false, error: "Failed to validate agent::Call: Expecting 'read_file' to be present" };
    if (!isObject(readFile) || typeof readFile['path'] !== 'string' || readFile['offset'] === undefined) {
      return { ok: false, error: 'Failed to convert JSON into Call protobuf: Missing required fields: read_file.path, read_file.offset' };
    }
    const offset = uint64(readFile['offset']);
    const length = readFile['length'] === undefined || readFile['length'] === null ? undefined : uint64(readFile['length']);
    if (offset === undefined) return { ok: false, error: "Failed to convert JSON into Call protobuf: 'read_file.offset' is not a non-negative integer" };
    if (length === undefined && readFile['length'] !== undefined && readFile['length'] !== null) {
      return { ok: false, error: "Failed to convert JSON into Call protobuf: 'read_file.length' is not a non-negative integer" };
    }
    return { ok: true, call: { type, read_file: { path: readFile['path'], offset, ...(length === undefined ? {} : { length }) } } };
  }
  if (type === 'GET_CONTAINERS') return decodeGetContainers(value['get_containers']);
  return { ok: true, call: { type: type as AgentCall['type'] } };
}

/** Call.GetContainers is optional, and so are both its flags. */
function decodeGetContainers(getContainers: unknown): Decoded {
  if (getContainers === undefined || getContainers === null) return { ok: true, call: { type: 'GET_CONTAINERS' } };
  if (!isObject(getContainers)) return { ok: false, error: "Failed to convert JSON into Call protobuf: 'get_containers' is not an object" };
  const flags: { show_nested?: boolean; show_standalone?: boolean } = {};
  for (const flag of ['show_nested', 'show_standalone'] as const) {
    const value = getContainers[flag];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') return { ok: false, error: `Failed to convert JSON into Call protobuf: 'get_containers.${flag}' is not a boolean` };
    flags[flag] = value;
  }
  return { ok: true, call: { type: 'GET_CONTAINERS', get_containers: flags } };
}

export function createAgentOperatorApi(files: SandboxFiles, monitor: ResourceMonitor) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      req.resume();
      throw new MethodNotAllowed(['POST'], req.method ?? '');
    }
    const contentType = req.headers['content-type'];
    if (contentType === undefined) {
      req.resume();
      throw new BadRequest("Expecting 'Content-Type' to be present");
    }
    // Compared whole, as libprocess compares it (and as the executor API here does): a charset suffix is a 415.
    if (contentType !== 'application/json') {
      req.resume();
      throw new UnsupportedMediaType("Tepui's agent takes only 'application/json' on its operator API");
    }
    if (!acceptsJson(req.headers.accept)) {
      req.resume();
      throw new NotAcceptable("Expecting 'Accept' to allow 'application/json'");
    }
    const decoded = decodeAgentCall((await readBody(req)).toString('utf8'));
    if (!decoded.ok) throw new BadRequest(decoded.error);
    const call = decoded.call;
    if (call.type === 'LIST_FILES') {
      const reply: AgentListFilesResponse = { type: 'LIST_FILES', list_files: { file_infos: await files.listFiles(call.list_files!.path) } };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    if (call.type === 'READ_FILE') {
      const { path, offset, length } = call.read_file!;
      const { size, data } = await files.read(path, offset, length);
      const reply: AgentReadFileResponse = { type: 'READ_FILE', read_file: { size, data: data.toString('base64') } };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    if (call.type === 'GET_CONTAINERS') {
      // Tepui has neither nested nor standalone containers: show_nested and show_standalone add none.
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(getContainersResponse(await monitor.usage())));
      return;
    }
    throw new BadRequest(`Tepui's agent does not support the operator call '${call.type}' yet`);
  };
}
