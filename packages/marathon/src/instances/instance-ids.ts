// Marathon's instance and Mesos task ids (state/PathId.scala, core/instance/Instance.scala):
// instance `shop_web.instance-<uuid>`, task `shop_web.instance-<uuid>._app.<attempt>` (1.7+).
// Every older form is still parsed, since clients send them back in kill requests.

/** `/shop/web` → `shop_web`. */
export function safePath(appId: string): string {
  return appId.replace(/^\/+/, '').replace(/\//g, '_');
}

export function newInstanceId(appId: string, uuid: string): string {
  return `${safePath(appId)}.instance-${uuid}`;
}

export function taskIdFor(instanceId: string, attempt: number): string {
  return `${instanceId}._app.${attempt}`;
}

export interface ParsedTaskId {
  readonly safePath: string;
  readonly instanceId: string;
  readonly attempt?: number;
}

const INSTANCE = /^(.+)\.(instance-|marathon-)([^.]+)$/;

/** Parses every task id form Marathon has used; undefined for something that is not one. */
export function parseTaskId(taskId: string): ParsedTaskId | undefined {
  const modern = /^(.+\.instance-[^.]+)\._app(?:\.(\d+))?$/.exec(taskId);
  if (modern) {
    const instance = INSTANCE.exec(modern[1]!)!;
    return { safePath: instance[1]!, instanceId: modern[1]!, ...(modern[2] ? { attempt: Number(modern[2]) } : {}) };
  }
  const instance = INSTANCE.exec(taskId);
  if (instance) return { safePath: instance[1]!, instanceId: taskId };
  const legacy = /^(.+)\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(taskId);
  if (legacy) return { safePath: legacy[1]!, instanceId: taskId };
  return undefined;
}
