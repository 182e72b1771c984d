/**
 * Just enough Markdown for a model card (weights/shapes-clip/README.md): headings, paragraphs, lists,
 * fenced code, pipe tables, and inline code, bold, italics and http(s) links. Text goes through Lit's
 * escaping, so a card can hold no markup of its own; front matter (--- ... ---) is skipped.
 */
import { html, nothing, type TemplateResult } from 'lit';

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; text: string }
  | { kind: 'table'; rows: string[][] };

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

/** The blocks of a card, in order (exported for its test). */
export function markdownBlocks(markdown: string): Block[] {
  const lines = markdown
    .replace(/\r\n?/g, '\n')
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      out.push({ kind: 'code', text: body.join('\n') });
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
      i++;
      continue;
    }
    if (line.trim().startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i].trim().startsWith('|'); i++)
        if (!/^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i])) rows.push(cells(lines[i]));
      out.push({ kind: 'table', rows });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: string[] = [];
      for (; i < lines.length && lines[i].trim(); i++) {
        if (item.test(lines[i])) items.push(lines[i].replace(item, ''));
        else items[items.length - 1] += ` ${lines[i].trim()}`;
      }
      out.push({ kind: 'list', ordered, items });
      continue;
    }
    const text: string[] = [];
    for (; i < lines.length && lines[i].trim() && !/^(#|```|\s*\||\s*([-*+]|\d+[.)])\s)/.test(lines[i]); i++)
      text.push(lines[i].trim());
    out.push({ kind: 'paragraph', text: text.join(' ') });
  }
  return out;
}

/** Inline code, links, bold and italics; everything else is text. */
function inline(text: string): (TemplateResult | string)[] {
  const parts: (TemplateResult | string)[] = [];
  const re = /`([^`]+)`|\[([^\]]+)\]\((https?:[^)\s]+)\)|\*\*([^*]+)\*\*|\*([^*]+)\*/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    parts.push(text.slice(at, m.index));
    if (m[1] !== undefined) parts.push(html`<code>${m[1]}</code>`);
    else if (m[2] !== undefined) parts.push(html`<a href=${m[3]} target="_blank" rel="noopener">${m[2]}</a>`);
    else if (m[4] !== undefined) parts.push(html`<strong>${m[4]}</strong>`);
    else parts.push(html`<em>${m[5]}</em>`);
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  return parts;
}

export function renderMarkdown(markdown: string): TemplateResult {
  return html`${markdownBlocks(markdown).map((b) => {
    switch (b.kind) {
      case 'heading':
        // The card sits under the element's own headings: its levels start at h4.
        return b.level <= 1
          ? html`<h4>${inline(b.text)}</h4>`
          : b.level === 2
            ? html`<h5>${inline(b.text)}</h5>`
            : html`<h6>${inline(b.text)}</h6>`;
      case 'paragraph':
        return html`<p>${inline(b.text)}</p>`;
      case 'list':
        return b.ordered
          ? html`<ol>${b.items.map((x) => html`<li>${inline(x)}</li>`)}</ol>`
          : html`<ul>${b.items.map((x) => html`<li>${inline(x)}</li>`)}</ul>`;
      case 'code':
        return html`<pre><code>${b.text}</code></pre>`;
      case 'table': {
        const [head, ...rows] = b.rows;
        return html`<div class="table"><table>
          ${head ? html`<thead><tr>${head.map((c) => html`<th>${inline(c)}</th>`)}</tr></thead>` : nothing}
          <tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${inline(c)}</td>`)}</tr>`)}</tbody>
        </table></div>`;
      }
    }
  })}`;
}
