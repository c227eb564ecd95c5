// Links in member mail open in the system browser, and only when the coach clicks
// one; the window never navigates away from the app. Go checks the scheme again
// (WorkspaceService.OpenInBrowser), this is where the window finds the links.

/** Part is a stretch of a reply's text: plain words, or a link to offer. */
export interface Part {
  text: string;
  /** href is set when the text is a web or mail link. */
  href?: string;
}

// http(s) URLs and mailto: addresses as people write them in plain text; a
// trailing full stop, comma or closing bracket belongs to the sentence.
const linkPattern = /\b(?:https?:\/\/[^\s<>"'`]+|mailto:[^\s<>"'`]+)/gi;
const trailing = /[.,;:!?)\]}'"]+$/;

/** splitLinks cuts text into plain parts and link parts; joined, the parts give the text back exactly. */
export function splitLinks(text: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of text.matchAll(linkPattern)) {
    const url = m[0].replace(trailing, '');
    const start = m.index ?? 0;
    if (!openable(url)) continue;
    if (start > at) parts.push({ text: text.slice(at, start) });
    parts.push({ text: url, href: url });
    at = start + url.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** openable says whether a link may go to the system browser: http, https and mailto only, with somewhere to go. */
export function openable(href: string): boolean {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return false;
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.hostname !== '';
  if (u.protocol === 'mailto:') return u.pathname !== '';
  return false;
}

/**
 * guardLinks keeps every click on a link to somewhere other than the app itself
 * from navigating the window: such a link goes to open (the system browser) when
 * it may, and nowhere otherwise. The app's own links (#/routes) work as before.
 * It returns the function that removes the guard.
 */
export function guardLinks(doc: Document, open: (href: string) => void): () => void {
  const onclick = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!a) return;
    const raw = a.getAttribute('href') ?? '';
    if (raw.startsWith('#')) return; // a view of the app
    let url: URL;
    try {
      url = new URL(raw, doc.baseURI);
    } catch {
      e.preventDefault();
      return;
    }
    if (url.origin === doc.location.origin && url.pathname === doc.location.pathname) return;
    e.preventDefault();
    if (e.type === 'click' && openable(url.href)) open(raw.trim());
  };
  doc.addEventListener('click', onclick, true);
  doc.addEventListener('auxclick', onclick, true);
  return () => {
    doc.removeEventListener('click', onclick, true);
    doc.removeEventListener('auxclick', onclick, true);
  };
}

/** MailtoTarget is where a mailto: link in a message writes to. */
export interface MailtoTarget {
  href: string;
  address: string;
  subject: string;
}

/**
 * replyTargets are the mailto: links of a message a member could answer
 * through instead of its reply address (a digest's "Reply to this" on each
 * item), the unsubscribe link left out.
 */
export function replyTargets(links: string[]): MailtoTarget[] {
  const out: MailtoTarget[] = [];
  for (const href of links) {
    if (!/^mailto:/i.test(href)) continue;
    const [addr, query = ''] = href.slice(7).split('?', 2);
    let address: string;
    let subject: string;
    try {
      address = decodeURIComponent(addr);
      subject = new URLSearchParams(query).get('subject') ?? '';
    } catch {
      continue;
    }
    if (!address.includes('@') || /^unsubscribe\b/i.test(subject)) continue;
    if (!out.some((t) => t.href === href)) out.push({ href, address, subject });
  }
  return out;
}
