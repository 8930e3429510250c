// The v1 JSON decoders against stout's rules (3rdparty/stout/include/stout/{json,protobuf}.hpp):
// each row is a body and the decoded call or the error Mesos answers with.
import { expect } from 'chai';
import { MAX_JSON_DEPTH, parseJsonBody } from './json-text';
import { executorCallDecoder, operatorCallDecoder, schedulerCallDecoder } from './json-decoder';
import { decodeAgentToMasterFrame } from '../agent-channel-schema';

const nestedObjects = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const nestedArrays = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const call = (extra: object) => JSON.stringify({ type: 'KILL', framework_id: { value: 'f' }, ...extra });

describe('Mesos JSON bodies', () => {
  const errors: Array<{ name: string; body: string | Buffer; error: string | RegExp }> = [
    { name: 'an empty body', body: '', error: 'Failed to parse body into JSON: syntax error at line 1 near: ' },
    { name: 'only whitespace', body: ' \n ', error: /^Failed to parse body into JSON: syntax error at line 2 near: $/ },
    { name: 'truncated JSON', body: '{"type": "SUBSCRIBE",', error: 'Failed to parse body into JSON: syntax error at line 1 near: ' },
    { name: 'trailing characters', body: '{"type":"TEARDOWN"} x', error: 'Failed to parse body into JSON: Parsed JSON included non-whitespace trailing characters: x' },
    { name: 'malformed JSON', body: '{"type" 1}', error: 'Failed to parse body into JSON: syntax error at line 1 near: 1}' },
    { name: 'an unexpected token', body: '[1,]', error: /^Failed to parse body into JSON: Unexpected token/ },
    { name: `objects nested ${MAX_JSON_DEPTH + 1} deep`, body: nestedObjects(MAX_JSON_DEPTH + 1), error: /^Failed to parse body into JSON: syntax error at line 1 near: "a":1}}}/ },
    { name: '5,000 nested objects', body: nestedObjects(5000), error: /^Failed to parse body into JSON: syntax error at line 1 near: / },
    { name: '100,000 nested arrays', body: nestedArrays(100_000), error: /^Failed to parse body into JSON: syntax error at line 1 near: \[\[\[/ },
    { name: 'a number no double holds', body: '{"type":"KILL","x":[1,-1e400]}', error: 'Failed to parse body into JSON: Value out of range' },
    { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), error: 'Failed to parse body into JSON: the body is not valid UTF-8' },
    { name: 'a JSON array', body: '[]', error: 'Failed to convert JSON into Call protobuf: Expecting a JSON object' },
    { name: 'a JSON string', body: '"KILL"', error: 'Failed to convert JSON into Call protobuf: Expecting a JSON object' },
    { name: 'a number for a string', body: call({ kill: { task_id: { value: 7 } } }), error: "Failed to convert JSON into Call protobuf: Not expecting a JSON number for field 'value'" },
    { name: 'a boolean for a string', body: call({ kill: { task_id: { value: true } } }), error: "Failed to convert JSON into Call protobuf: Not expecting a JSON boolean for field 'value'" },
    { name: 'a string for a message', body: call({ kill: { task_id: 't' } }), error: "Failed to convert JSON into Call protobuf: Not expecting a JSON string for field 'task_id'" },
    { name: 'an array for a message', body: call({ kill: [] }), error: "Failed to convert JSON into Call protobuf: Not expecting a JSON array for field 'kill'" },
    { name: 'an object for a string', body: JSON.stringify({ type: { x: 1 } }), error: "Failed to convert JSON into Call protobuf: Not expecting a JSON object for field 'type'" },
    { name: 'a non-numeric string for a number', body: JSON.stringify({ type: 'DECLINE', decline: { filters: { refuse_seconds: 'soon' } } }), error: "Failed to convert JSON into Call protobuf: Failed to parse 'soon' as a JSON number for field 'refuse_seconds': syntax error at line 1 near: soon" },
    { name: 'a number for a boolean', body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', checkpoint: 1 } } }), error: "Failed to convert JSON into Call protobuf: Not expecting a JSON number for field 'checkpoint'" },
    { name: 'a fraction for an integer', body: call({ kill: { task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds: 1.5 } } } }), error: "Failed to convert JSON into Call protobuf: Expecting an integer for field 'nanoseconds', got 1.5" },
    { name: 'an unknown name of a required enum', body: JSON.stringify({ type: 'REQUEST', request: { requests: [{ resources: [{ name: 'cpus', type: 'SCALER' }] }] } }), error: "Failed to convert JSON into Call protobuf: Failed to find enum for 'SCALER'" },
    { name: 'bad base64', body: JSON.stringify({ type: 'MESSAGE', message: { agent_id: { value: 'a' }, executor_id: { value: 'e' }, data: 'no!' } }), error: "Failed to convert JSON into Call protobuf: Failed to base64 decode bytes field 'data': Invalid character '!'" },
    { name: 'missing required fields, by path', body: JSON.stringify({ type: 'ACCEPT', accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't' }, { task_id: {} }] } }] } }), error: 'Failed to convert JSON into Call protobuf: Missing required fields: accept.operations[0].launch.task_infos[0].task_id, accept.operations[0].launch.task_infos[0].agent_id, accept.operations[0].launch.task_infos[1].name, accept.operations[0].launch.task_infos[1].agent_id, accept.operations[0].launch.task_infos[1].task_id.value' },
    { name: 'a huge array of incomplete messages (the list is cut short)', body: JSON.stringify({ type: 'DECLINE', decline: { offer_ids: Array.from({ length: 100_000 }, () => ({})) } }), error: /^Failed to convert JSON into Call protobuf: Missing required fields: decline\.offer_ids\[0\]\.value, .*decline\.offer_ids\[49\]\.value, … \(99950 more\)$/ },
  ];
  for (const row of errors) {
    it(`refuses ${row.name}`, () => {
      const decoded = schedulerCallDecoder().decode(row.body);
      expect(decoded.ok).to.equal(false);
      if (decoded.ok) return;
      if (typeof row.error === 'string') expect(decoded.error).to.equal(row.error);
      else expect(decoded.error).to.match(row.error);
    });
  }

  const accepted: Array<{ name: string; body: object; expect: object }> = [
    {
      name: 'stout conversions: numeric and boolean strings, a lone value for a repeated field, null as unset',
      body: { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: '60', checkpoint: 'true', roles: 'web', hostname: null } } },
      expect: { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: 60, checkpoint: true, roles: ['web'] } } },
    },
    {
      name: 'an unknown name of an optional enum is dropped, unknown keys are kept for the reader',
      body: { type: 'KILL', framework_id: { value: 'f' }, kill: { task_id: { value: 't' } }, extra: { deep: [1, null] } },
      expect: { type: 'KILL', framework_id: { value: 'f' }, kill: { task_id: { value: 't' } }, extra: { deep: [1] } },
    },
    {
      name: 'nested arrays of a repeated field are flattened; base64 comes out canonical',
      body: { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: ' q83v 7w== ' }, reconcile: { tasks: [[{ task_id: { value: 'x' } }], null] } },
      expect: { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'q83v7w==' }, reconcile: { tasks: [{ task_id: { value: 'x' } }] } },
    },
    {
      name: '"Infinity" for refuse_seconds and for scalar values, as stout reads doubles',
      body: { type: 'DECLINE', decline: { filters: { refuse_seconds: 'Infinity' } }, request: { requests: [{ resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 'Infinity' } }] }] } },
      expect: { type: 'DECLINE', decline: { filters: { refuse_seconds: Infinity } }, request: { requests: [{ resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 'Infinity' } }] }] } },
    },
    {
      name: `objects nested exactly ${MAX_JSON_DEPTH} deep`,
      body: JSON.parse(`{"type":"TEARDOWN","x":${nestedObjects(MAX_JSON_DEPTH - 1)}}`) as object,
      expect: JSON.parse(`{"type":"TEARDOWN","x":${nestedObjects(MAX_JSON_DEPTH - 1)}}`) as object,
    },
  ];
  for (const row of accepted) {
    it(`accepts ${row.name}`, () => {
      const decoded = schedulerCallDecoder().decode(JSON.stringify(row.body));
      expect(decoded).to.deep.equal({ ok: true, value: row.expect });
    });
  }

  it('"Infinity" is refused for other numbers (it would reach JSON as null)', () => {
    const decoded = schedulerCallDecoder().decode(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: 'Infinity' } } }));
    expect(decoded).to.deep.equal({ ok: false, error: "Failed to convert JSON into Call protobuf: Failed to parse 'Infinity' as a JSON number for field 'failover_timeout': syntax error at line 1 near: Infinity" });
  });

  it('the executor and operator decoders follow the same rules', () => {
    expect(executorCallDecoder().decode(nestedObjects(5000)).ok).to.equal(false);
    expect(executorCallDecoder().decode(JSON.stringify({ type: 'UPDATE', framework_id: { value: 'f' } }))).to.deep.equal({ ok: false, error: 'Failed to convert JSON into Call protobuf: Missing required fields: executor_id' });
    expect(operatorCallDecoder().decode(JSON.stringify({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'web', weight: 'heavy' }] } }))).to.deep.equal({
      ok: false, error: "Failed to convert JSON into Call protobuf: Failed to parse 'heavy' as a JSON number for field 'weight': syntax error at line 1 near: heavy",
    });
  });

  it('agent-channel frames nested too deep are refused, not a stack overflow', () => {
    const decoded = decodeAgentToMasterFrame(`[${nestedObjects(20_000)}]`);
    expect(decoded.ok).to.equal(false);
  });

  it('parseJsonBody takes a body of exactly the depth limit and a 16 MB array', () => {
    expect(parseJsonBody(nestedArrays(MAX_JSON_DEPTH)).ok).to.equal(true);
    const huge = `[${'1,'.repeat(8 * 1024 * 1024 - 1)}1]`;
    const parsed = parseJsonBody(Buffer.from(huge));
    expect(parsed.ok && Array.isArray(parsed.value) && parsed.value.length).to.equal(8 * 1024 * 1024);
  });
});
