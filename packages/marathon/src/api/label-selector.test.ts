import { expect } from 'chai';
import { LabelSelectorError, matchesLabels, parseLabelSelector } from './label-selector';

describe('label selector', () => {
  const labels = { env: 'prod', tier: 'web', 'a b': 'x' };
  const rows: Array<[string, boolean]> = [
    ['env', true],
    ['missing', false],
    ['env==prod', true],
    ['env==dev', false],
    ['env!=dev', true],
    ['env in (dev, prod)', true],
    ['env notin (prod)', false],
    ['missing notin (x)', true],
    ['env==prod,tier==web', true],
    ['env==prod,tier==db', false],
    ['a\\ b==x', true],
  ];
  for (const [selector, expected] of rows) {
    it(`${selector} → ${expected}`, () => expect(matchesLabels(parseLabelSelector(selector), labels)).to.equal(expected));
  }
  for (const bad of ['==x', 'env in prod', 'env in (a', 'env == ', 'a,,b']) {
    it(`rejects '${bad}'`, () => expect(() => parseLabelSelector(bad)).to.throw(LabelSelectorError));
  }
});
