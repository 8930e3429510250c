// Decoding the agent operator API's calls: the three it serves, and Mesos' refusals for the rest.
import { expect } from 'chai';
import { acceptsJson } from '@tepui/protocol';
import { decodeAgentCall } from './agent-operator-api';

describe('decodeAgentCall', () => {
  it('LIST_FILES and READ_FILE', () => {
    expect(decodeAgentCall('{"type":"LIST_FILES","list_files":{"path":"/s"}}')).to.deep.equal({ ok: true, call: { type: 'LIST_FILES', list_files: { path: '/s' } } });
    expect(decodeAgentCall('{"type":"READ_FILE","read_file":{"path":"/s/stdout","offset":3,"length":"10"}}')).to.deep.equal({ ok: true, call: { type: 'READ_FILE', read_file: { path: '/s/stdout', offset: 3, length: 10 } } });
    expect(decodeAgentCall('{"type":"READ_FILE","read_file":{"path":"/s/stdout","offset":"0"}}')).to.deep.equal({ ok: true, call: { type: 'READ_FILE', read_file: { path: '/s/stdout', offset: 0 } } });
  });
  it('GET_CONTAINERS, with or without its optional flags', () => {
    expect(decodeAgentCall('{"type":"GET_CONTAINERS"}')).to.deep.equal({ ok: true, call: { type: 'GET_CONTAINERS' } });
    expect(decodeAgentCall('{"type":"GET_CONTAINERS","get_containers":{}}')).to.deep.equal({ ok: true, call: { type: 'GET_CONTAINERS', get_containers: {} } });
    expect(decodeAgentCall('{"type":"GET_CONTAINERS","get_containers":{"show_nested":true,"show_standalone":false}}')).to.deep.equal({
      ok: true, call: { type: 'GET_CONTAINERS', get_containers: { show_nested: true, show_standalone: false } },
    });
    expect(decodeAgentCall('{"type":"GET_CONTAINERS","get_containers":{"show_nested":"yes"}}')).to.deep.equal({
      ok: false, error: "Failed to convert JSON into Call protobuf: 'get_containers.show_nested' is not a boolean",
    });
    expect(decodeAgentCall('{"type":"GET_CONTAINERS","get_containers":[]}')).to.include({ ok: false });
  });
  it('other known calls decode to their type (the API then names them as unsupported)', () => {
    expect(decodeAgentCall('{"type":"GET_STATE"}')).to.deep.equal({ ok: true, call: { type: 'GET_STATE' } });
  });
  it('refuses as Mesos refuses', () => {
    expect(decodeAgentCall('{')).to.include({ ok: false });
    expect((decodeAgentCall('{') as { error: string }).error).to.match(/^Failed to parse body into JSON/);
    expect(decodeAgentCall('{"type":"NOPE"}')).to.deep.equal({ ok: false, error: "Failed to validate agent::Call: Expecting 'type' to be present" });
    expect(decodeAgentCall('{"type":"LIST_FILES"}')).to.deep.equal({ ok: false, error: "Failed to validate agent::Call: Expecting 'list_files' to be present" });
    expect(decodeAgentCall('{"type":"READ_FILE"}')).to.deep.equal({ ok: false, error: "Failed to validate agent::Call: Expecting 'read_file' to be present" });
    expect(decodeAgentCall('{"type":"READ_FILE","read_file":{"path":"/s"}}')).to.include({ ok: false });
    expect(decodeAgentCall('{"type":"READ_FILE","read_file":{"path":"/s","offset":-1}}')).to.include({ ok: false });
    expect(decodeAgentCall('[]')).to.include({ ok: false });
  });
});

describe('acceptsJson', () => {
  it('no header, */*, application/json accept JSON; protobuf only or q=0 does not', () => {
    expect(acceptsJson(undefined)).to.equal(true);
    expect(acceptsJson('*/*')).to.equal(true);
    expect(acceptsJson('application/x-protobuf, application/json;q=0.5')).to.equal(true);
    expect(acceptsJson('application/x-protobuf')).to.equal(false);
    expect(acceptsJson('application/json;q=0')).to.equal(false);
  });
});
