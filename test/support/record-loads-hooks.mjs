/** Loader hooks of record-loads.mjs (they run on the loader's own thread). */
import { appendFileSync } from 'node:fs';

let file = '';

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  const r = await nextLoad(url, context);
  appendFileSync(file, `${url}\n`);
  return r;
}
