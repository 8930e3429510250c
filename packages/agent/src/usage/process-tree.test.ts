// Which processes belong to an executor's container: its tree by parent pid, and its tasks'
// detached groups and sessions, even once their members were re-parented away.
import { expect } from 'chai';
import type { ProcStat } from './proc-stat';
import { containerProcesses, type ContainerRoots } from './process-tree';

const proc = (pid: number, ppid: number, pgrp = pid, session = pgrp): ProcStat => ({
  pid, ppid, pgrp, session, state: 'S', utime: 0, stime: 0, cutime: 0, cstime: 0, threads: 1,
});

// The host as the agent sees it:
//   1 init; 50 the agent (its own group); 100 an executor the agent started detached;
//   101 its task, detached (group and session 101); 102, 103 the task's children;
//   104 a daemon of the task re-parented to init, still in group 101;
//   105 a grandchild that made itself a session leader, under 103;
//   200 another executor, 201 its task; 300 an unrelated process in group 1.
const host: ProcStat[] = [
  proc(1, 0), proc(50, 1), proc(100, 50), proc(101, 100), proc(102, 101, 101), proc(103, 102, 101),
  proc(104, 1, 101), proc(105, 103, 105), proc(200, 50), proc(201, 200), proc(300, 1, 1),
];

const pids = (roots: ContainerRoots, exclude?: ReadonlySet<number>) => containerProcesses(host, roots, exclude).map((p) => p.pid);

describe('containerProcesses', () => {
  const rows: Array<{ name: string; roots: ContainerRoots; exclude?: ReadonlySet<number>; expect: number[] }> = [
    { name: 'the executor and every descendant, and the re-parented daemon by its group', roots: { executorPid: 100, taskGroups: [101] }, expect: [100, 101, 102, 103, 104, 105] },
    { name: 'without the task group recorded, the tree by parent pid only', roots: { executorPid: 100, taskGroups: [] }, expect: [100, 101, 102, 103, 105] },
    { name: 'a task whose executor died is still found by its group', roots: { executorPid: 999, taskGroups: [101] }, expect: [101, 102, 103, 104, 105] },
    { name: 'no pid and no groups: nothing', roots: { taskGroups: [] }, expect: [] },
    { name: 'another executor is its own container', roots: { executorPid: 200, taskGroups: [201] }, expect: [200, 201] },
    { name: 'a group of 1 never claims the host', roots: { executorPid: 200, taskGroups: [1] }, expect: [200, 201] },
    { name: 'an executor pid of 1 is ignored', roots: { executorPid: 1, taskGroups: [] }, expect: [] },
    { name: "the agent's own pid is never counted, even named as a root", roots: { executorPid: 50, taskGroups: [] }, exclude: new Set([50]), expect: [] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(pids(row.roots, row.exclude)).to.deep.equal(row.expect);
    });
  }

  it('counts each process once, in pid order, whatever order /proc lists them in', () => {
    const shuffled = [...host].reverse();
    expect(containerProcesses(shuffled, { executorPid: 100, taskGroups: [101, 101] }).map((p) => p.pid)).to.deep.equal([100, 101, 102, 103, 104, 105]);
  });
});
