// libprocess' http::query::decode (3rdparty/libprocess/src/http.cpp), which the master uses for
// form bodies such as POST /master/teardown: `;`- or `&`-separated pairs, `+` for a space,
// %XX escapes; a malformed escape is an error. Pure.

export type FormDecoded = { readonly ok: true; readonly values: ReadonlyMap<string, string> } | { readonly ok: false; readonly error: string };

function percentDecode(text: string): string | { error: string } {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') {
      for (const b of Buffer.from(c === '+' ? ' ' : c, 'utf8')) bytes.push(b);
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { error: `Malformed % escape in '${text}': '${text.slice(i, i + 3)}'` };
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

export function decodeForm(body: string): FormDecoded {
  const values = new Map<string, string>();
  for (const token of body.split(/[;&]/)) {
    if (token === '') continue;
    const at = token.indexOf('=');
    const key = percentDecode(at === -1 ? token : token.slice(0, at));
    if (typeof key !== 'string') return { ok: false, error: key.error };
    const value = at === -1 ? '' : percentDecode(token.slice(at + 1));
    if (typeof value !== 'string') return { ok: false, error: value.error };
    values.set(key, value);
  }
  return { ok: true, values };
}
