import { expect } from 'chai';
import { decodeSchedulerEvent } from './event-decoder';

describe('decodeSchedulerEvent', () => {
  it('types SUBSCRIBED, UPDATE, MESSAGE, FAILURE and ERROR', () => {
    expect(decodeSchedulerEvent('{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"f"},"heartbeat_interval_seconds":15.0}}'))
      .to.deep.include({ type: 'SUBSCRIBED', frameworkId: { value: 'f' }, heartbeatIntervalSeconds: 15 });
    expect(decodeSchedulerEvent('{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"AAAAAAAAAAAAAAAAAAAAAA=="}}}'))
      .to.deep.equal({ type: 'UPDATE', status: { task_id: { value: 't' }, state: 'TASK_RUNNING', uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } });
    const message = decodeSchedulerEvent('{"type":"MESSAGE","message":{"agent_id":{"value":"a"},"executor_id":{"value":"e"},"data":"aGk="}}');
    expect(message.type === 'MESSAGE' && message.message.data.toString()).to.equal('hi');
    expect(decodeSchedulerEvent('{"type":"FAILURE","failure":{"agent_id":{"value":"a"}}}'))
      .to.deep.equal({ type: 'FAILURE', failure: { agentId: { value: 'a' }, executorId: undefined, status: undefined } });
    expect(decodeSchedulerEvent('{"type":"ERROR","error":{"message":"Framework failed over"}}')).to.deep.equal({ type: 'ERROR', message: 'Framework failed over' });
    expect(decodeSchedulerEvent('{"type":"ERROR","message":"old doc shape"}')).to.deep.equal({ type: 'ERROR', message: 'old doc shape' });
  });

  it('passes unknown and unhandled event types through as OTHER', () => {
    expect(decodeSchedulerEvent('{"type":"SOMETHING_NEW","x":1}')).to.include({ type: 'OTHER', eventType: 'SOMETHING_NEW' });
    expect(decodeSchedulerEvent('{"type":"UPDATE_OPERATION_STATUS","update_operation_status":{}}')).to.include({ type: 'OTHER' });
  });

  const invalid = [
    { name: 'not JSON', record: '{"type":' },
    { name: 'not an object', record: '[1]' },
    { name: 'no type', record: '{"offers":{}}' },
    { name: 'SUBSCRIBED without framework id', record: '{"type":"SUBSCRIBED","subscribed":{}}' },
    { name: 'OFFERS with a malformed offer', record: '{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"}}]}}' },
    { name: 'OFFERS with a malformed resource', record: '{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"},"hostname":"h","resources":[{"name":"cpus","type":"SCALAR"}]}]}}' },
    { name: 'UPDATE with an unknown state', record: '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_SLEEPY"}}}' },
    { name: 'RESCIND without offer id', record: '{"type":"RESCIND","rescind":{}}' },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name}`, () => expect(() => decodeSchedulerEvent(c.record)).to.throw().with.property('code', 'INVALID_EVENT'));
  }
});
