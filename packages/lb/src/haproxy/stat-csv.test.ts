import { expect } from 'chai';
import { parseStatCsv } from './stat-csv';

// The first columns of `show stat` as HAProxy 2.6 orders them, plus status/type/addr further on.
const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,addr,last_chk,';

function row(values: Record<string, string>): string {
  const names = HEADER.slice(2).split(',');
  return names.map((n) => values[n] ?? '').join(',');
}

describe('parseStatCsv', () => {
  const text = [
    HEADER,
    row({ pxname: 'fe_test', svname: 'FRONTEND', scur: '3', stot: '90', status: 'OPEN', type: '0' }),
    row({ pxname: 'be_test', svname: 's2', scur: '1', stot: '40', status: 'DRAIN', type: '2', weight: '1', lbtot: '40', addr: '127.0.0.1:41001' }),
    row({ pxname: 'be_test', svname: 's3', status: 'DOWN', type: '2', last_chk: '"Connection refused, at initial connection step"' }),
    '',
  ].join('\n');
  const rows = parseStatCsv(text);

  it('types the counters tests and benchmarks read', () => {
    expect(rows.map((r) => [r.pxname, r.svname, r.type, r.status, r.scur, r.stot])).to.deep.equal([
      ['fe_test', 'FRONTEND', 'frontend', 'OPEN', 3, 90],
      ['be_test', 's2', 'server', 'DRAIN', 1, 40],
      ['be_test', 's3', 'server', 'DOWN', 0, 0],
    ]);
    expect(rows[1]?.addr).to.equal('127.0.0.1:41001');
  });

  it('keeps a quoted field with a comma in one piece', () => {
    expect(rows[2]?.fields.last_chk).to.equal('Connection refused, at initial connection step');
  });
});
