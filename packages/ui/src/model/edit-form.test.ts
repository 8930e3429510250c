import { expect } from 'chai';
import { formToDefinition } from './app-form';
import { editedDefinition, editedFromForm, editPath, prefillEditForm } from './edit-form';

const current = {
  id: '/prod/web', cmd: 'python3 -m http.server $PORT0', instances: 2, cpus: 0.1, mem: 32, disk: 0,
  labels: { team: 'ui' }, env: { MODE: 'x', TOKEN: { secret: 's' } }, constraints: [['hostname', 'UNIQUE']],
  version: '2026-12-04T09:00:00.000Z', versionInfo: { lastConfigChangeAt: '2026-12-04T09:00:00.000Z' }, tasksRunning: 2, deployments: [],
};

describe('edit form prefill', () => {
  it('fills the common fields from the app and keeps the rest aside, without state or version fields', () => {
    const prefill = prefillEditForm(current);
    expect(prefill.fields).to.deep.equal({
      id: '/prod/web', cmd: 'python3 -m http.server $PORT0', instances: '2', cpus: '0.1', mem: '32', disk: '0', labels: 'team=ui', env: 'MODE=x',
    });
    expect(prefill.rest).to.deep.equal({ env: { TOKEN: { secret: 's' } }, constraints: [['hostname', 'UNIQUE']] });
    expect(formToDefinition(prefill.fields, prefill.rest)).to.not.have.any.keys('version', 'versionInfo', 'tasksRunning', 'deployments');
  });

  it('sends back the unchanged definition when nothing was edited, and the edit when something was', () => {
    const { fields, rest } = prefillEditForm(current);
    const { version: _v, versionInfo: _vi, tasksRunning: _t, deployments: _d, ...definition } = current;
    expect(editedFromForm('/prod/web', fields, rest)).to.deep.equal(definition);
    const edited = editedFromForm('/prod/web', { ...fields, cmd: 'sleep 100', labels: '' }, rest);
    expect(edited.cmd).to.equal('sleep 100');
    // Left out of a whole-definition PUT, labels take Marathon's default: none.
    expect(edited).to.not.have.property('labels');
  });

  it('keeps the id of the app being edited, whatever the JSON says', () => {
    expect(editedDefinition('/prod/web', { id: '/other', cmd: 'x', version: 'old' })).to.deep.equal({ id: '/prod/web', cmd: 'x' });
  });

  it('replaces the whole definition rather than merging', () => {
    expect(editPath('/v2/apps/prod/web')).to.equal('/v2/apps/prod/web?partialUpdate=false');
  });
});
