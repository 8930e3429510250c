import { expect } from 'chai';
import { agentIdTail, taskIdHash, zBase32 } from './task-hash';

describe('task hash', () => {
  it('hashes task ids as Mesos-DNS does (discovery.md A.4 and mesos-dns generator_test)', () => {
    expect(taskIdHash('shop_web.7f3c2a10-5b1e-11ea-9c2d-0242ac110002')).to.equal('w19ez');
    expect(taskIdHash('shop_web.0b9e44c2-5b1f-11ea-9c2d-0242ac110002')).to.equal('a399r');
    expect(taskIdHash('test')).to.equal('iffe9');
  });

  it('encodes z-base-32 most significant bit first, the last group zero padded', () => {
    expect(zBase32(new Uint8Array([]))).to.equal('');
    expect(zBase32(new Uint8Array([0]))).to.equal('yy');
    expect(zBase32(new Uint8Array([0xff]))).to.equal('9h');
    // 11110000 10111111 01011111 → 11110 00010 11111 10101 1111(0) → 30 2 31 21 30.
    expect(zBase32(new Uint8Array([0xf0, 0xbf, 0x5f]))).to.equal('6n9i6');
    // Twenty bytes (a SHA-1) make 32 characters.
    expect(zBase32(new Uint8Array(20).fill(0xff))).to.equal('9'.repeat(32));
  });

  it('takes the agent id tail lower case', () => {
    expect(agentIdTail('5f6b7d0c-2f41-4e4f-9d0a-1c2b3a4d5e6f-S3')).to.equal('s3');
    expect(agentIdTail('20150525-114015-1578016266-5050-26151-S0')).to.equal('s0');
    expect(agentIdTail('nodash')).to.equal('nodash');
  });
});
