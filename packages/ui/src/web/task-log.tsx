// The app page's output tail: pick a task, stdout or stderr, and the file follows live by reading
// on from the last offset (as the Mesos UI's pailer does). It reads only while the tail is on
// screen and the tab is visible, so a page left open in the background costs the cluster nothing.
import type { TaskOutputFile } from '@tepui/protocol';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TaskSummary } from '../model/marathon-wire';
import { applyChunk, decodeTaskFileChunk, defaultLogTask, failedRead, nextRead, startTaskLog, taskFileUrl, type TaskLog } from '../model/task-log';
import { recordOf, stringOf } from '../model/wire-read';
import { requestJson } from './marathon-client';

const FILES: readonly TaskOutputFile[] = ['stdout', 'stderr'];

/** True while the element is on screen and the tab is visible. */
function useShown(ref: { readonly current: Element | null }): boolean {
  const [onScreen, setOnScreen] = useState(false);
  const [tabVisible, setTabVisible] = useState(document.visibilityState === 'visible');
  useEffect(() => {
    const onVisibility = () => setTabVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onVisibility);
    const observer = new IntersectionObserver((entries) => setOnScreen(entries.some((e) => e.isIntersecting)));
    if (ref.current) observer.observe(ref.current);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      observer.disconnect();
    };
  }, [ref]);
  return onScreen && tabVisible;
}

/** Follows one file while `active`; a new task or file starts a new tail. */
function useTaskLog(taskId: string | undefined, file: TaskOutputFile, active: boolean): TaskLog | undefined {
  const [log, setLog] = useState<TaskLog | undefined>(undefined);
  const current = useRef<TaskLog | undefined>(undefined);
  useEffect(() => {
    const fresh = taskId === undefined ? undefined : startTaskLog(taskId, file);
    current.current = fresh;
    setLog(fresh);
  }, [taskId, file]);
  useEffect(() => {
    if (!active || taskId === undefined) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = async (): Promise<void> => {
      const before = current.current;
      if (stopped || before === undefined || before.taskId !== taskId || before.file !== file) return;
      const read = nextRead(before);
      const answer = await requestJson('GET', taskFileUrl(taskId, file, read));
      if (stopped || current.current !== before) return;
      const chunk = answer.ok ? decodeTaskFileChunk(answer.body) : undefined;
      const message = stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status}`);
      const result = chunk ? applyChunk(before, chunk, read) : failedRead(before, message);
      current.current = result.log;
      setLog(result.log);
      timer = setTimeout(() => void step(), result.readAgainMs);
    };
    void step();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [taskId, file, active]);
  return log;
}

export function TaskLogPanel({ tasks }: { readonly tasks: readonly TaskSummary[] }) {
  const section = useRef<HTMLElement>(null);
  const output = useRef<HTMLPreElement>(null);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [file, setFile] = useState<TaskOutputFile>('stdout');
  const taskId = chosen !== undefined && tasks.some((t) => t.id === chosen) ? chosen : defaultLogTask(tasks);
  const shown = useShown(section);
  const log = useTaskLog(taskId, file, shown);
  const pinned = useRef(true);
  // Stay at the bottom while the reader is there; leave them be once they scrolled up.
  useLayoutEffect(() => {
    const pre = output.current;
    if (pre && pinned.current) pre.scrollTop = pre.scrollHeight;
  }, [log?.text]);

  return (
    <section class="task-log" id="task-log" ref={section} aria-labelledby="task-log-title">
      <h2 id="task-log-title">Output</h2>
      {taskId === undefined ? <p class="muted">No task to show output of.</p> : (
        <>
          <div class="controls">
            <label for="task-log-task">Task</label>
            <select id="task-log-task" value={taskId} onChange={(e) => setChosen(e.currentTarget.value)}>
              {tasks.map((t) => <option key={t.id} value={t.id}>{t.id} ({t.state.replace(/^TASK_/, '').toLowerCase()})</option>)}
            </select>
            {FILES.map((f) => (
              <button key={f} type="button" class="small" id={`task-log-${f}`} aria-pressed={f === file} onClick={() => setFile(f)}>{f}</button>
            ))}
            <span class="muted" id="task-log-status" data-following={shown ? 'yes' : 'no'}>
              {log?.error ? <span class="unhealthy">{log.error}</span> : shown ? 'following' : 'paused while not visible'}
            </span>
          </div>
          <pre class="log-output" id="task-log-output" ref={output} data-task-id={taskId} data-file={file} tabIndex={0}
            onScroll={(e) => {
              const pre = e.currentTarget;
              pinned.current = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
            }}>
            {log?.text ?? ''}
          </pre>
        </>
      )}
    </section>
  );
}
