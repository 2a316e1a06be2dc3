/**
 * Copy the page's link (the run settings and seed live in its hash), plain or as the embed view. Where the
 * clipboard is missing or refused, the link appears in a selected read-only field to copy by hand.
 */
import { useEffect, useRef, useState } from 'react';
import { runStore } from '../store/appStore';
import { shareLink } from '../store/shareLink';

type Kind = 'link' | 'embed';

const COPY: Record<Kind, string> = { link: 'Copy link', embed: 'Copy embed link' };
const COPIED: Record<Kind, string> = { link: 'Link copied', embed: 'Embed link copied' };

/** How long the button says the link was copied. */
const COPIED_MS = 2000;

function ManualCopy({ link, onClose }: { link: string; onClose: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  // Focused and selected on arrival (and on every new link), so Ctrl+C is all that is left to do.
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, [link]);
  return (
    <span className="share-manual">
      <input ref={field} type="text" readOnly value={link} aria-label="Share link (copy it by hand)" onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={onClose} aria-label="Close the share link">
        ×
      </button>
    </span>
  );
}

export function ShareLink() {
  const [copied, setCopied] = useState<Kind | null>(null);
  const [manual, setManual] = useState<string | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy(kind: Kind) {
    const link = shareLink(location.href, runStore().getState().applied, kind === 'embed');
    try {
      // Outside a secure context (plain http on another host) navigator.clipboard does not exist at all.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      setManual(null);
      setCopied(kind);
    } catch {
      setCopied(null);
      setManual(link);
    }
  }

  return (
    <div className="share-link" role="group" aria-label="Share">
      {(['link', 'embed'] as const).map((kind) => (
        <button key={kind} type="button" onClick={() => void copy(kind)}>
          {copied === kind ? COPIED[kind] : COPY[kind]}
        </button>
      ))}
      <span className="visually-hidden" role="status">
        {copied ? COPIED[copied] : ''}
      </span>
      {manual && <ManualCopy link={manual} onClose={() => setManual(null)} />}
    </div>
  );
}
