import { expect } from 'chai';
import { InvalidAttributeError, attributeValueString, attributesToStateJson, parseAttributes } from './attributes';

describe('attributes', () => {
  it('parses text, scalar, ranges and set values', () => {
    const attrs = parseAttributes('rack:r1;gen:3;ports:[1-10];zones:{a,b};zone:us-east-1a');
    expect(attrs).to.deep.equal([
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'gen', type: 'SCALAR', scalar: { value: 3 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 10 }] } },
      { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } },
      { name: 'zone', type: 'TEXT', text: { value: 'us-east-1a' } },
    ]);
    expect(attributesToStateJson(attrs)).to.deep.equal({ rack: 'r1', gen: 3, ports: '[1-10]', zones: '{a, b}', zone: 'us-east-1a' });
    expect(attrs.map(attributeValueString)).to.deep.equal(['r1', '3', '[1-10]', '{a, b}', 'us-east-1a']);
  });

  for (const bad of ['rack', ':x', 'rack:', 'ports:[5-1]']) {
    it(`rejects '${bad}'`, () => expect(() => parseAttributes(bad)).to.throw(InvalidAttributeError));
  }
});
