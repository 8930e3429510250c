import { expect } from 'chai';
import type { MasterInfo } from '@tepui/protocol';
import { candidatesInOrder, marathonLatchCodec, masterInfoCodec } from './leader-codec';

const info: MasterInfo = {
  id: '5b1e9a3c', ip: 16842762, port: 5050, pid: 'master@10.0.1.1:5050', hostname: 'm1.example', version: '1.11.0',
  address: { hostname: 'm1.example', ip: '10.0.1.1', port: 5050 }, capabilities: [{ type: 'AGENT_UPDATE' }],
};

describe('leader codecs', () => {
  it('writes MasterInfo as Mesos does: protobuf-JSON with keys sorted at every level', () => {
    expect(masterInfoCodec.encode(info).toString()).to.equal(
      '{"address":{"hostname":"m1.example","ip":"10.0.1.1","port":5050},"capabilities":[{"type":"AGENT_UPDATE"}],"hostname":"m1.example","id":"5b1e9a3c","ip":16842762,"pid":"master@10.0.1.1:5050","port":5050,"version":"1.11.0"}',
    );
    expect(masterInfoCodec.decode(masterInfoCodec.encode(info))).to.deep.equal(info);
  });

  it('reads a MasterInfo written by Mesos and refuses garbage, saying why', () => {
    const mesos = Buffer.from('{"address":{"hostname":"m2","ip":"10.0.0.2","port":5050},"hostname":"m2","id":"x","ip":33554442,"pid":"master@10.0.0.2:5050","port":5050,"version":"1.11.0"}');
    expect(masterInfoCodec.decode(mesos).address?.ip).to.equal('10.0.0.2');
    expect(() => masterInfoCodec.decode(Buffer.from('\u0001\u0002garbage'))).to.throw(/not JSON/);
    expect(() => masterInfoCodec.decode(Buffer.from('[1]'))).to.throw(/not a MasterInfo/);
    expect(() => masterInfoCodec.decode(Buffer.from('{"port":1}'))).to.throw(/no string 'id'/);
  });

  it('orders candidates by sequence and ignores other children', () => {
    expect(candidatesInOrder(masterInfoCodec, ['json.info_0000000012', 'log_replicas', 'json.info_0000000003', 'info_0000000001'])).to.deep.equal(['json.info_0000000003', 'json.info_0000000012']);
    const a = `${marathonLatchCodec.nodePrefix()}0000000007`;
    const b = `${marathonLatchCodec.nodePrefix()}0000000002`;
    expect(candidatesInOrder(marathonLatchCodec, [a, b, 'other'])).to.deep.equal([b, a]);
    expect(a).to.match(/^_c_[0-9a-f-]{36}-latch-\d{10}$/);
  });

  it('reads Marathon latch data as host:port only', () => {
    expect(marathonLatchCodec.decode(Buffer.from('m1.example:8080'))).to.equal('m1.example:8080');
    expect(() => marathonLatchCodec.decode(Buffer.from('{"x":1}'))).to.throw(/not host:port/);
  });
});
