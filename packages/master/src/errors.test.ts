import { expect } from 'chai';
import { MASTER_ERROR_CLASSES, MethodNotAllowed, TemporaryRedirect } from './errors';

describe('master errors', () => {
  it('have unique codes, each mapped to an HTTP status', () => {
    const errors = [...MASTER_ERROR_CLASSES.map((E) => new E('x')), new MethodNotAllowed(['POST'], 'GET'), new TemporaryRedirect('//m:5050/x')];
    const codes = errors.map((e) => e.code);
    expect(new Set(codes).size).to.equal(codes.length);
    for (const e of errors) expect(e.status).to.be.within(300, 599);
  });

  it('carry the headers Mesos sends with them', () => {
    expect(new MethodNotAllowed(['POST'], 'GET').headers).to.deep.equal({ Allow: 'POST' });
    expect(new TemporaryRedirect('//m:5050/api/v1').headers).to.deep.equal({ Location: '//m:5050/api/v1' });
  });
});
