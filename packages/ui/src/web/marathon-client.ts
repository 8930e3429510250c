// Requests to Marathon's v2 API from the page (same origin: Marathon serves the UI). Answers come
// back as status + parsed body (`unknown`); the model's decoders read them.

export interface Answer {
  readonly ok: boolean;
  readonly status: number;
  readonly body: unknown;
}

export async function requestJson(method: string, path: string, body?: unknown): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    return { ok: false, status: 0, body: { message: `Marathon did not answer (${err instanceof Error ? err.message : String(err)})` } };
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): keep the text, which the page shows as the message.
    parsed = { message: text.slice(0, 500) };
  }
  return { ok: res.ok, status: res.status, body: parsed };
}

/** `/v2/apps/prod/web` for the app `/prod/web`. */
export function appPath(appId: string): string {
  return `/v2/apps/${appId.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`;
}
