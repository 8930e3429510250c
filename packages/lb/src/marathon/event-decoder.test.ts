// Event payloads from /v2/events: what is accepted, defaulted, ignored or malformed.
import { expect } from 'chai';
import { decodeMarathonEvent } from './event-decoder';

describe('decodeMarathonEvent', () => {
  it('decodes a status update as Marathon sends it', () => {
    const data = '{"slaveId":"S3","taskId":"shop_web.instance-1._app.1","taskStatus":"TASK_RUNNING","message":"","appId":"/shop/web","host":"agent-3","ipAddresses":[{"ipAddress":"10.0.4.23","protocol":"IPv4"}],"ports":[31005],"version":"v1","eventType":"status_update_event","timestamp":"t"}';
    const decoded = decodeMarathonEvent(data);
    expect(decoded.kind).to.equal('event');
    if (decoded.kind !== 'event' || decoded.event.eventType !== 'status_update_event') throw new Error('not a status update');
    expect(decoded.event).to.include({ taskId: 'shop_web.instance-1._app.1', appId: '/shop/web', taskStatus: 'TASK_RUNNING', host: 'agent-3' });
    expect(decoded.event.ports).to.deep.equal([31005]);
  });

  it('fills fields the view does not need when an older Marathon leaves them out', () => {
    const decoded = decodeMarathonEvent('{"eventType":"status_update_event","taskId":"t","appId":"/a","taskStatus":"TASK_RUNNING"}');
    if (decoded.kind !== 'event' || decoded.event.eventType !== 'status_update_event') throw new Error('not decoded');
    expect(decoded.event).to.include({ host: '', version: '', timestamp: '' });
    expect(decoded.event.ports).to.deep.equal([]);
  });

  it('reads a pre-1.4 health change that says taskId', () => {
    const decoded = decodeMarathonEvent('{"eventType":"health_status_changed_event","appId":"/a","taskId":"a.1","alive":true}');
    expect(decoded).to.deep.include({ kind: 'event' });
    if (decoded.kind !== 'event' || decoded.event.eventType !== 'health_status_changed_event') throw new Error('not decoded');
    expect(decoded.event.instanceId).to.equal('a.1');
  });

  it('ignores types the load balancer does not follow', () => {
    expect(decodeMarathonEvent('{"eventType":"event_stream_attached","remoteAddress":"x"}')).to.deep.equal({ kind: 'ignored', eventType: 'event_stream_attached' });
  });

  const malformed: Array<[string, string]> = [
    ['not JSON', '{"eventType":'],
    ['no eventType', '{"taskId":"x"}'],
    ['an array', '[1]'],
    ['a status update without taskId', '{"eventType":"status_update_event","appId":"/a","taskStatus":"TASK_RUNNING"}'],
    ['ports that are not numbers', '{"eventType":"status_update_event","taskId":"t","appId":"/a","taskStatus":"TASK_RUNNING","ports":["x"]}'],
    ['a health change without alive', '{"eventType":"health_status_changed_event","appId":"/a","instanceId":"i"}'],
  ];
  for (const [name, data] of malformed) {
    it(`calls ${name} malformed`, () => {
      expect(decodeMarathonEvent(data).kind).to.equal('malformed');
    });
  }
});
