import { escapeHtml, html, trusted } from './html';

describe('escapeHtml', () => {
  it('escapes every character that could open a tag, an entity or leave an attribute', () => {
    expect(escapeHtml(`<img src=http://127.0.0.1:9/x onerror="a('b')">&\``)).toBe(
      '&lt;img src=http://127.0.0.1:9/x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;&#96;',
    );
  });

  it('leaves ordinary text and non-ASCII names unchanged', () => {
    expect(escapeHtml('Zoë Ørsted-Łukasiewicz 1,000')).toBe('Zoë Ørsted-Łukasiewicz 1,000');
  });

  it('writes numbers as text', () => {
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('html template tag', () => {
  it('escapes interpolated strings', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p>${name}</p>`.html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('embeds nested fragments and trusted markup as they are, and skips null', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<div>${inner}${[inner, inner]}${trusted('<svg/>')}${null}</div>`.html).toBe(
      '<div><b>a&amp;b</b><b>a&amp;b</b><b>a&amp;b</b><svg/></div>',
    );
  });
});
