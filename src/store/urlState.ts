/**
 * The shareable URL: every RunConfig setting (seed included) as compact JSON, base64url-encoded, in
 * location.hash as `#run=…`, plus `embed=1` to hide the controls. Full configs rather than differences from the
 * defaults, so a link keeps meaning the same run when the defaults change.
 */
import { DEFAULT_PRESET } from '../rl/presets/catalog';
import { DEFAULT_RUN, parseRunConfig, RUN_LIMITS, type RunConfig } from '../rl/runConfig';

export interface HashState {
  config: RunConfig;
  embed: boolean;
  /** Why the hash's run settings were not used (the config is then the defaults). */
  error: string | null;
  /** The preset the config is, when the page opened without run settings (the default preset). */
  presetId: string | null;
}

function toBase64Url(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url spends 4 characters per 3 bytes and UTF-8 at most 3 bytes per character: the longest code a config can need. */
const MAX_CODE_CHARS = RUN_LIMITS.configChars * 4;

function fromBase64Url(code: string): string {
  if (code.length > MAX_CODE_CHARS) throw new Error(`it is ${code.length} characters long, more than the ${MAX_CODE_CHARS} a run config can need`);
  if (!/^[A-Za-z0-9_-]*$/.test(code)) throw new Error('it contains characters that base64url does not use');
  const b64 = code.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeHash(config: RunConfig, embed: boolean): string {
  const params = new URLSearchParams();
  params.set('run', toBase64Url(JSON.stringify(config)));
  if (embed) params.set('embed', '1');
  return `#${params.toString()}`;
}

/** Read a hash; never throws: anything unreadable is explained in `error` and replaced by the defaults. */
export function decodeHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const embed = params.get('embed') === '1';
  const code = params.get('run');
  if (code === null) return { config: parseRunConfig(DEFAULT_PRESET.config), embed, error: null, presetId: DEFAULT_PRESET.id };
  try {
    let text: string;
    try {
      text = fromBase64Url(code);
    } catch (e) {
      throw new Error(`it is not valid base64url-encoded text (${(e as Error).message})`);
    }
    return { config: parseRunConfig(text), embed, error: null, presetId: null };
  } catch (e) {
    return { config: DEFAULT_RUN, embed, presetId: null, error: `The run settings in this link could not be used, so the defaults are shown: ${(e as Error).message}` };
  }
}
