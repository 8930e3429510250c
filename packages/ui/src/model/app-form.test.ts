import { expect } from 'chai';
import { definitionToForm, formErrorsOf, formToDefinition, NEW_APP_FORM } from './app-form';

describe('app form', () => {
  it('turns the fields into a definition: numbers as numbers, labels and env from lines', () => {
    const def = formToDefinition({ ...NEW_APP_FORM, id: ' /web ', cmd: 'sleep 1', instances: '2', cpus: '0.5', labels: 'team=a\n\ncanary', env: 'A=1=2' });
    expect(def).to.deep.equal({ id: '/web', cmd: 'sleep 1', instances: 2, cpus: 0.5, mem: 32, disk: 0, labels: { team: 'a', canary: '' }, env: { A: '1=2' } });
  });

  it('sends a value that is not a number as typed, so Marathon names the field', () => {
    expect(formToDefinition({ ...NEW_APP_FORM, id: '/a', cmd: 'x', cpus: 'lots' }).cpus).to.equal('lots');
  });

  it('leaves out an emptied number, so Marathon applies its default', () => {
    expect(formToDefinition({ ...NEW_APP_FORM, id: '/a', cmd: 'x', disk: ' ' })).to.not.have.property('disk');
  });

  it('keeps the fields the form does not show, and secret env entries, through a round trip', () => {
    const original = { id: '/a', cmd: 'x', instances: 1, cpus: 1, mem: 64, disk: 0, env: { A: 'b', S: { secret: 's1' } }, constraints: [['hostname', 'UNIQUE']] };
    const { fields, rest } = definitionToForm(original);
    expect(fields.env).to.equal('A=b');
    expect(formToDefinition(fields, rest)).to.deep.equal(original);
  });

  it('puts each 422 detail at the field its path names, and the rest above the form', () => {
    const errors = formErrorsOf(422, {
      message: 'Invalid JSON',
      details: [
        { path: '/instances', errors: ['error.min'] },
        { path: '/cpus', errors: ['error.min'] },
        { path: '/labels/x', errors: ['error.expected.jsstring'] },
        { path: '/healthChecks(0)/path', errors: ['must start with /'] },
      ],
    });
    expect(errors.fields).to.deep.equal({
      instances: ['is below the allowed minimum (error.min)'],
      cpus: ['is below the allowed minimum (error.min)'],
      labels: ['must be text (error.expected.jsstring)'],
    });
    expect(errors.general).to.deep.equal(['Invalid JSON', '/healthChecks(0)/path: must start with /']);
  });

  it('shows a whole-object 422 and a 409 above the form', () => {
    expect(formErrorsOf(422, { message: 'Object is not valid', details: [{ path: '/', errors: ['needs cmd'] }] }).general).to.deep.equal(['Object is not valid', 'needs cmd']);
    const locked = formErrorsOf(409, { message: 'App is locked by one or more deployments.', deployments: [{ id: 'd' }] });
    expect(locked.general[0]).to.equal('App is locked by one or more deployments.');
    expect(locked.fields).to.deep.equal({});
  });
});
