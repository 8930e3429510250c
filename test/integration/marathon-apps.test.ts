// Marathon end to end on a real cluster (master, three agents on distinct loopback hostnames,
// real processes): POST an app, placement by constraint, tasks answering HTTP, GET → PUT round
// trip, scaling, killing a task by hand.
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { TestMarathon } from '../support/marathon';

const WEB = {
  id: 'webserver',
  cmd: 'exec python3 -m http.server $PORT0',
  cpus: 0.5,
  mem: 32,
  instances: 3,
  constraints: [['hostname', 'GROUP_BY', '3']],
};

describe('Marathon apps on a real cluster', function () {
  this.timeout(120_000);
  const cluster = new TestCluster({ agents: 3, agentFlags: (i) => [`--hostname=127.0.0.${i + 2}`] });
  const marathon = new TestMarathon(cluster);

  before(async () => {
    await cluster.start();
    await marathon.start();
  });
  after(async function () {
    if (this.currentTest?.state === 'failed') console.log(marathon.process.log().slice(-6000));
    await marathon.stop();
    await cluster.stop();
  });

  it('POSTs the webserver app: 201, three tasks RUNNING one per host, each answering HTTP on its host port', async () => {
    const res = await marathon.json('POST', '/v2/apps', WEB);
    expect(res.status).to.equal(201);
    expect(res.headers.get('location')).to.match(/\/v2\/apps\/webserver$/);
    const deploymentId = res.headers.get('marathon-deployment-id');
    expect(deploymentId).to.be.a('string');
    const app = res.body as { id: string; deployments: Array<{ id: string }>; instances: number; portDefinitions: Array<{ port: number }> };
    expect(app.id).to.equal('/webserver');
    expect(app.deployments).to.deep.equal([{ id: deploymentId }]);
    expect(app.portDefinitions[0]!.port).to.be.within(10000, 20000);

    const tasks = await eventually(async () => {
      const running = await marathon.running('/webserver');
      return running.length === 3 ? running : undefined;
    }, { timeoutMs: 60_000, message: 'three webserver tasks did not run' });
    expect(new Set(tasks.map((t) => t.host)).size).to.equal(3);
    for (const t of tasks) {
      expect(t.ports).to.have.length(1);
      const answer = await eventually(async () => (await fetch(`http://${t.host}:${t.ports[0]}/`)).status, { message: `task ${t.id} did not answer HTTP` });
      expect(answer).to.equal(200);
    }
    await marathon.waitForDeployments();
  });

  it('accepts back, unchanged, the JSON GET returns', async () => {
    const got = (await marathon.json('GET', '/v2/apps/webserver')).body as { app: Record<string, unknown> };
    expect(got.app.tasksRunning).to.equal(3);
    const put = await marathon.json('PUT', '/v2/apps/webserver', got.app);
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body).to.have.keys('deploymentId', 'version');
    await marathon.waitForDeployments();
    const after = (await marathon.json('GET', '/v2/apps/webserver')).body as { app: Record<string, unknown> };
    for (const key of ['cmd', 'cpus', 'mem', 'instances', 'constraints', 'portDefinitions', 'healthChecks', 'upgradeStrategy']) {
      expect(after.app[key], key).to.deep.equal(got.app[key]);
    }
    expect((await marathon.running('/webserver')).length).to.equal(3);
  });
});
