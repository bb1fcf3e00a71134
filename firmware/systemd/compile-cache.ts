// V8's compile cache (NODE_COMPILE_CACHE, set by halld.service for the release's Node) is
// written when the process exits, but on a board halld never exits cleanly: it runs until the
// power goes. So once the device is up — everything a start compiles has been compiled — the
// cache is written out, and the next start after a power cut reads it.
import module from 'node:module';

/** The parts of node:module this needs; absent before Node 22.10 / 23.0. */
interface CompileCacheApi {
  getCompileCacheDir?: () => string | undefined;
  flushCompileCache?: () => void;
}

/** Writes the compile cache to disk; says where, or undefined when there is none to write. */
export function flushCompileCache(api: CompileCacheApi = module as CompileCacheApi): string | undefined {
  const dir = api.getCompileCacheDir?.();
  if (dir === undefined || api.flushCompileCache === undefined) return undefined;
  api.flushCompileCache();
  return dir;
}
