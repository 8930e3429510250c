import { expect } from 'chai';
import { appIdAclName, backendName, pathAclName, slotCookie, vhostAclName } from './names';

describe('haproxy.cfg names (marathon-lb spelling)', () => {
  it('names backends, ACLs and app-id ACLs as B.4 does', () => {
    expect(backendName('/shop/web', 10001)).to.equal('shop_web_10001');
    expect(vhostAclName('shop.example.org', '/shop/web')).to.equal('host_shop_example_org_shop_web');
    expect(vhostAclName('my-shop.example.org:8080', '/a')).to.equal('host_my-shop_example_org_8080_a');
    expect(pathAclName('shop_web_10001')).to.equal('path_shop_web_10001');
    expect(appIdAclName('/shop/web')).to.equal('app__shop_web');
  });

  it('keeps characters Marathon would refuse out of names', () => {
    expect(backendName('/a b/c#d', 1)).to.equal('a_b_c_d_1');
  });

  it('gives each slot of each backend its own stable cookie', () => {
    expect(slotCookie('s1', 'a_1')).to.match(/^[0-9a-f]{10}$/).and.equal(slotCookie('s1', 'a_1'));
    expect(new Set([slotCookie('s1', 'a_1'), slotCookie('s2', 'a_1'), slotCookie('s1', 'b_1')]).size).to.equal(3);
  });
});
