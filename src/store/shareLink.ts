/** The link the header's share buttons copy: the page URL, whose hash already holds the run settings and seed. */
import type { RunConfig } from '../rl/runConfig';
import { encodeHash } from './urlState';

/**
 * `href` as a share link, with or without the embed flag. A page opened without run settings in its hash runs
 * `config`; its link spells that config out in full, as every edit does, so it keeps meaning the same run.
 */
export function shareLink(href: string, config: RunConfig, embed: boolean): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.hash.replace(/^#/, ''));
  if (!params.has('run')) {
    url.hash = encodeHash(config, embed);
    return url.href;
  }
  if (embed) params.set('embed', '1');
  else params.delete('embed');
  url.hash = params.toString();
  return url.href;
}
