import { expect } from 'chai';
import { AllocatedForms } from './allocated-forms';
import { resources } from './resource-fixtures';

describe('AllocatedForms', () => {
  it('materializes an offer draft’s resources once, in allocated form', () => {
    const forms = new AllocatedForms();
    const unallocated = resources('cpus:2;mem:64');
    const draft = forms.offerDraft('fw', 'agent', 'web', unallocated);
    const first = draft.resources;
    expect(first.equals(unallocated.allocate('web'))).to.equal(true);
    expect(draft.resources).to.equal(first);
  });

  it('remembers where an allocated value came from, and only its own values', () => {
    const forms = new AllocatedForms();
    const unallocated = resources('cpus:2;mem:64');
    const allocated = forms.offerDraft('fw', 'agent', 'web', unallocated).resources;
    expect(forms.originOf(allocated)).to.deep.equal({ role: 'web', unallocated });
    expect(forms.originOf(unallocated.allocate('web'))).to.equal(undefined);
  });

  it('behaves like a plain object when spread', () => {
    const forms = new AllocatedForms();
    const draft = forms.offerDraft('fw', 'agent', 'web', resources('cpus:1'));
    const copy = { ...draft };
    expect(Object.keys(copy).sort()).to.deep.equal(['agentId', 'frameworkId', 'resources', 'role']);
    expect(copy.resources).to.equal(draft.resources);
  });
});
