import { expect } from 'chai';
import { BadRequest, Forbidden, MethodNotAllowed, NotFound, PayloadTooLarge, ServiceUnavailable, UnsupportedMediaType } from './errors';

describe('agent errors', () => {
  it('have unique codes, each mapped to an HTTP status', () => {
    const errors = [new BadRequest('x'), new Forbidden('x'), new NotFound('x'), new MethodNotAllowed(['POST'], 'GET'), new PayloadTooLarge('x'), new UnsupportedMediaType('x'), new ServiceUnavailable('x')];
    expect(new Set(errors.map((e) => e.code)).size).to.equal(errors.length);
    expect(errors.map((e) => e.status)).to.deep.equal([400, 403, 404, 405, 413, 415, 503]);
  });
});
